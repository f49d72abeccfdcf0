import HPDNN
import HPDRL

/// One heterogeneous agent: its private network shape and its private training configuration.
public struct AgentSpecification: Codable, Equatable, Hashable, Sendable {
    /// Hidden-layer widths.
    public var hiddenSizes: [Int]
    /// One activation per hidden layer.
    public var activations: [Activation]
    /// The REINFORCE learner's hyperparameters (learning rate, γ, optimiser, schedule…). For A2C and PPO agents
    /// only its learning rate is read (by `label`); their own configuration holds the same value.
    public var reinforce: ReinforceConfiguration
    /// The A2C learner's settings when the agent learns with A2C (nil otherwise; absent from REINFORCE configs).
    public var a2c: A2CConfiguration?
    /// The PPO learner's settings when the agent learns with PPO (nil otherwise; absent from REINFORCE configs).
    public var ppo: PPOConfiguration?

    /// An agent with `hiddenSizes.count` hidden layers (one activation each) trained with `reinforce`, or with A2C
    /// or PPO when `a2c` or `ppo` is given (not both).
    public init(
        hiddenSizes: [Int], activations: [Activation], reinforce: ReinforceConfiguration,
        a2c: A2CConfiguration? = nil, ppo: PPOConfiguration? = nil
    ) {
        self.hiddenSizes = hiddenSizes
        self.activations = activations
        self.reinforce = reinforce
        self.a2c = a2c
        self.ppo = ppo
    }

    /// The local learning algorithm.
    public var algorithm: LearningAlgorithm { ppo != nil ? .ppo : a2c != nil ? .a2c : .reinforce }

    /// The full architecture for an environment's observation and action sizes.
    public func architecture(observationSize: Int, actionSpace: ActionSpace) -> PolicyArchitecture {
        let family: PolicyArchitecture.Family
        if case .discrete = actionSpace { family = .categorical } else { family = .gaussian }
        return PolicyArchitecture(
            family: family, observationSize: observationSize, actionSize: actionSpace.size, hiddenSizes: hiddenSizes,
            activations: activations)
    }

    /// A label such as `[128] relu lr=0.001` (A2C and PPO agents add ` a2c` or ` ppo`).
    public var label: String {
        let activationText =
            Set(activations).count == 1 ? activations[0].rawValue : activations.map(\.rawValue).joined(separator: ",")
        let learner = algorithm == .reinforce ? "" : " \(algorithm.rawValue)"
        return
            "[\(hiddenSizes.map(String.init).joined(separator: ","))] \(activationText) lr=\(reinforce.learningRate)\(learner)"
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
        AgentSpecification(
            hiddenSizes: hidden, activations: activations, reinforce: continuousDefaults(learningRate: learningRate))
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
