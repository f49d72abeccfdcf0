import Foundation
import TestSupport
import Testing

/// End-to-end tests of the real `fedhpd` executable with tiny budgets.
@Suite struct CommandLineTests {
    typealias Outcome = ProcessRunner.Outcome

    static var executable: URL { ProcessRunner.builtProduct("fedhpd") }

    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
        try ProcessRunner.run(Self.executable, arguments, environment: environment)
    }

    func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("fedhpd-cli-\(UUID())")
    }

    /// `CommandLineFixtures.writeTwoSmallAgents(to:)`.
    func writeFixtureAgents(to url: URL) throws { try CommandLineFixtures.writeTwoSmallAgents(to: url) }

    /// `CommandLineFixtures.writePublicStates(to:count:)`.
    func writeFixtureStates(to url: URL, count: Int = 300) throws {
        try CommandLineFixtures.writePublicStates(to: url, count: count)
    }

    @Test func trainWritesTheRunFolderAndComparePrintsTheTable() throws {
        let root = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let states = root.appendingPathComponent("states.csv")
        try writeFixtureStates(to: states)
        let outcome = try run([
            "train", "--env", "CartPole-v1", "--method", "fedhpd,nofed", "--interval", "5", "--episodes", "12",
            "--seeds", "20,25", "--public-states", states.path, "--part-size", "100", "--threads", "2",
            "--out", root.appendingPathComponent("runs").path,
        ])
        #expect(outcome.status == 0, "\(outcome.error)")
        #expect(
            outcome.output.contains("FedHPD d=5") && outcome.output.contains("NoFed")
                && outcome.output.contains("baseline"))
        let runFolder = root.appendingPathComponent("runs/CartPole-v1__fedhpd-d5__seed20")
        for file in ["config.json", "rewards.csv", "kd_losses.csv", "summary.json", "curves.svg", "timings.json"]
            + (1...10).map({ "policies/agent-\($0).safetensors" })
        {
            #expect(FileManager.default.fileExists(atPath: runFolder.appendingPathComponent(file).path), "\(file)")
        }
        let rewards = try String(contentsOf: runFolder.appendingPathComponent("rewards.csv"), encoding: .utf8).split(
            separator: "\n")
        #expect(rewards.count == 13 && rewards[0].hasPrefix("Agent 1,Agent 2"))
        // 300 states in parts of 100 → 3 parts × 5 loops × 2 events (after episodes 5 and 10).
        let losses = try String(contentsOf: runFolder.appendingPathComponent("kd_losses.csv"), encoding: .utf8).split(
            separator: "\n")
        #expect(losses.count == 1 + 30)
        let summary =
            try JSONSerialization.jsonObject(with: Data(contentsOf: runFolder.appendingPathComponent("summary.json")))
            as! [String: Any]
        #expect((summary["system"] as? [String: Any])?["wholeRunMean"] is Double)

        let compared = try run([
            "compare", root.appendingPathComponent("runs").path, "--svg",
            root.appendingPathComponent("compare.svg").path,
        ])
        #expect(compared.status == 0, "\(compared.error)")
        #expect(
            compared.output.contains("FedHPD d=5") && compared.output.contains("NoFed")
                && compared.output.contains("/2)"))
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("compare.svg").path))

        // Rerunning skips the complete runs.
        let again = try run([
            "train", "--env", "CartPole-v1", "--method", "nofed", "--episodes", "12", "--seeds", "20",
            "--part-size", "100", "--out", root.appendingPathComponent("runs").path,
        ])
        #expect(again.status == 0 && again.error.contains("already complete"), "\(again.error)")
    }

    @Test func badInputFailsWithAClearMessageAndWritesNothing() throws {
        let root = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let bad = root.appendingPathComponent("bad.csv")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try "State\n\"1,2,3,4\"\n\"1,2,3\"\n".write(to: bad, atomically: true, encoding: .utf8)
        let out = root.appendingPathComponent("runs")
        let outcomes = try [
            run(["train", "--public-states", bad.path, "--episodes", "5", "--out", out.path]),
            run(["train", "--env", "Pong-v5", "--episodes", "5", "--out", out.path]),
            run(["train", "--method", "fedavg", "--episodes", "5", "--out", out.path]),
            run([
                "train", "--agents", root.appendingPathComponent("missing.json").path, "--episodes", "5", "--out",
                out.path,
            ]),
            run(["train", "--episodes", "0", "--out", out.path]),
        ]
        #expect(outcomes[0].error.contains("bad.csv:3: has 3 values, expected 4"))
        #expect(outcomes[1].error.contains("unknown environment 'Pong-v5'"))
        #expect(outcomes[2].error.contains("unknown method 'fedavg'"))
        #expect(outcomes[3].error.contains("missing.json: cannot be read"))
        #expect(outcomes[4].error.contains("--episodes must be positive"))
        for outcome in outcomes { #expect(outcome.status != 0) }
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func customAgentsFromJSONAndResumeRefusesAnotherConfiguration() throws {
        let root = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let agents = root.appendingPathComponent("agents.json")
        try writeFixtureAgents(to: agents)
        let out = root.appendingPathComponent("runs")
        let trained = try run([
            "train", "--agents", agents.path, "--method", "nofed", "--episodes", "6", "--seeds", "3",
            "--checkpoint-every", "2", "--out", out.path,
        ])
        #expect(trained.status == 0, "\(trained.error)")
        let folder = out.appendingPathComponent("CartPole-v1__nofed__seed3")
        let header = try String(contentsOf: folder.appendingPathComponent("rewards.csv"), encoding: .utf8).split(
            separator: "\n")[0]
        #expect(header == "Agent 1,Agent 2")
        let refused = try run(["train", "--resume", folder.path, "--episodes", "9"])
        #expect(refused.status != 0 && refused.error.contains("episodes (6 vs 9)"))
    }

    #if !Network
    @Test func networkSubcommandsSayHowToEnableThem() throws {
        let outcome = try run(["serve", "--port", "50051"])
        #expect(outcome.status != 0 && outcome.error.contains("--traits Network"))
    }
    #endif
}
