import Foundation
import HPDFederation
import HPDNN
import HPDRL
import Testing

/// Every hyperparameter of a run is range-checked by the library, with the field's name, for every caller.
@Suite struct ConfigurationValidationTests {
    static func agent(_ change: (inout AgentSpecification) -> Void = { _ in }) -> AgentSpecification {
        var agent = AgentSpecification(
            hiddenSizes: [8], activations: [.relu], reinforce: ReinforceConfiguration(learningRate: 0.01))
        change(&agent)
        return agent
    }

    static func message(
        method: FederationConfiguration.Method = .nofed, episodes: Int = 10, interval: Int = 1,
        loops: Int = 5, partSize: Int = 2500, agents: [AgentSpecification] = [agent()]
    ) -> String {
        let configuration = FederationConfiguration(
            environment: "CartPole-v1", method: method, interval: interval, episodes: episodes, seed: 1, loops: loops,
            partSize: partSize, agents: agents,
            publicStates: method == .fedhpd ? PublicStatesRecord(source: "test", count: 10, checksum: "0") : nil)
        do {
            try configuration.validate()
            return "accepted"
        } catch { return error.description }
    }

    @Test func aSoundConfigurationIsAccepted() {
        #expect(Self.message() == "accepted")
        #expect(Self.message(method: .fedhpd, episodes: 10, interval: 10) == "accepted", "d = E has one event")
    }

    @Test func countsAndSizesOutOfRangeNameTheirField() {
        #expect(Self.message(episodes: 0).contains("episodes must be in 1...10000000, got 0"))
        #expect(Self.message(episodes: 100_000_000).contains("episodes must be in"))
        #expect(Self.message(loops: 0).contains("loops must be in 1...1000, got 0"))
        #expect(Self.message(partSize: -1).contains("part size must be in"))
        #expect(Self.message(agents: []).contains("at least one agent"))
    }

    @Test func anIntervalBeyondTheEpisodesIsRefusedForFederatedMethodsOnly() {
        #expect(
            Self.message(method: .fedhpd, episodes: 10, interval: 50).contains(
                "interval 50 is larger than the 10 episodes"))
        #expect(Self.message(method: .dpa, episodes: 10, interval: 11).contains("dpa would never federate"))
        #expect(Self.message(method: .nofed, episodes: 10, interval: 50) == "accepted")
    }

    @Test func agentHyperparametersOutOfRangeNameTheAgentAndField() {
        let cases: [(AgentSpecification, String)] = [
            (Self.agent { $0.reinforce.gamma = 1e300 }, "gamma must be in (0, 1], got 1e+300"),
            (Self.agent { $0.reinforce.gamma = 0 }, "gamma must be in (0, 1]"),
            (Self.agent { $0.reinforce.gamma = .nan }, "gamma must be in (0, 1]"),
            (Self.agent { $0.reinforce.learningRate = .infinity }, "learningRate must be in (0, 1]"),
            (Self.agent { $0.reinforce.learningRate = 2 }, "learningRate must be in (0, 1], got 2.0"),
            (Self.agent { $0.reinforce.learningRate = 0 }, "learningRate must be in (0, 1]"),
            (Self.agent { $0.reinforce.weightDecay = .nan }, "weightDecay must be in [0, 1)"),
            (Self.agent { $0.reinforce.weightDecay = -0.1 }, "weightDecay must be in [0, 1)"),
            (Self.agent { $0.reinforce.schedulerGamma = 1.5 }, "schedulerGamma must be in (0, 1]"),
            (Self.agent { $0.reinforce.schedulerStepSize = 0 }, "schedulerStepSize must be at least 1"),
            (Self.agent { $0.hiddenSizes = [0] }, "hiddenSizes must be in 1...65536"),
            (Self.agent { $0.activations = [] }, "1 hidden sizes but 0 activations"),
            (Self.agent { $0.a2c = A2CConfiguration(learningRate: 3) }, "a2c.learningRate must be in (0, 1]"),
        ]
        for (agent, expected) in cases {
            let text = Self.message(agents: [Self.agent(), agent])
            #expect(text.contains("agent 2: " + expected), "\(text)")
        }
    }

    @Test func theTrainerRefusesAnInvalidConfigurationBeforeBuildingAnything() {
        var configuration = FederationConfiguration(
            environment: "CartPole-v1", method: .nofed, interval: 1, episodes: 3, seed: 1,
            agents: [Self.agent { $0.reinforce.gamma = 2 }])
        configuration.loops = 5
        #expect(throws: FederationError.self) {
            _ = try FederatedTraining(
                configuration: configuration, environment: .cartPole, publicStates: nil, threads: 1)
        }
    }

    /// An agents file is read strictly: unknown keys (also nested ones) with a suggestion, ranges checked.
    @Test func anAgentsFileIsReadStrictly() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fedhpd-agents-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func read(_ json: String) -> String {
            let url = folder.appendingPathComponent("agents.json")
            do {
                try json.write(to: url, atomically: true, encoding: .utf8)
                let agents = try AgentFileEntry.readAgents(from: url, defaults: AgentPresets.discreteDefaults())
                return "\(agents.count) agents"
            } catch { return "\(error)" }
        }
        let base = #"{"hiddenSizes": [8], "activation": "relu", "learningRate": 0.01"#
        #expect(read("[\(base)}, \(base), \"gamma\": 0.9}]") == "2 agents")
        #expect(
            read("[\(base), \"learnigRate\": 1}]").contains(
                "entry 1: unknown key 'learnigRate' (did you mean 'learningRate'?)"))
        #expect(
            read("[\(base), \"algorithm\": \"ppo\", \"ppo\": {\"clipp\": 0.1}}]").contains(
                "entry 1.ppo: unknown key 'clipp' (did you mean 'clip'?)"))
        #expect(read("[\(base), \"gamma\": 1e300}]").contains("agent 1: gamma must be in (0, 1]"))
        #expect(read("[\(base), \"schedulerGamma\": 0}]").contains("schedulerGamma must be in (0, 1]"))
        #expect(read("[]").contains("the array is empty"))
        #expect(read("[\n\(base),\n]").contains("agents.json:3:"), "\(read("[\n\(base),\n]"))")
        let missing = folder.appendingPathComponent("none.json")
        #expect(throws: FileSystemError.self) {
            _ = try AgentFileEntry.readAgents(from: missing, defaults: AgentPresets.discreteDefaults())
        }
    }
}
