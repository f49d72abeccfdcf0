import HPDNN
import HPDTensor

/// The state every actor-critic learner (A2C, PPO) keeps, held once: the policy (actor) and its Adam optimiser, the
/// private value network (critic) and its own Adam, the environment, the sampling stream, the reset seed, the episode
/// counter and the rollout. The learners differ only in when and how they learn from `rollout`.
public final class ActorCriticCore {
    /// The policy (the actor).
    public let policy: Policy
    /// The policy's optimiser (digestion uses it too).
    public let optimizer: Adam
    /// The private value network (the critic).
    public let valueNetwork: ValueNetwork
    /// The value network's own optimiser.
    public let criticOptimizer: Adam
    /// The environment the learner plays in.
    public var environment: any Environment
    /// The sampling stream (actions; PPO's minibatch shuffling too).
    public internal(set) var generator: RandomGenerator
    /// The seed the environment is reset with before the first episode.
    public let environmentSeed: UInt64
    /// Episodes played so far.
    public internal(set) var episodesPlayed = 0
    /// The number of steps of the last episode.
    public private(set) var lastEpisodeLength = 0
    /// The transitions recorded since the learner last emptied it.
    var rollout: Rollout

    /// The state of `learner` (named in the precondition's message) over `policy` and `valueNetwork`, with Adam
    /// optimisers at `learningRate` (policy) and `valueLearningRate` (value network). The policy must fit the
    /// environment's observation and action sizes.
    init(
        learner: String, policy: Policy, valueNetwork: ValueNetwork, environment: any Environment,
        environmentSeed: UInt64, generator: RandomGenerator, learningRate: Float, valueLearningRate: Float
    ) {
        Precondition.check(
            policy.architecture.observationSize == environment.observationSize
                && policy.architecture.actionSize == environment.actionSpace.size,
            "\(learner): the policy does not fit the environment")
        self.policy = policy
        self.valueNetwork = valueNetwork
        self.environment = environment
        self.environmentSeed = environmentSeed
        self.generator = generator
        optimizer = Adam(parameters: policy.parameters, learningRate: learningRate)
        criticOptimizer = Adam(parameters: valueNetwork.parameters, learningRate: valueLearningRate)
        rollout = Rollout(for: policy, in: environment)
    }

    /// Plays one episode into `rollout` (after what it holds), resetting the environment with `environmentSeed`
    /// before the first; returns its undiscounted return.
    func playEpisode() -> Double {
        let before = rollout.count
        let total = rollout.playEpisode(
            policy: policy, environment: &environment, resetSeed: episodesPlayed == 0 ? environmentSeed : nil,
            generator: &generator)
        lastEpisodeLength = rollout.count - before
        episodesPlayed += 1
        return total
    }
}

/// A learner built on an `ActorCriticCore`: everything of `PolicyLearner` but the episode, the update and the
/// pending rollout comes from the core, so A2C and PPO declare it once.
public protocol ActorCriticLearner: PolicyLearner {
    /// The learner's state.
    var core: ActorCriticCore { get }
}

extension ActorCriticLearner {
    /// The policy (the actor).
    public var policy: Policy { core.policy }
    /// The policy's optimiser.
    public var optimizer: Adam { core.optimizer }
    /// Actor-critic learners here have no learning-rate schedule.
    public var scheduler: StepLR? { nil }
    /// The environment this agent plays in.
    public var environment: any Environment {
        get { core.environment }
        set { core.environment = newValue }
    }
    /// The sampling stream.
    public var generator: RandomGenerator { core.generator }
    /// Episodes played so far.
    public var episodesPlayed: Int { core.episodesPlayed }
    /// The number of steps of the last episode.
    public var lastEpisodeLength: Int { core.lastEpisodeLength }
    /// The private value network (the critic).
    public var valueNetwork: ValueNetwork { core.valueNetwork }
    /// The value network's own optimiser.
    public var criticOptimizer: Adam { core.criticOptimizer }
    /// The value network's optimiser, checkpointed after the policy's.
    public var valueOptimizer: Adam? { core.criticOptimizer }
    /// The seed the environment is reset with before the first episode.
    public var environmentSeed: UInt64 { core.environmentSeed }

    /// Nothing to restore: there is no schedule.
    public func restoreScheduler(epoch: Int) {}

    /// Restores the sampling stream and the episode counter (checkpoints).
    public func restoreProgress(generator: RandomGenerator, episodesPlayed: Int) {
        core.generator = generator
        core.episodesPlayed = episodesPlayed
    }
}
