import Foundation
import HPDFederation
import HPDNN
import HPDRL
import HPDTensor
import Testing

/// A2C and PPO agents as first-class federation members: thread-count independence, byte-identical resume (PPO
/// with a pending rollout), actor-only policy export, digestion that leaves the value network alone, and
/// agents-file errors that name the agent and the field.
@Suite struct ActorCriticAgentTests {
    /// Agent 1 A2C, agent 2 PPO (rollouts of ≥ 100 steps: a checkpoint after episode 7 holds a partial rollout),
    /// agent 3 REINFORCE, in a FedHPD run with d = 3.
    static func configuration(episodes: Int = 12) throws -> FederationConfiguration {
        let agents = try decodeAgents(
            """
            [{"hiddenSizes": [32], "activation": "relu", "learningRate": 0.001, "algorithm": "a2c",
              "a2c": {"gaeLambda": 0.95}, "valueNetwork": {"hiddenSizes": [16, 16], "activation": "tanh"}},
             {"hiddenSizes": [32, 32], "activation": "tanh", "learningRate": 0.0003, "algorithm": "ppo",
              "ppo": {"rolloutSteps": 100, "minibatchSize": 32, "epochs": 2}},
             {"hiddenSizes": [16], "activation": "relu", "learningRate": 0.001}]
            """)
        return FederationConfiguration(
            environment: "CartPole-v1", method: .fedhpd, interval: 3, episodes: episodes, seed: 20, partSize: 250,
            agents: agents, publicStates: PublicStatesRecord(FederationTests.smallPublicStates()))
    }

    static func decodeAgents(_ json: String) throws -> [AgentSpecification] {
        let entries = try JSONDecoder().decode([AgentFileEntry].self, from: Data(json.utf8))
        return try entries.enumerated().map {
            try $1.specification(defaults: AgentPresets.discreteDefaults(), index: $0)
        }
    }

    static func training(_ configuration: FederationConfiguration, threads: Int) throws -> FederatedTraining {
        try FederatedTraining(
            configuration: configuration, environment: .cartPole, publicStates: FederationTests.smallPublicStates(),
            threads: threads)
    }

    /// Every parameter of every network an agent owns (policy, then value network), and its Adam moments.
    static func state(of training: FederatedTraining) -> [[Tensor]] {
        training.agents.map { agent in
            let learner = (agent as! LearnerAgent).learner
            return [learner.optimizer, learner.valueOptimizer].compactMap { $0 }.flatMap { optimizer in
                optimizer.parameters.map(\.value) + optimizer.firstMoments + optimizer.secondMoments
            }
        }
    }

    @Test func agentsFileBuildsTheChosenLearners() throws {
        let configuration = try Self.configuration()
        #expect(configuration.agents.map(\.algorithm) == [.a2c, .ppo, .reinforce])
        #expect(configuration.agents[0].a2c?.gaeLambda == 0.95)
        #expect(
            configuration.agents[0].a2c?.valueNetwork
                == ValueNetworkSpecification(hiddenSizes: [16, 16], activations: [.tanh, .tanh]))
        #expect(configuration.agents[1].ppo?.clip == 0.2 && configuration.agents[1].ppo?.learningRate == 0.0003)
        let training = try Self.training(configuration, threads: 1)
        let learners = training.agents.map { ($0 as! LearnerAgent).learner }
        #expect(learners[0] is A2CLearner && learners[1] is PPOLearner && learners[2] is ReinforceLearner)
        // The configuration round-trips through config.json's encoding.
        let decoded = try JSONDecoder().decode(FederationConfiguration.self, from: JSONEncoder().encode(configuration))
        #expect(decoded == configuration)
    }

    @Test func oneAndTwoThreadsGiveIdenticalRuns() throws {
        let configuration = try Self.configuration()
        let one = try Self.training(configuration, threads: 1)
        one.run()
        let two = try Self.training(configuration, threads: 2)
        two.run()
        #expect(one.returns == two.returns)
        #expect(one.distillationRecords.map(\.step) == two.distillationRecords.map(\.step))
        #expect(Self.state(of: one) == Self.state(of: two))
    }

    @Test func resumingWithAPendingPPORolloutIsBitIdentical() throws {
        let configuration = try Self.configuration()
        let uninterrupted = try Self.training(configuration, threads: 2)
        uninterrupted.run()

        // Stop after episode 4 or later, at the first point where PPO holds episodes it has not learned from yet.
        let first = try Self.training(configuration, threads: 2)
        let ppo = (first.agents[1] as! LearnerAgent).learner
        first.run(shouldContinue: { first.returns.count < 4 || ppo.pendingRollout == nil })
        try #require(
            ppo.pendingRollout != nil && first.returns.count < 12, "the checkpoint should hold a partial PPO rollout")
        let data = try Checkpoint.encode(first)
        let second = try Self.training(configuration, threads: 1)
        try Checkpoint.restore(data, into: second, path: "memory")
        second.run()
        #expect(second.returns == uninterrupted.returns)
        #expect(second.distillationRecords.map(\.step) == uninterrupted.distillationRecords.map(\.step))
        #expect(Self.state(of: second) == Self.state(of: uninterrupted))
    }

    @Test func exportedPoliciesHoldTheActorOnly() throws {
        let folder = RunFolder(
            url: FileManager.default.temporaryDirectory.appendingPathComponent("fedhpd-ac-\(UUID())"))
        defer { try? FileManager.default.removeItem(at: folder.url) }
        let training = try Self.training(try Self.configuration(episodes: 3), threads: 1)
        training.run()
        try folder.writePolicies(of: training)
        for (index, agent) in training.agents.enumerated() {
            let policy = (agent as! LearnerAgent).learner.policy
            let (saved, _) = try PolicyFile.load(from: folder.policyURL(agent: index + 1))
            #expect(saved.architecture == policy.architecture)
            #expect(saved.parameters.map(\.value) == policy.parameters.map(\.value))
        }
    }

    @Test func digestionMovesThePolicyButNotTheValueNetwork() throws {
        let training = try Self.training(try Self.configuration(episodes: 1), threads: 1)
        training.run()
        for agent in training.agents.prefix(2) {
            let learner = (agent as! LearnerAgent).learner
            let valueBefore = learner.valueOptimizer!.parameters.map(\.value)
            let policyBefore = learner.policy.parameters.map(\.value)
            let states = FederationTests.smallPublicStates(count: 50).states
            let uniform = ActionDistribution.categorical(probabilities: Tensor(repeating: 0.5, shape: [50, 2]))
            _ = agent.digest(consensus: uniform, on: states, loss: .klDivergence)
            #expect(learner.policy.parameters.map(\.value) != policyBefore)
            #expect(learner.valueOptimizer!.parameters.map(\.value) == valueBefore)
        }
    }

    /// Each bad agents file and the words its message must contain (the agent's number and the field).
    static let badFiles: [(String, [String])] = [
        (
            #"[{"hiddenSizes": [8], "activation": "relu", "learningRate": 0.001}, {"hiddenSizes": [8], "activation": "relu", "learningRate": 0.001, "algorithm": "sac"}]"#,
            ["agent 2", "algorithm", "sac"]
        ),
        (
            #"[{"hiddenSizes": [8], "activation": "relu", "learningRate": 0.001, "algorithm": "ppo", "ppo": {"clip": 0}}]"#,
            ["agent 1", "ppo.clip"]
        ),
        (
            #"[{"hiddenSizes": [8], "activation": "relu", "learningRate": 0.001, "algorithm": "ppo", "ppo": {"gaeLambda": 1.5}}]"#,
            ["agent 1", "ppo.gaeLambda"]
        ),
        (
            #"[{"hiddenSizes": [8], "activation": "relu", "learningRate": 0.001, "algorithm": "a2c", "a2c": {"gaeLambda": -0.1}}]"#,
            ["agent 1", "a2c.gaeLambda"]
        ),
        (
            #"[{"hiddenSizes": [8], "activation": "relu", "learningRate": 0.001, "algorithm": "ppo", "ppo": {"epochs": 0}}]"#,
            ["agent 1", "ppo.epochs"]
        ),
        (
            #"[{"hiddenSizes": [8], "activation": "relu", "learningRate": 0.001, "algorithm": "ppo", "ppo": {"rolloutSteps": 64, "minibatchSize": 65}}]"#,
            ["agent 1", "ppo.minibatchSize", "larger than the data"]
        ),
        (
            #"[{"hiddenSizes": [8], "activation": "relu", "learningRate": 0.001, "valueNetwork": {"hiddenSizes": [8], "activation": "tanh"}}]"#,
            ["agent 1", "valueNetwork", "REINFORCE"]
        ),
        (
            #"[{"hiddenSizes": [8], "activation": "relu", "learningRate": 0.001, "algorithm": "a2c", "ppo": {"clip": 0.1}}]"#,
            ["agent 1", "'ppo'", "a2c"]
        ),
        (
            #"[{"hiddenSizes": [8], "activation": "relu", "learningRate": 0.001, "algorithm": "ppo", "optimizer": "adamW"}]"#,
            ["agent 1", "optimizer", "reinforce"]
        ),
        (
            #"[{"hiddenSizes": [8], "activation": "relu", "learningRate": 0.001, "algorithm": "a2c", "valueNetwork": {"hiddenSizes": [8, 8], "activations": ["relu"]}}]"#,
            ["agent 1", "valueNetwork.activations"]
        ),
    ]

    @Test(arguments: badFiles.indices)
    func badAgentsFilesNameTheAgentAndTheField(index: Int) {
        let (json, words) = Self.badFiles[index]
        do {
            _ = try Self.decodeAgents(json)
            Issue.record("no error for \(json)")
        } catch {
            let message = "\(error)"
            for word in words { #expect(message.contains(word), "\(message) should mention \(word)") }
        }
    }

    @Test func libraryConfigurationsAreValidatedToo() {
        var ppo = PPOConfiguration(learningRate: 1e-3)
        ppo.clip = -1
        let configuration = FederationConfiguration(
            environment: "CartPole-v1", method: .nofed, interval: 1, episodes: 1, seed: 0,
            agents: [
                AgentSpecification(
                    hiddenSizes: [8], activations: [.relu], reinforce: AgentPresets.discreteDefaults(), ppo: ppo)
            ])
        #expect(throws: FederationError.self) { try configuration.validate() }
        var a2c = A2CConfiguration(learningRate: 1e-3)
        a2c.valueNetwork = ValueNetworkSpecification(hiddenSizes: [8, 8], activations: [.tanh])
        let mismatched = FederationConfiguration(
            environment: "CartPole-v1", method: .nofed, interval: 1, episodes: 1, seed: 0,
            agents: [
                AgentSpecification(
                    hiddenSizes: [8], activations: [.relu], reinforce: AgentPresets.discreteDefaults(), a2c: a2c)
            ])
        #expect(
            throws: FederationError.invalidConfiguration(
                "agent 1: a2c.valueNetwork.activations: 2 hidden sizes but 1 activations")
        ) {
            try mismatched.validate()
        }
    }
}
