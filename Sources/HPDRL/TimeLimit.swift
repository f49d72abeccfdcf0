import HPDTensor

/// Wraps an environment and truncates every episode after `maxEpisodeSteps` steps (Gymnasium's `TimeLimit`):
/// the step that reaches the limit reports `truncated = true` unless it also terminated.
public struct TimeLimit<Wrapped: Environment>: Environment {
    /// The wrapped environment.
    public var wrapped: Wrapped
    /// The step limit.
    public let maxEpisodeSteps: Int
    /// Steps taken in the current episode.
    public private(set) var elapsedSteps = 0

    /// Wraps `wrapped`, truncating episodes after `maxEpisodeSteps` steps (must be positive).
    public init(_ wrapped: Wrapped, maxEpisodeSteps: Int) {
        Precondition.check(maxEpisodeSteps > 0, "TimeLimit needs a positive step limit, got \(maxEpisodeSteps)")
        self.wrapped = wrapped
        self.maxEpisodeSteps = maxEpisodeSteps
    }

    /// The wrapped environment's observation size.
    public var observationSize: Int { wrapped.observationSize }
    /// The wrapped environment's action space.
    public var actionSpace: ActionSpace { wrapped.actionSpace }

    /// Resets the step count and the wrapped environment.
    public mutating func reset(seed: UInt64?) -> [Float] {
        elapsedSteps = 0
        return wrapped.reset(seed: seed)
    }

    /// Steps the wrapped environment; sets `truncated` on the step that reaches the limit.
    public mutating func step(_ action: EnvironmentAction) -> StepResult {
        var result = wrapped.step(action)
        elapsedSteps += 1
        if elapsedSteps >= maxEpisodeSteps { result.truncated = true }
        return result
    }
}

extension TimeLimit: RandomStateEnvironment where Wrapped: RandomStateEnvironment {
    /// The wrapped environment's random stream.
    public var randomState: RandomGenerator {
        get { wrapped.randomState }
        set { wrapped.randomState = newValue }
    }
}
