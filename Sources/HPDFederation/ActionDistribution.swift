import HPDTensor

/// Action distributions of one agent on a batch of states: the only thing that crosses the black-box boundary.
public enum ActionDistribution: Sendable, Equatable {
    /// π(a|s) as an n × A matrix of probabilities (rows sum to 1).
    case categorical(probabilities: Tensor)
    /// Per-dimension N(μ, σ²): two n × D matrices.
    case gaussian(mean: Tensor, standardDeviation: Tensor)

    /// The number of states.
    public var stateCount: Int {
        switch self {
        case .categorical(let probabilities): return probabilities.rows
        case .gaussian(let mean, _): return mean.rows
        }
    }

    /// The family and width, e.g. for matching against an expected shape.
    public var family: DistributionFamily {
        switch self {
        case .categorical(let probabilities): return .categorical(actionCount: probabilities.columns)
        case .gaussian(let mean, _): return .gaussian(dimensions: mean.columns)
        }
    }

    /// Checks a distribution received from an agent: right family, shape and state count, finite, probabilities
    /// non-negative with rows summing to 1 (±1e-3), standard deviations positive. The message says what is wrong.
    public func validate(expectedFamily: DistributionFamily, stateCount expectedStates: Int) throws(FederationError) {
        guard family == expectedFamily else {
            throw .invalidDistribution("expected \(expectedFamily), got \(family)")
        }
        guard stateCount == expectedStates else {
            throw .invalidDistribution("expected \(expectedStates) states, got \(stateCount)")
        }
        switch self {
        case .categorical(let probabilities):
            let columns = probabilities.columns
            for row in 0..<probabilities.rows {
                var total: Float = 0
                for column in 0..<columns {
                    let value = probabilities.scalars[row * columns + column]
                    guard value.isFinite else {
                        throw .invalidDistribution("state \(row) action \(column): \(value) is not finite")
                    }
                    guard value >= 0 else {
                        throw .invalidDistribution("state \(row) action \(column): negative probability \(value)")
                    }
                    total += value
                }
                guard abs(total - 1) <= 1e-3 else {
                    throw .invalidDistribution("state \(row): probabilities sum to \(total), not 1")
                }
            }
        case .gaussian(let mean, let deviation):
            guard mean.shape == deviation.shape else {
                throw .invalidDistribution(
                    "mean \(mean.shape) and standard deviation \(deviation.shape) differ in shape")
            }
            guard mean.isFinite else { throw .invalidDistribution("a mean is not finite") }
            for (index, value) in deviation.scalars.enumerated() where !(value.isFinite && value > 0) {
                throw .invalidDistribution("standard deviation \(index) is \(value), not a positive finite number")
            }
        }
    }
}

/// A distribution family and its width.
public enum DistributionFamily: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    /// A categorical distribution over `actionCount` discrete actions.
    case categorical(actionCount: Int)
    /// A diagonal Gaussian over `dimensions` continuous action dimensions.
    case gaussian(dimensions: Int)

    /// E.g. "categorical over 2 actions".
    public var description: String {
        switch self {
        case .categorical(let count): return "categorical over \(count) actions"
        case .gaussian(let dimensions): return "gaussian in \(dimensions) dimensions"
        }
    }
}

/// Errors of the federation layer, with messages a user can act on.
public enum FederationError: Error, Equatable, CustomStringConvertible {
    /// An agent's distribution failed validation.
    case invalidDistribution(String)
    /// A public state file is malformed; `line` and `column` are 1-based (0 when not applicable).
    case invalidPublicStates(file: String, line: Int, column: Int, reason: String)
    /// The configuration cannot be run.
    case invalidConfiguration(String)
    /// An unknown environment id.
    case unknownEnvironment(String, known: [String])
    /// A checkpoint written by a run with another configuration (`differences` names the fields): resuming from
    /// an older checkpoint cannot help, unlike a corrupt one.
    case checkpointConfigurationMismatch(path: String, differences: [String])

    /// The message shown to a user.
    public var description: String {
        switch self {
        case .invalidDistribution(let reason): return "invalid action distribution: \(reason)"
        case .invalidPublicStates(let file, let line, let column, let reason):
            let position = line > 0 ? (column > 0 ? ":\(line):\(column)" : ":\(line)") : ""
            return "\(file)\(position): \(reason)"
        case .invalidConfiguration(let reason): return "invalid configuration: \(reason)"
        case .unknownEnvironment(let id, let known):
            return "unknown environment '\(id)'; known: \(known.joined(separator: ", "))"
        case .checkpointConfigurationMismatch(let path, let differences):
            return "invalid configuration: \(path): the checkpoint belongs to another configuration: "
                + differences.joined(separator: ", ")
        }
    }
}
