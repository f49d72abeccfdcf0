import Foundation
import HPDEnvironments
import HPDFederation
import HPDNN
import HPDTensor

/// The seed inputs of every target, made by the package's own encoders so they stay valid when a format changes
/// (`fedhpd-fuzz seeds DIR`; the committed copies are in `Fuzz/corpus/`).
enum SeedCorpus {
    /// The configuration `FuzzTarget.checkpoint` restores into: NoFed on CartPole with two tiny agents.
    static func configuration() -> FederationConfiguration {
        var defaults = AgentPresets.discreteDefaults()
        defaults.learningRate = 0.01
        return FederationConfiguration(
            environment: EnvironmentSpecification.cartPole.id, method: .nofed, interval: 5, episodes: 4, seed: 7,
            agents: [
                AgentSpecification(hiddenSizes: [4], activations: [.relu], reinforce: defaults),
                AgentSpecification(hiddenSizes: [3, 3], activations: [.tanh, .tanh], reinforce: defaults),
            ])
    }

    static func makeTraining() throws -> FederatedTraining {
        try FederatedTraining(configuration: configuration(), environment: .cartPole, publicStates: nil, threads: 1)
    }

    /// Writes `DIR/<target>/<name>` for every target.
    static func write(to folder: URL) throws {
        func save(_ data: Data, _ target: FuzzTarget, _ name: String) throws {
            let directory = folder.appendingPathComponent(target.rawValue)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try data.write(to: directory.appendingPathComponent(name))
        }
        let text = { (string: String) in Data(string.utf8) }

        try save(
            text("x,x_dot,theta,theta_dot\n0.1,0.2,-0.3,0.4\n1e-3,2,3,4\n"), .publicStates, "plain-with-header.csv")
        try save(text("State\n\"0.1,0.2,0.3,0.4\"\n\"-1,2.5,3,4\"\n"), .publicStates, "reference-quoted.csv")
        try save(text("State\n\"[0.1, 0.2, 0.3, 0.4]\"\n\"[1, 2, 3, 4]\"\n"), .publicStates, "reference-lists.csv")

        var federated = configuration()
        federated.method = .fedhpd
        federated.publicStates = PublicStatesRecord(
            source: "states.csv", count: 100, checksum: "0123", path: "/tmp/states.csv")
        federated.aggregation = "trimmed:0.1"
        federated.participation = 0.8
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try save(try encoder.encode(configuration()), .configuration, "nofed.json")
        try save(try encoder.encode(federated), .configuration, "fedhpd.json")

        try save(
            text(
                """
                [{"hiddenSizes": [128], "activation": "relu", "learningRate": 0.001},
                 {"hiddenSizes": [16, 32], "activations": ["tanh", "relu"], "learningRate": 0.0001, "gamma": 0.98,
                  "normalizeReturns": false, "optimizer": "adamW", "weightDecay": 0.01, "schedulerStepSize": 0,
                  "schedulerGamma": 0.9}]
                """), .agents, "agents.json")

        let training = try makeTraining()
        training.runNextEpisode()
        training.runNextEpisode()
        try save(try Checkpoint.encode(training), .checkpoint, "nofed-after-2-episodes.checkpoint")

        var generator = RandomGenerator(seed: 3)
        let categorical = PolicyArchitecture(
            family: .categorical, observationSize: 4, actionSize: 2, hiddenSizes: [5], activations: [.relu])
        let gaussian = PolicyArchitecture(
            family: .gaussian, observationSize: 3, actionSize: 1, hiddenSizes: [4, 2], activations: [.tanh, .relu])
        for (name, architecture) in [("categorical", categorical), ("gaussian", gaussian)] {
            let policy: Policy =
                architecture.family == .categorical
                ? CategoricalPolicy(architecture: architecture, generator: &generator)
                : GaussianPolicy(architecture: architecture, generator: &generator)
            try save(
                try PolicyFile.content(of: policy, metadata: PolicyFile.metadata(architecture)).encoded(), .policy,
                "\(name).safetensors")
        }
        #if Network
        for (name, data) in try WireFuzzing.seeds() { try save(data, .wire, name) }
        #endif
    }
}
