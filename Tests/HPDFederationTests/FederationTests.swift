import Foundation
import HPDEnvironments
import HPDFederation
import HPDNN
import HPDRL
import HPDTensor
import Testing

@Suite struct FederationTests {
    static func smallPublicStates(count: Int = 600) -> PublicStateSet {
        var generator = RandomGenerator(seed: 3)
        var values: [Float] = []
        for _ in 0..<count {
            values += [
                Float(generator.uniform(-2, 2)), Float(generator.uniform(-2, 2)),
                Float(generator.uniform(-0.2, 0.2)), Float(generator.uniform(-2, 2)),
            ]
        }
        return PublicStateSet(states: Tensor(rows: count, columns: 4, scalars: values), source: "test fixture")
    }

    static func configuration(
        method: FederationConfiguration.Method, episodes: Int = 20, interval: Int = 5
    ) -> FederationConfiguration {
        FederationConfiguration(
            environment: "CartPole-v1", method: method, interval: interval, episodes: episodes, seed: 20, partSize: 250,
            agents: AgentPresets.cartPole,
            publicStates: method == .fedhpd ? PublicStatesRecord(smallPublicStates()) : nil)
    }

    @Test func arithmeticMeanAveragesProbabilitiesAndGaussiansSeparately() {
        let first = ActionDistribution.categorical(probabilities: Tensor([[0.2, 0.8], [1, 0]]))
        let second = ActionDistribution.categorical(probabilities: Tensor([[0.6, 0.4], [0, 1]]))
        #expect(
            ArithmeticMean().aggregate([first, second])
                == .categorical(probabilities: Tensor([[0.4, 0.6], [0.5, 0.5]])))
        let gaussians = [
            ActionDistribution.gaussian(mean: Tensor([[1]]), standardDeviation: Tensor([[0.5]])),
            ActionDistribution.gaussian(mean: Tensor([[3]]), standardDeviation: Tensor([[1.5]])),
        ]
        #expect(
            ArithmeticMean().aggregate(gaussians) == .gaussian(mean: Tensor([[2]]), standardDeviation: Tensor([[1]])))
    }

    @Test func validationRejectsBadDistributionsWithAClearReason() {
        func reason(
            _ distribution: ActionDistribution, family: DistributionFamily = .categorical(actionCount: 2),
            states: Int = 1
        ) -> String {
            do {
                try distribution.validate(expectedFamily: family, stateCount: states)
                return "valid"
            } catch { return "\(error)" }
        }
        #expect(reason(.categorical(probabilities: Tensor([[0.3, 0.7]]))) == "valid")
        #expect(reason(.categorical(probabilities: Tensor([[Float.nan, 1]]))).contains("not finite"))
        #expect(reason(.categorical(probabilities: Tensor([[-0.1, 1.1]]))).contains("negative"))
        #expect(reason(.categorical(probabilities: Tensor([[0.3, 0.3]]))).contains("sum to 0.6"))
        #expect(reason(.categorical(probabilities: Tensor([[0.5, 0.5]])), states: 2).contains("expected 2 states"))
        #expect(reason(.categorical(probabilities: Tensor([[0.2, 0.2, 0.6]]))).contains("expected categorical over 2"))
        #expect(
            reason(.gaussian(mean: Tensor([[0]]), standardDeviation: Tensor([[0]])), family: .gaussian(dimensions: 1))
                .contains("positive"))
    }

    /// One digestion step is one optimiser step on KL(consensus ‖ local) "batchmean": the reported loss equals the
    /// KL computed independently from the agent's distributions, and the step lowers it.
    @Test func digestionTakesOneStepOnTheBatchMeanKLDivergence() {
        let training = try! FederatedTraining(
            configuration: Self.configuration(method: .nofed), environment: .cartPole, publicStates: nil, threads: 1)
        let agent = training.agents[3] as! ReinforceAgent
        let states = Self.smallPublicStates(count: 100).states
        let consensus = ArithmeticMean().aggregate(training.agents.map { $0.actionDistribution(on: states) })
        guard case .categorical(let target) = consensus,
            case .categorical(let local) = agent.actionDistribution(on: states)
        else {
            Issue.record("expected categorical distributions")
            return
        }
        var expected = 0.0
        for index in 0..<target.count {
            let p = Double(target.scalars[index])
            expected += p * (Foundation.log(p) - Foundation.log(Double(local.scalars[index])))
        }
        expected /= 100
        let stepsBefore = agent.learner.optimizer.stepCounts
        let learningRate = agent.learner.optimizer.learningRate
        let loss = agent.digest(consensus: consensus, on: states, loss: .klDivergence)
        #expect(abs(Double(loss) - expected) < 1e-5)
        #expect(agent.learner.optimizer.stepCounts == stepsBefore.map { $0 + 1 })
        #expect(agent.learner.optimizer.learningRate == learningRate)  // no scheduler step
        let after = agent.digest(consensus: consensus, on: states, loss: .klDivergence)
        #expect(after < loss)
    }

    /// Digesting right after extraction reuses that forward; the step must equal a digestion that recomputes it,
    /// bit for bit, for relu and tanh networks.
    @Test func digestionReusingTheExtractionForwardIsBitIdentical() throws {
        let states = Self.smallPublicStates(count: 300).states
        for agentIndex in [0, 2, 3] {  // [128] relu, [16,16,32] tanh, [8,8,8] relu
            let configuration = Self.configuration(method: .nofed)
            let reusing = try FederatedTraining.makeAgent(
                index: agentIndex, specification: configuration.agents[agentIndex], environment: .cartPole, runSeed: 5)
            let recomputing = try FederatedTraining.makeAgent(
                index: agentIndex, specification: configuration.agents[agentIndex], environment: .cartPole, runSeed: 5)
            let consensus = ActionDistribution.categorical(
                probabilities: Tensor(rows: 300, columns: 2, scalars: (0..<600).map { $0 % 2 == 0 ? 0.3 : 0.7 }))
            for _ in 0..<3 {
                _ = reusing.actionDistribution(on: states)
                let first = reusing.digest(consensus: consensus, on: states, loss: .klDivergence)
                let second = recomputing.digest(consensus: consensus, on: states, loss: .klDivergence)
                #expect(first == second)
            }
            #expect(
                reusing.learner.policy.parameters.map(\.value) == recomputing.learner.policy.parameters.map(\.value))
            // The cached forward is not reused for other states of the same count.
            let shifted = Tensor(rows: 300, columns: 4, scalars: states.scalars.map { $0 + 0.25 })
            _ = reusing.actionDistribution(on: states)
            #expect(
                reusing.digest(consensus: consensus, on: shifted, loss: .klDivergence)
                    == recomputing.digest(consensus: consensus, on: shifted, loss: .klDivergence))
        }
    }

    /// The schedule: events after every d-th episode, each `loops × parts` digestion steps on contiguous parts.
    @Test func distillationFollowsTheReferenceSchedule() throws {
        let configuration = Self.configuration(method: .fedhpd, episodes: 12, interval: 5)
        let training = try FederatedTraining(
            configuration: configuration, environment: .cartPole, publicStates: Self.smallPublicStates(), threads: 2)
        training.run()
        // 600 states in parts of 250 → 3 parts (250, 250, 100); 5 loops → 15 steps per event; events after 5 and 10.
        #expect(training.distillationRecords.count == 30)
        #expect(
            training.distillationRecords.map(\.episode) == Array(repeating: 5, count: 15)
                + Array(repeating: 10, count: 15))
        #expect(
            training.distillationRecords.prefix(15).map { "\($0.step.loop)-\($0.step.part)" }
                == (1...5).flatMap { loop in (1...3).map { "\(loop)-\($0)" } })
        #expect(
            training.distillationRecords.allSatisfy {
                $0.step.losses.count == 10 && $0.step.losses.allSatisfy { $0 >= 0 && $0.isFinite }
            })
        #expect(training.returns.count == 12 && training.exclusions.isEmpty)
    }

    @Test func noFedNeverDistilsAndDPAAlignsOnceEveryInterval() throws {
        let nofed = try FederatedTraining(
            configuration: Self.configuration(method: .nofed, episodes: 6), environment: .cartPole, publicStates: nil,
            threads: 1)
        nofed.run()
        #expect(nofed.distillationRecords.isEmpty)
        let dpa = try FederatedTraining(
            configuration: Self.configuration(method: .dpa, episodes: 6, interval: 1), environment: .cartPole,
            publicStates: nil, threads: 1)
        dpa.run()
        #expect(dpa.distillationRecords.count == 6)
        #expect(dpa.distillationRecords.allSatisfy { $0.step.losses.allSatisfy { $0 >= 0 && $0 <= 2 } })
    }

    /// A run is a pure function of (configuration, seed): identical output files with 1 and 2 threads.
    @Test func outputsAreByteIdenticalWithOneOrTwoThreads() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fedhpd-threads-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        var files: [[Data]] = []
        for threads in [1, 2] {
            let configuration = Self.configuration(method: .fedhpd, episodes: 15, interval: 5)
            let training = try FederatedTraining(
                configuration: configuration, environment: .cartPole, publicStates: Self.smallPublicStates(),
                threads: threads)
            training.run()
            let folder = RunFolder(url: root.appendingPathComponent("threads\(threads)"))
            try folder.writeConfiguration(configuration)
            try folder.writeResults(of: training, thresholds: [195, 475])
            files.append(
                try [folder.rewardsURL, folder.distillationLossesURL, folder.summaryURL, folder.configurationURL].map {
                    try Data(contentsOf: $0)
                })
        }
        #expect(files[0] == files[1])
        let rewards = String(decoding: files[0][0], as: UTF8.self).split(separator: "\n")
        #expect(rewards[0] == "Agent 1,Agent 2,Agent 3,Agent 4,Agent 5,Agent 6,Agent 7,Agent 8,Agent 9,Agent 10")
        #expect(rewards.count == 16)
    }

    /// Agents draw from their own streams: the same agent gets the same episode returns whatever the others are.
    @Test func anAgentsStreamsDependOnlyOnTheRunSeedAndItsIndex() throws {
        var configuration = Self.configuration(method: .nofed, episodes: 5)
        let full = try FederatedTraining(
            configuration: configuration, environment: .cartPole, publicStates: nil, threads: 1)
        full.run()
        configuration.agents = Array(configuration.agents.prefix(3))
        let partial = try FederatedTraining(
            configuration: configuration, environment: .cartPole, publicStates: nil, threads: 1)
        partial.run()
        #expect(full.returns.map { Array($0.prefix(3)) } == partial.returns)
    }

    @Test func summariesReportWholeRunLastHundredAndThresholdEpisodes() {
        let configuration = Self.configuration(method: .nofed)
        let returns = (0..<150).map { episode in (0..<10).map { Double(episode + $0) } }
        let summary = RunSummary(
            configuration: configuration, returns: returns, thresholds: [100, 1000], exclusions: [])
        #expect(summary.system.wholeRunMean == 74.5 + 4.5)
        #expect(summary.system.last100Mean == 99.5 + 4.5)
        // System value at episode e (1-based) is e − 1 + 4.5; the MA100 first reaches 100 at e = 146.
        #expect(summary.system.episodesToThreshold["100"] == .some(146))
        #expect(summary.system.episodesToThreshold["1000"] == .some(nil))
        #expect(summary.agents.count == 10 && summary.agents[0].architecture == "[128] relu lr=0.001")
    }
}
