import HPDNN
import HPDTensor

/// Hyperparameters of an advantage actor-critic learner (episodic A2C), with documented defaults.
///
/// Decoding fills every omitted field with its default (so agents files may name only what they change).
public struct A2CConfiguration: Codable, Equatable, Hashable, Sendable, ActorCriticSettings {
    /// The policy's Adam learning rate.
    public var learningRate: Float
    /// The discount γ (0.99).
    public var gamma: Double = 0.99
    /// GAE's λ in [0, 1] (1: the Monte-Carlo advantage A_t = G_t − V(s_t); default 1).
    public var gaeLambda: Double = 1
    /// The entropy bonus coefficient c_H (0.01).
    public var entropyCoefficient: Float = 0.01
    /// Normalise the advantages of each episode to zero mean and unit standard deviation (true).
    public var normalizeAdvantages: Bool = true
    /// Global gradient-norm clip of each network's update, or nil for none (0.5, Stable-Baselines3's A2C default).
    public var maxGradientNorm: Float? = 0.5
    /// The value network (nil: the policy's hidden layers, Adam with learning rate 10⁻³).
    public var valueNetwork: ValueNetworkSpecification?

    /// The default value network's learning rate.
    public static let defaultValueLearningRate: Float = 1e-3

    /// A configuration; every field but the learning rate has the default documented on it.
    public init(
        learningRate: Float, gamma: Double = 0.99, gaeLambda: Double = 1, entropyCoefficient: Float = 0.01,
        normalizeAdvantages: Bool = true, maxGradientNorm: Float? = 0.5, valueNetwork: ValueNetworkSpecification? = nil
    ) {
        self.learningRate = learningRate
        self.gamma = gamma
        self.gaeLambda = gaeLambda
        self.entropyCoefficient = entropyCoefficient
        self.normalizeAdvantages = normalizeAdvantages
        self.maxGradientNorm = maxGradientNorm
        self.valueNetwork = valueNetwork
    }

    enum CodingKeys: String, CodingKey {
        case learningRate, gamma, gaeLambda, entropyCoefficient, normalizeAdvantages, maxGradientNorm, valueNetwork
    }

    /// Decodes, filling omitted fields with their defaults (the learning rate defaults to 7·10⁻⁴, SB3's).
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(learningRate: try container.decodeIfPresent(Float.self, forKey: .learningRate) ?? 7e-4)
        try decodeSharedSettings(from: decoder)
    }

    /// Checks every field, naming the first one out of range.
    public func validate() throws(LearnerError) {
        try validateSharedSettings()
    }
}

/// One agent learning alone with episodic advantage actor-critic (Mnih et al. 2016, one environment, one update per
/// episode). After each episode, with V the private value network evaluated on the episode's states:
///
///     A_t, R_t   = GAE(γ, λ) of the rewards and V(s_t)                  (λ = 1: A_t = G_t − V(s_t), R_t = G_t)
///     Â_t        = normalised A_t (optional)
///     policy:      L_π = −(1/T) Σ_t log π(a_t|s_t) Â_t − c_H (1/T) Σ_t H(π(·|s_t))     one Adam step (its own)
///     value:       L_V = ½ (1/T) Σ_t (V(s_t) − R_t)²                                    one Adam step (its own)
///
/// each gradient clipped to `maxGradientNorm` first. Distillation reaches the policy only.
public final class A2CLearner: ActorCriticLearner {
    /// The policy, value network, optimisers, environment, sampling stream and episode counter.
    public let core: ActorCriticCore
    /// The configuration.
    public let configuration: A2CConfiguration

    /// A learner over `policy` and `valueNetwork` (built from `configuration.valueNetwork`'s shape by the caller).
    public init(
        policy: Policy, valueNetwork: ValueNetwork, environment: any Environment, configuration: A2CConfiguration,
        environmentSeed: UInt64, generator: RandomGenerator
    ) {
        self.configuration = configuration
        core = ActorCriticCore(
            learner: "A2CLearner", policy: policy, valueNetwork: valueNetwork, environment: environment,
            environmentSeed: environmentSeed, generator: generator, learningRate: configuration.learningRate,
            valueLearningRate: configuration.valueNetwork?.learningRate ?? A2CConfiguration.defaultValueLearningRate)
    }

    /// A2C learns from every episode at once: nothing is pending between episodes.
    public var pendingRollout: Rollout? { nil }

    /// Plays one episode into an emptied rollout; returns its undiscounted return.
    @discardableResult
    public func runEpisode() -> Double {
        core.rollout.removeAll()
        return core.playEpisode()
    }

    /// One policy step and one value step on the recorded episode, as in the type's description; returns L_π.
    @discardableResult
    public func update() -> Float {
        let rollout = core.rollout
        Precondition.check(rollout.count > 0, "update() needs a recorded episode: call runEpisode() first")
        let states = rollout.stateTensor
        let values = valueNetwork.values(states)
        var (advantages, returns) = GeneralizedAdvantageEstimation.estimate(
            rewards: rollout.rewards, values: values.value.scalars.map(Double.init),
            episodeLengths: rollout.episodeLengths, gamma: configuration.gamma, lambda: configuration.gaeLambda)
        if configuration.normalizeAdvantages { advantages = GeneralizedAdvantageEstimation.normalized(advantages) }

        let (logProbabilities, entropy) = ActorCriticLosses.logProbabilitiesAndEntropy(
            policy: policy, states: states, actions: rollout.actions)
        let policyLoss = ActorCriticLosses.advantageLoss(
            logProbabilities: logProbabilities, entropy: entropy, advantages: advantages.map { Float($0) },
            entropyCoefficient: configuration.entropyCoefficient)
        Self.step(optimizer, loss: policyLoss, maxNorm: configuration.maxGradientNorm)

        let valueLoss = ActorCriticLosses.valueLoss(values: values, returns: returns.map { Float($0) })
        Self.step(criticOptimizer, loss: valueLoss, maxNorm: configuration.maxGradientNorm)
        return policyLoss.value.scalarValue
    }

    /// Back-propagates `loss` into `optimizer`'s parameters, clips, steps, and clears the gradients.
    private static func step(_ optimizer: Adam, loss: Variable, maxNorm: Float?) {
        optimizer.zeroGradients()
        loss.backward()
        if let maxNorm { ActorCriticLosses.clipGradientNorm(optimizer.parameters, maxNorm: maxNorm) }
        optimizer.step()
        optimizer.zeroGradients()
    }

    public func restorePendingRollout(_ rollout: Rollout?) throws {
        if rollout != nil { throw LearnerError("an A2C learner has no pending rollout to restore") }
    }
}
