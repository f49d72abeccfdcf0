import HPDNN
import HPDTensor

/// Hyperparameters of one agent's REINFORCE learner (Williams, 1992), with the reference implementation's defaults.
public struct ReinforceConfiguration: Codable, Equatable, Hashable, Sendable {
    /// Which optimiser updates the policy.
    public enum OptimizerKind: String, Codable, Sendable {
        /// Adam (β₁ 0.9, β₂ 0.999, ε 1e-8) — the discrete tasks.
        case adam
        /// AdamW with decoupled weight decay — the continuous task.
        case adamW
    }

    /// The learning rate η₀.
    public var learningRate: Float
    /// The discount γ (0.99).
    public var gamma: Double = 0.99
    /// Normalise returns per episode, Ĝ = (G − mean)/(std + 1e-5) (discrete tasks: yes; continuous: no).
    public var normalizeReturns: Bool = true
    /// The optimiser.
    public var optimizer: OptimizerKind = .adam
    /// AdamW's weight decay λ (ignored by Adam).
    public var weightDecay: Float = 0.01
    /// StepLR's step size in episodes, or nil for a constant learning rate.
    public var schedulerStepSize: Int? = 100
    /// StepLR's γ.
    public var schedulerGamma: Float = 0.95
    /// Reset the environment with the agent's own seed at every episode (a fixed start state, as the reference's
    /// continuous task), instead of seeding once per run.
    public var reseedEveryEpisode: Bool = false

    /// A configuration; every field but the learning rate defaults to the reference's discrete-task value.
    public init(
        learningRate: Float, gamma: Double = 0.99, normalizeReturns: Bool = true, optimizer: OptimizerKind = .adam,
        weightDecay: Float = 0.01, schedulerStepSize: Int? = 100, schedulerGamma: Float = 0.95,
        reseedEveryEpisode: Bool = false
    ) {
        self.learningRate = learningRate
        self.gamma = gamma
        self.normalizeReturns = normalizeReturns
        self.optimizer = optimizer
        self.weightDecay = weightDecay
        self.schedulerStepSize = schedulerStepSize
        self.schedulerGamma = schedulerGamma
        self.reseedEveryEpisode = reseedEveryEpisode
    }
}

/// One agent learning alone with REINFORCE: it plays an episode, then takes one optimiser step on
///
///     discrete:    L = Σ_t −log π(a_t|s_t) · Ĝ_t
///     continuous:  L = Σ_t −(1/D) Σ_d log N(a_td; μ_d(s_t), σ_d(s_t)²) · G_t
///
/// followed by one StepLR step. During the episode the policy runs its allocation-free batch-1 path; at the end
/// the recorded states are re-run as **one batched forward** (`ReinforceGradient`, in fixed chunks without a tape)
/// and back-propagated once — the same gradient as per-step graphs, far less work.
public final class ReinforceLearner {
    /// The policy being trained.
    public let policy: Policy
    /// Its optimiser (also used by distillation, sharing moments and learning rate).
    public let optimizer: Adam
    /// The learning-rate schedule, if any.
    public private(set) var scheduler: StepLR?
    /// The environment this agent plays in.
    public var environment: any Environment
    /// The configuration.
    public let configuration: ReinforceConfiguration
    /// The agent's sampling stream.
    public internal(set) var generator: RandomGenerator
    /// The seed the environment is reset with (once, or every episode).
    public let environmentSeed: UInt64
    /// Episodes played so far.
    public internal(set) var episodesPlayed = 0

    /// The last episode's transitions.
    private var rollout: Rollout
    /// The batched gradient of the loss (chunked, tape-free).
    private let gradient: ReinforceGradient

    /// Creates a learner; `generator` drives action sampling, `environmentSeed` the environment.
    public init(
        policy: Policy, environment: any Environment, configuration: ReinforceConfiguration,
        environmentSeed: UInt64, generator: RandomGenerator
    ) {
        Precondition.check(
            policy.architecture.observationSize == environment.observationSize,
            "ReinforceLearner: policy expects \(policy.architecture.observationSize) observations, environment gives \(environment.observationSize)"
        )
        Precondition.check(
            policy.architecture.actionSize == environment.actionSpace.size,
            "ReinforceLearner: policy has \(policy.architecture.actionSize) actions, environment \(environment.actionSpace.size)"
        )
        self.policy = policy
        self.environment = environment
        self.configuration = configuration
        self.environmentSeed = environmentSeed
        self.generator = generator
        gradient = ReinforceGradient(policy: policy)
        Precondition.check(
            policy is CategoricalPolicy || policy is GaussianPolicy,
            "ReinforceLearner supports CategoricalPolicy and GaussianPolicy")
        let weightDecay: Float = configuration.optimizer == .adamW ? configuration.weightDecay : 0
        optimizer = Adam(
            parameters: policy.parameters, learningRate: configuration.learningRate, weightDecay: weightDecay)
        if let stepSize = configuration.schedulerStepSize {
            scheduler = StepLR(
                initialLearningRate: configuration.learningRate, stepSize: stepSize, gamma: configuration.schedulerGamma
            )
        }
        rollout = Rollout(for: policy, in: environment)
    }

    /// The number of steps in the last recorded episode.
    public var lastEpisodeLength: Int { rollout.count }

    /// Plays one full episode, sampling a_t ~ π(·|s_t), records it, and returns its undiscounted return.
    @discardableResult
    public func runEpisode() -> Double {
        let seed: UInt64? = (episodesPlayed == 0 || configuration.reseedEveryEpisode) ? environmentSeed : nil
        rollout.removeAll()
        let total = rollout.playEpisode(
            policy: policy, environment: &environment, resetSeed: seed, generator: &generator)
        episodesPlayed += 1
        return total
    }

    /// One REINFORCE step on the recorded episode, then one scheduler step. Returns the loss L.
    @discardableResult
    public func update() -> Float {
        Precondition.check(rollout.count > 0, "update() needs a recorded episode: call runEpisode() first")
        var returns = Returns.discounted(rewards: rollout.rewards, gamma: configuration.gamma)
        if configuration.normalizeReturns { returns = Returns.normalized(returns) }
        let states = rollout.stateTensor
        let weights = returns.map { Float($0) }
        let loss: Float
        switch rollout.actions {
        case .discrete(let actions): loss = gradient.compute(states: states, actions: actions, weights: weights)
        case .continuous(let actions): loss = gradient.compute(states: states, actions: actions, weights: weights)
        }
        optimizer.step()
        gradient.releaseGradients()
        scheduler?.step(optimizer)
        return loss
    }

    /// Restores the scheduler position (checkpoints).
    public func restoreScheduler(epoch: Int) {
        scheduler?.restore(epoch: epoch)
        if let scheduler { optimizer.learningRate = scheduler.learningRate }
    }

    /// Restores the sampling stream and episode counter (checkpoints).
    public func restoreProgress(generator: RandomGenerator, episodesPlayed: Int) {
        self.generator = generator
        self.episodesPlayed = episodesPlayed
    }

    /// The recorded episode's states (steps × observationSize), actions and rewards, for inspection and tests.
    public var recordedEpisode: (states: Tensor, actions: [Int], rewards: [Double]) {
        (rollout.stateTensor, rollout.discreteActions, rollout.rewards)
    }
}
