import HPDNN
import HPDTensor

/// Hyperparameters of a PPO learner, with CleanRL's `ppo.py` / `ppo_continuous_action.py` defaults where they
/// apply to one environment (`rolloutSteps` 512 = CleanRL's 4 environments × 128 steps, 4 minibatches of 128).
///
/// Decoding fills every omitted field with its default (so agents files may name only what they change).
public struct PPOConfiguration: Codable, Equatable, Hashable, Sendable, ActorCriticSettings {
    /// The Adam learning rate of the policy (and, by default, of the value network): 2.5·10⁻⁴.
    public var learningRate: Float
    /// The discount γ (0.99).
    public var gamma: Double = 0.99
    /// GAE's λ in [0, 1] (0.95).
    public var gaeLambda: Double = 0.95
    /// The surrogate's clip ε > 0 (0.2); also the value clip when `clipValueLoss`.
    public var clip: Float = 0.2
    /// Clip the value loss around the rollout's values (true).
    public var clipValueLoss: Bool = true
    /// Epochs over each rollout, at least 1 (4).
    public var epochs: Int = 4
    /// Steps per minibatch (128); at most `rolloutSteps`.
    public var minibatchSize: Int = 128
    /// A rollout is whole episodes totalling at least this many steps (512); the update follows the episode that
    /// completes it.
    public var rolloutSteps: Int = 512
    /// The value loss coefficient c_V (0.5).
    public var valueCoefficient: Float = 0.5
    /// The entropy bonus coefficient c_H (0.01).
    public var entropyCoefficient: Float = 0.01
    /// The global gradient-norm clip over actor and critic (0.5), or nil for none.
    public var maxGradientNorm: Float? = 0.5
    /// Normalise the advantages of each minibatch (true).
    public var normalizeAdvantages: Bool = true
    /// The value network (nil: the policy's hidden layers and the policy's learning rate).
    public var valueNetwork: ValueNetworkSpecification?

    /// CleanRL's learning rate.
    public static let defaultLearningRate: Float = 2.5e-4

    /// A configuration with every default above.
    public init(learningRate: Float = PPOConfiguration.defaultLearningRate) {
        self.learningRate = learningRate
    }

    enum CodingKeys: String, CodingKey {
        case learningRate, gamma, gaeLambda, clip, clipValueLoss, epochs, minibatchSize, rolloutSteps
        case valueCoefficient, entropyCoefficient, maxGradientNorm, normalizeAdvantages, valueNetwork
    }

    /// Decodes, filling omitted fields with their defaults.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            learningRate: try container.decodeIfPresent(Float.self, forKey: .learningRate) ?? Self.defaultLearningRate)
        if let value = try container.decodeIfPresent(Float.self, forKey: .clip) { clip = value }
        if let value = try container.decodeIfPresent(Bool.self, forKey: .clipValueLoss) { clipValueLoss = value }
        if let value = try container.decodeIfPresent(Int.self, forKey: .epochs) { epochs = value }
        if let value = try container.decodeIfPresent(Int.self, forKey: .minibatchSize) { minibatchSize = value }
        if let value = try container.decodeIfPresent(Int.self, forKey: .rolloutSteps) { rolloutSteps = value }
        if let value = try container.decodeIfPresent(Float.self, forKey: .valueCoefficient) { valueCoefficient = value }
        try decodeSharedSettings(from: decoder)
    }

    /// Checks every field, naming the first one out of range.
    public func validate() throws(LearnerError) {
        try validateSharedSettings()
        guard clip > 0, clip.isFinite else { throw LearnerError("clip must be positive, got \(clip)") }
        guard epochs >= 1 else { throw LearnerError("epochs must be at least 1, got \(epochs)") }
        guard rolloutSteps >= 1 else { throw LearnerError("rolloutSteps must be at least 1, got \(rolloutSteps)") }
        guard minibatchSize >= 1, minibatchSize <= rolloutSteps else {
            throw LearnerError(
                "minibatchSize must be in 1…rolloutSteps (\(rolloutSteps)), got \(minibatchSize): a minibatch cannot be larger than the data"
            )
        }
        guard valueCoefficient >= 0, valueCoefficient.isFinite else {
            throw LearnerError("valueCoefficient must be ≥ 0, got \(valueCoefficient)")
        }
    }
}

/// One agent learning alone with PPO (Schulman et al. 2017), CleanRL's formulation on one environment:
///
///     collect whole episodes until the rollout holds N ≥ rolloutSteps steps
///     ℓ_old = log π(a_t|s_t), V_old = V(s_t) on the rollout (before any update)
///     A, R = GAE(γ, λ) of the rewards and V_old (V = 0 after each episode's last step)
///     for epoch in 1…epochs:
///         shuffle 0..<N with the agent's sampling stream (Fisher–Yates); split into ⌊N / minibatchSize⌋ minibatches
///         (sizes differ by at most one); for every minibatch B:
///             Â = A_B normalised over B (optional)
///             L = (1/|B|) Σ max(−Â r, −Â clip(r, 1 − ε, 1 + ε)) − c_H mean H(π(·|s))
///                 + c_V · ½ mean max((V − R)², (V_old + clip(V − V_old, −ε, ε) − R)²)     (or the unclipped ½ mean (V − R)²)
///             clip the global gradient norm of actor and critic together; one Adam step on each
///
/// The actor and critic are separate networks with separate Adam optimisers (per-parameter Adam: the same update as
/// CleanRL's one optimiser when their learning rates agree). Distillation events between episodes reach the policy
/// only; a pending rollout's ℓ_old is taken when it is learned from, i.e. from the policy as it is then.
public final class PPOLearner: ActorCriticLearner {
    /// The policy, value network, optimisers, environment, sampling stream and episode counter.
    public let core: ActorCriticCore
    /// The configuration.
    public let configuration: PPOConfiguration

    /// A learner over `policy` and `valueNetwork` (built from `configuration.valueNetwork`'s shape by the caller).
    public init(
        policy: Policy, valueNetwork: ValueNetwork, environment: any Environment, configuration: PPOConfiguration,
        environmentSeed: UInt64, generator: RandomGenerator
    ) {
        self.configuration = configuration
        core = ActorCriticCore(
            learner: "PPOLearner", policy: policy, valueNetwork: valueNetwork, environment: environment,
            environmentSeed: environmentSeed, generator: generator, learningRate: configuration.learningRate,
            valueLearningRate: configuration.valueNetwork?.learningRate ?? configuration.learningRate)
    }

    /// The episodes recorded since the last update (nil when empty).
    public var pendingRollout: Rollout? { core.rollout.count == 0 ? nil : core.rollout }

    /// Plays one episode, appending it to the rollout; returns its undiscounted return.
    @discardableResult
    public func runEpisode() -> Double { core.playEpisode() }

    /// Learns from the rollout once it holds at least `rolloutSteps` steps (as in the type's description), then
    /// empties it; returns the last minibatch's loss L, or 0 when the rollout is not complete yet.
    @discardableResult
    public func update() -> Float {
        guard core.rollout.count >= configuration.rolloutSteps else { return 0 }
        defer { core.rollout.removeAll() }
        let count = core.rollout.count
        let states = core.rollout.stateTensor
        let actions = core.rollout.actions
        let oldLogProbabilities = ActorCriticLosses.logProbabilitiesAndEntropy(
            policy: policy, states: states, actions: actions
        ).logProbabilities.value.scalars
        let oldValues = valueNetwork.values(states).value.scalars
        let (advantages, returns) = GeneralizedAdvantageEstimation.estimate(
            rewards: core.rollout.rewards, values: oldValues.map(Double.init),
            episodeLengths: core.rollout.episodeLengths,
            gamma: configuration.gamma, lambda: configuration.gaeLambda)
        let minibatchCount = max(1, count / configuration.minibatchSize)
        let parameters = optimizer.parameters + criticOptimizer.parameters
        var lastLoss: Float = 0
        for _ in 0..<configuration.epochs {
            let order = shuffledIndices(count)
            for minibatch in 0..<minibatchCount {
                let rows = Array(
                    order[(minibatch * count / minibatchCount)..<((minibatch + 1) * count / minibatchCount)])
                var batchAdvantages = rows.map { advantages[$0] }
                if configuration.normalizeAdvantages {
                    batchAdvantages = GeneralizedAdvantageEstimation.normalized(batchAdvantages)
                }
                let batchStates = Self.gatherRows(states, rows)
                let (logProbabilities, entropy) = ActorCriticLosses.logProbabilitiesAndEntropy(
                    policy: policy, states: batchStates, actions: Self.gatherActions(actions, rows))
                let actorLoss = ActorCriticLosses.clippedSurrogateLoss(
                    logProbabilities: logProbabilities, entropy: entropy,
                    oldLogProbabilities: rows.map { oldLogProbabilities[$0] },
                    advantages: batchAdvantages.map { Float($0) }, clip: configuration.clip,
                    entropyCoefficient: configuration.entropyCoefficient)
                let criticLoss = ActorCriticLosses.valueLoss(
                    values: valueNetwork.values(batchStates), returns: rows.map { Float(returns[$0]) },
                    oldValues: rows.map { oldValues[$0] }, clip: configuration.clipValueLoss ? configuration.clip : nil)
                let loss = actorLoss + criticLoss * configuration.valueCoefficient
                optimizer.zeroGradients()
                criticOptimizer.zeroGradients()
                loss.backward()
                if let maxNorm = configuration.maxGradientNorm {
                    ActorCriticLosses.clipGradientNorm(parameters, maxNorm: maxNorm)
                }
                optimizer.step()
                criticOptimizer.step()
                lastLoss = loss.value.scalarValue
            }
        }
        optimizer.zeroGradients()
        criticOptimizer.zeroGradients()
        return lastLoss
    }

    /// A uniformly random permutation of 0..<count (Fisher–Yates from the top, j = next() mod (i + 1)).
    private func shuffledIndices(_ count: Int) -> [Int] {
        var order = Array(0..<count)
        for index in stride(from: count - 1, to: 0, by: -1) {
            order.swapAt(index, Int(core.generator.next() % UInt64(index + 1)))
        }
        return order
    }

    private static func gatherRows(_ tensor: Tensor, _ rows: [Int]) -> Tensor {
        let columns = tensor.columns
        var scalars = [Float]()
        scalars.reserveCapacity(rows.count * columns)
        for row in rows { scalars.append(contentsOf: tensor.scalars[(row * columns)..<((row + 1) * columns)]) }
        return Tensor(rows: rows.count, columns: columns, scalars: scalars)
    }

    private static func gatherActions(_ actions: PolicyActions, _ rows: [Int]) -> PolicyActions {
        switch actions {
        case .discrete(let indices): return .discrete(rows.map { indices[$0] })
        case .continuous(let vectors): return .continuous(gatherRows(vectors, rows))
        }
    }

    /// Restores the episodes recorded since the last update (nil: none).
    public func restorePendingRollout(_ saved: Rollout?) throws {
        guard let saved else {
            core.rollout.removeAll()
            return
        }
        guard saved.observationSize == core.rollout.observationSize,
            saved.continuousActionSize == core.rollout.continuousActionSize
        else { throw LearnerError("the pending rollout's observation or action size does not fit this PPO learner") }
        core.rollout = saved
    }
}
