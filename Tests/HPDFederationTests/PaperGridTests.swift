import Foundation
import HPDFederation
import Testing

/// The paper's grid: its cells and order, shards, Slurm shares and the time limit's arithmetic.
@Suite struct PaperGridTests {
    let everything = PaperGrid(tasks: PaperGrid.Task.allCases, seeds: [20, 25, 30, 35, 40], choice: .all)

    @Test func theGridHoldsEveryRowOfThePaperAndRunsSeedBySeed() {
        #expect(
            PaperGrid.settings(for: .cartpole, choice: .main).map(\.label) == [
                "NoFed", "FedHPD d=5", "FedHPD d=10", "FedHPD d=20",
            ])
        #expect(
            Set(PaperGrid.settings(for: .lunarlander, choice: .all).map(\.label))
                == Set(PaperFacts.cells["LunarLander-v3"]!.keys))
        #expect(
            Set(PaperGrid.settings(for: .cartpole, choice: .all).map(\.label))
                == Set(PaperFacts.cells["CartPole-v1"]!.keys))
        #expect(
            PaperGrid.settings(for: .invertedpendulum, choice: .all).map(\.label)
                == ["NoFed", "FedHPD d=5", "FedHPD d=10", "FedHPD d=20", "FedHPD d=2", "DPA-FedRL d=1"])
        let cells = everything.cells
        #expect(cells.count == 5 * (8 + 8 + 6) && Set(cells).count == cells.count)
        // All 22 settings of seed 20 come first, main settings first within each task.
        #expect(cells.prefix(22).allSatisfy { $0.seed == 20 } && cells[22].seed == 25)
        #expect(cells[0].setting.label == "NoFed" && cells[8].task == .lunarlander && cells[8].setting.label == "NoFed")
    }

    @Test func shardsPartitionTheGridExactly() throws {
        let cells = everything.cells
        for count in 1...7 {
            let shares = try (1...count).map { everything.cells(shard: try GridShard(index: $0, count: count)) }
            #expect(shares.map(\.count).reduce(0, +) == cells.count)
            #expect(Set(shares.flatMap { $0 }) == Set(cells))
            #expect(shares.map(\.count).max()! - shares.map(\.count).min()! <= 1)
            // Each share keeps the grid's order.
            for share in shares { #expect(share == cells.filter { share.contains($0) }) }
        }
        #expect(throws: FederationError.self) { try GridShard(index: 0, count: 3) }
        #expect(throws: FederationError.self) { try GridShard(argument: "2of3", environment: [:]) }
    }

    @Test func slurmSharesComeFromTheJobArraysEnvironment() throws {
        #expect(
            try GridShard(argument: "slurm", environment: ["SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_COUNT": "4"])
                == GridShard(index: 1, count: 4))
        #expect(
            try GridShard(slurm: ["SLURM_ARRAY_TASK_ID": "7", "SLURM_ARRAY_TASK_MIN": "5", "SLURM_ARRAY_TASK_MAX": "8"])
                == GridShard(index: 3, count: 4))
        #expect(throws: FederationError.self) { try GridShard(slurm: ["SLURM_ARRAY_TASK_COUNT": "4"]) }
        #expect(throws: FederationError.self) {
            try GridShard(slurm: ["SLURM_ARRAY_TASK_ID": "x", "SLURM_ARRAY_TASK_COUNT": "4"])
        }
        #expect(throws: FederationError.self) {
            try GridShard(slurm: ["SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_COUNT": "4"])
        }
    }

    @Test func theTimeLimitCountsDistillationLocalTrainingAndSteps() throws {
        let environment = EnvironmentSpecification.cartPole
        let agents = environment.presetAgents
        let configuration = FederationConfiguration(
            environment: environment.id, method: .fedhpd, interval: 5, episodes: 10, seed: 1, agents: agents,
            publicStates: PublicStatesRecord(source: "test", count: 1000, checksum: "0"))
        let ledger = """
            {"firstEpisode": 0, "lastEpisode": 10, "wallSeconds": 1, "localSeconds": 0.5, "distillationSeconds": 0.5,
             "distillationEvents": 2, "environmentSteps": 4000, "threads": 2, "blasCore": "Haswell"}
            """
        let segment = try JSONDecoder().decode(GridRunSegment.self, from: Data(ledger.utf8))
        let rates = GridMachineRates(
            cores: 2, sgemmGigaflopsAllCores: 100, stepsPerSecond: [environment.id: 1000], blasCore: "Haswell",
            cpuModel: "test")
        let limit = GridTimeLimit(
            configuration: configuration, environment: environment, segments: [segment, segment], rates: rates)
        let multiplyAdds = agents.map {
            Double($0.architecture(observationSize: 4, actionSpace: environment.actionSpace).multiplyAddsPerState)
        }
        let total = multiplyAdds.reduce(0, +)
        let expected = 8 * total / 10 * 8000 + 4 * 5 * 6 * total * 1000
        #expect(abs(limit.floatingPointOperations - expected) <= 1e-9 * expected)
        #expect(limit.environmentSteps == 8000)
        #expect(abs(limit.seconds - (expected / 1e11 + 8000.0 / 2000)) < 1e-9)
    }
}
