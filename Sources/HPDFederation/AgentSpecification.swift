import HPDNN
import HPDRL

/// One heterogeneous agent: its private network shape and its private training configuration.
public struct AgentSpecification: Codable, Equatable, Hashable, Sendable {
    /// Hidden-layer widths.
    public var hiddenSizes: [Int]
    /// One activation per hidden layer.
    public var activations: [Activation]
    /// The REINFORCE learner's hyperparameters (learning rate, γ, optimiser, schedule…).
    public var reinforce: ReinforceConfiguration

    /// An agent with `hiddenSizes.count` hidden layers (one activation each) trained with `reinforce`.
    public init(hiddenSizes: [Int], activations: [Activation], reinforce: ReinforceConfiguration) {
        self.hiddenSizes = hiddenSizes
        self.activations = activations
        self.reinforce = reinforce
    }

    /// The full architecture for an environment's observation and action sizes.
    public func architecture(observationSize: Int, actionSpace: ActionSpace) -> PolicyArchitecture {
        let family: PolicyArchitecture.Family
        if case .discrete = actionSpace { family = .categorical } else { family = .gaussian }
        return PolicyArchitecture(
            family: family, observationSize: observationSize, actionSize: actionSpace.size, hiddenSizes: hiddenSizes,
            activations: activations)
    }

    /// A label such as `[128] relu lr=0.001`.
    public var label: String {
        let activationText = Set(activations).count == 1 ? activations[0].rawValue : activations.map(\.rawValue).joined(separator: ",")
        return "[\(hiddenSizes.map(String.init).joined(separator: ","))] \(activationText) lr=\(reinforce.learningRate)"
    }
}

/// The form users write in `--agents FILE.json`: an array of objects with `hiddenSizes`, either `activation` (one for
/// all layers) or `activations` (one per layer), `learningRate`, and optionally any `ReinforceConfiguration` field
/// (`gamma`, `normalizeReturns`, `optimizer`, `weightDecay`, `schedulerStepSize`, `schedulerGamma`); omitted fields
/// take the environment's defaults.
public struct AgentFileEntry: Codable, Sendable {
    /// Hidden-layer widths.
    public var hiddenSizes: [Int]
    /// One activation for every hidden layer (give this or `activations`).
    public var activation: Activation?
    /// One activation per hidden layer (wins over `activation`).
    public var activations: [Activation]?
    /// The learning rate η₀ (required).
    public var learningRate: Float
    /// The discount γ, if not the default.
    public var gamma: Double?
    /// Whether returns are normalised per episode, if not the default.
    public var normalizeReturns: Bool?
    /// The optimiser, if not the default.
    public var optimizer: ReinforceConfiguration.OptimizerKind?
    /// AdamW's weight decay λ, if not the default.
    public var weightDecay: Float?
    /// StepLR's step size in episodes (0 or less: no scheduler), if not the default.
    public var schedulerStepSize: Int?
    /// StepLR's γ, if not the default.
    public var schedulerGamma: Float?

    /// The full specification, filling omitted fields from `defaults`.
    public func specification(defaults: ReinforceConfiguration, index: Int) throws -> AgentSpecification {
        let layerActivations: [Activation]
        if let activations {
            layerActivations = activations
        } else if let activation {
            layerActivations = Array(repeating: activation, count: hiddenSizes.count)
        } else {
            throw FederationError.invalidConfiguration("agent \(index + 1): give 'activation' or 'activations'")
        }
        guard layerActivations.count == hiddenSizes.count else {
            throw FederationError.invalidConfiguration(
                "agent \(index + 1): \(hiddenSizes.count) hidden sizes but \(layerActivations.count) activations")
        }
        guard hiddenSizes.allSatisfy({ $0 > 0 && $0 <= 65_536 }) else {
            throw FederationError.invalidConfiguration("agent \(index + 1): hidden sizes must be in 1...65536, got \(hiddenSizes)")
        }
        guard learningRate > 0, learningRate.isFinite else {
            throw FederationError.invalidConfiguration("agent \(index + 1): learningRate must be positive, got \(learningRate)")
        }
        var reinforce = defaults
        reinforce.learningRate = learningRate
        if let gamma { reinforce.gamma = gamma }
        if let normalizeReturns { reinforce.normalizeReturns = normalizeReturns }
        if let optimizer { reinforce.optimizer = optimizer }
        if let weightDecay { reinforce.weightDecay = weightDecay }
        if let schedulerStepSize { reinforce.schedulerStepSize = schedulerStepSize > 0 ? schedulerStepSize : nil }
        if let schedulerGamma { reinforce.schedulerGamma = schedulerGamma }
        return AgentSpecification(hiddenSizes: hiddenSizes, activations: layerActivations, reinforce: reinforce)
    }
}

/// The reference implementation's ten heterogeneous agents per task (see the reference results).
public enum AgentPresets {
    /// REINFORCE defaults of the discrete tasks: Adam, normalised returns, StepLR(100, 0.95), γ 0.99.
    public static func discreteDefaults(learningRate: Float = 1e-3) -> ReinforceConfiguration {
        ReinforceConfiguration(learningRate: learningRate)
    }

    /// REINFORCE defaults of the continuous task: AdamW (λ 0.01), raw returns, no scheduler, γ 0.99, the agent's
    /// own seed at every reset.
    public static func continuousDefaults(learningRate: Float = 1e-4) -> ReinforceConfiguration {
        ReinforceConfiguration(
            learningRate: learningRate, normalizeReturns: false, optimizer: .adamW, weightDecay: 0.01,
            schedulerStepSize: nil, reseedEveryEpisode: true)
    }

    static func discrete(_ hidden: [Int], _ activation: Activation, _ learningRate: Float) -> AgentSpecification {
        AgentSpecification(
            hiddenSizes: hidden, activations: Array(repeating: activation, count: hidden.count),
            reinforce: discreteDefaults(learningRate: learningRate))
    }

    static func continuous(_ hidden: [Int], _ activations: [Activation], _ learningRate: Float) -> AgentSpecification {
        AgentSpecification(hiddenSizes: hidden, activations: activations, reinforce: continuousDefaults(learningRate: learningRate))
    }

    /// CartPole-v1 agents 1–10.
    public static let cartPole: [AgentSpecification] = [
        discrete([128], .relu, 1e-3), discrete([32, 32], .relu, 2e-3), discrete([16, 16, 32], .tanh, 4e-3),
        discrete([8, 8, 8], .relu, 5e-4), discrete([32, 32, 32], .tanh, 3e-3), discrete([8, 8], .relu, 7e-4),
        discrete([64, 64], .tanh, 1e-3), discrete([16, 16], .relu, 5e-4), discrete([16, 32, 16], .tanh, 5e-4),
        discrete([32], .relu, 8e-4),
    ]

    /// LunarLander agents 1–10.
    public static let lunarLander: [AgentSpecification] = [
        discrete([128, 128, 256], .relu, 5e-4), discrete([64, 64], .relu, 1e-3), discrete([128, 128], .tanh, 4e-4),
        discrete([128, 256], .relu, 6e-4), discrete([256, 256], .tanh, 3e-4), discrete([512], .relu, 4e-4),
        discrete([64, 128, 64], .tanh, 5e-4), discrete([32, 32], .relu, 1e-3), discrete([512, 512], .tanh, 2e-4),
        discrete([1024], .relu, 1e-4),
    ]

    /// InvertedPendulum agents 1–10 (per-layer activations).
    public static let invertedPendulum: [AgentSpecification] = [
        continuous([16, 32], [.tanh, .tanh], 1e-4), continuous([32, 32], [.relu, .relu], 1e-4),
        continuous([64, 128], [.tanh, .relu], 6e-5), continuous([128, 256], [.relu, .relu], 1e-5),
        continuous([32, 64], [.relu, .tanh], 1e-4), continuous([64, 64], [.tanh, .tanh], 8e-5),
        continuous([128, 128], [.relu, .relu], 4e-5), continuous([64, 32], [.tanh, .relu], 7e-5),
        continuous([256, 128], [.tanh, .tanh], 2e-5), continuous([32, 128], [.relu, .relu], 5e-5),
    ]
}
