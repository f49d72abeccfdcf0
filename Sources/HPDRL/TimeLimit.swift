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

    public init(_ wrapped: Wrapped, maxEpisodeSteps: Int) {
        precondition(maxEpisodeSteps > 0, "TimeLimit needs a positive step limit, got \(maxEpisodeSteps)")
        self.wrapped = wrapped
        self.maxEpisodeSteps = maxEpisodeSteps
    }

    public var observationSize: Int { wrapped.observationSize }
    public var actionSpace: ActionSpace { wrapped.actionSpace }

    public mutating func reset(seed: UInt64?) -> [Float] {
        elapsedSteps = 0
        return wrapped.reset(seed: seed)
    }

    public mutating func step(_ action: EnvironmentAction) -> StepResult {
        var result = wrapped.step(action)
        elapsedSteps += 1
        if elapsedSteps >= maxEpisodeSteps { result.truncated = true }
        return result
    }
}

extension TimeLimit: RandomStateEnvironment where Wrapped: RandomStateEnvironment {
    public var randomState: RandomGenerator {
        get { wrapped.randomState }
        set { wrapped.randomState = newValue }
    }
}
