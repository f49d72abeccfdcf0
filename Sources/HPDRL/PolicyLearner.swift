import HPDNN
import HPDTensor

/// A local learner that trains a policy by acting in its own environment: REINFORCE, A2C or PPO. A federated agent
/// drives it episode by episode and digests consensus distributions into `policy` with `optimizer`; anything else
/// the learner keeps (a value network, a partial rollout) stays private to it.
public protocol PolicyLearner: AnyObject {
    /// The policy being trained (the only network that is distilled, exported or reported).
    var policy: Policy { get }
    /// The policy's optimiser (digestion uses it too, sharing moments and learning rate).
    var optimizer: Adam { get }
    /// The policy's learning-rate schedule, if any.
    var scheduler: StepLR? { get }
    /// The environment the learner plays in.
    var environment: any Environment { get set }
    /// The sampling stream (actions; PPO's minibatch shuffling too).
    var generator: RandomGenerator { get }
    /// Episodes played so far.
    var episodesPlayed: Int { get }
    /// The number of steps of the last episode.
    var lastEpisodeLength: Int { get }
    /// The optimiser of the learner's private value network (nil for REINFORCE); checkpointed after the policy's.
    var valueOptimizer: Adam? { get }
    /// Transitions recorded but not yet learned from (PPO between updates), for checkpoints.
    var pendingRollout: Rollout? { get }

    /// Plays one full episode and records it; returns its undiscounted return.
    @discardableResult func runEpisode() -> Double
    /// Learns from what was recorded (PPO: only once its rollout is long enough); returns the loss or 0.
    @discardableResult func update() -> Float
    /// Restores the scheduler position (checkpoints).
    func restoreScheduler(epoch: Int)
    /// Restores the sampling stream and episode counter (checkpoints).
    func restoreProgress(generator: RandomGenerator, episodesPlayed: Int)
    /// Restores a partial rollout (checkpoints).
    func restorePendingRollout(_ rollout: Rollout?) throws
}

/// A learner setting out of range (the message starts with the field, e.g. `clip must be positive, got 0`), or
/// checkpointed learner state that does not fit the learner.
public struct LearnerError: Error, CustomStringConvertible {
    /// What is wrong.
    public var description: String

    /// An error with `description`.
    public init(_ description: String) { self.description = description }
}

extension ReinforceLearner: PolicyLearner {
    /// REINFORCE has no value network.
    public var valueOptimizer: Adam? { nil }
    /// REINFORCE learns from every episode at once: nothing is pending between episodes.
    public var pendingRollout: Rollout? { nil }

    /// Accepts only `nil` (REINFORCE keeps nothing between episodes).
    public func restorePendingRollout(_ rollout: Rollout?) throws {
        if rollout != nil { throw LearnerError("a REINFORCE learner has no pending rollout to restore") }
    }
}
