import HPDTensor

/// What an agent may do in an environment.
public enum ActionSpace: Sendable, Equatable, Codable {
    /// `count` discrete actions, numbered 0..<count.
    case discrete(count: Int)
    /// A box of continuous actions: one bound pair per dimension.
    case continuous(low: [Float], high: [Float])

    /// The number of discrete actions, or the number of continuous dimensions.
    public var size: Int {
        switch self {
        case .discrete(let count): return count
        case .continuous(let low, _): return low.count
        }
    }
}

/// One action handed to `Environment.step`.
///
/// For continuous spaces pass a reused array (`.continuous(buffer)`): passing an existing array does not allocate.
public enum EnvironmentAction: Sendable, Equatable {
    /// A discrete action index in 0..<count.
    case discrete(Int)
    /// One value per continuous action dimension (environments clamp to their bounds).
    case continuous([Float])
}

/// The outcome of one `Environment.step`, with Gymnasium's semantics.
public struct StepResult: Sendable, Equatable {
    /// The observation after the step.
    public var observation: [Float]
    /// The reward for the transition.
    public var reward: Double
    /// The episode ended in a terminal state of the MDP (e.g. the pole fell).
    public var terminated: Bool
    /// The episode was cut short from outside the MDP (e.g. a time limit).
    public var truncated: Bool

    /// A step result with Gymnasium's fields.
    public init(observation: [Float], reward: Double, terminated: Bool, truncated: Bool) {
        self.observation = observation
        self.reward = reward
        self.terminated = terminated
        self.truncated = truncated
    }

    /// `terminated || truncated`.
    public var isDone: Bool { terminated || truncated }
}

/// A reinforcement-learning environment with Gymnasium's semantics.
///
/// - `reset(seed:)` starts a new episode. It reseeds the environment's random stream **only when a seed is given**;
///   `reset(seed: nil)` continues the existing stream (Gymnasium's rule), so a run seeds once and later episodes
///   differ.
/// - `step(_:)` returns the next observation, the reward, and the `terminated` / `truncated` flags.
///
/// Conform your own type to plug a custom task into the trainers; see `TimeLimit` for adding a step limit.
public protocol Environment {
    /// The length of every observation vector.
    var observationSize: Int { get }
    /// The action space.
    var actionSpace: ActionSpace { get }
    /// Starts a new episode and returns its first observation.
    mutating func reset(seed: UInt64?) -> [Float]
    /// Applies `action` and advances the environment by one step.
    mutating func step(_ action: EnvironmentAction) -> StepResult
}

extension Environment {
    /// Starts a new episode continuing the current random stream.
    public mutating func reset() -> [Float] { reset(seed: nil) }
}

/// An environment whose random stream can be read and restored, so a run can be checkpointed between episodes and
/// resumed exactly: at an episode boundary the next `reset(seed: nil)` depends only on this stream.
public protocol RandomStateEnvironment: Environment {
    /// The environment's random stream.
    var randomState: RandomGenerator { get set }
}
