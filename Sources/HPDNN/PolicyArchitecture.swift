import HPDTensor

/// The complete description of a policy network: everything needed to rebuild it (its parameters aside).
public struct PolicyArchitecture: Codable, Equatable, Hashable, Sendable {
    /// The family of action distributions a policy outputs.
    public enum Family: String, Codable, Sendable {
        /// π(a|s) = softmax(logits(s)) over a discrete action set.
        case categorical
        /// π(a|s) = N(μ(s), σ(s)²) per action dimension, σ = softplus(·).
        case gaussian
    }

    /// The distribution family.
    public var family: Family
    /// The length of an observation.
    public var observationSize: Int
    /// The number of discrete actions (categorical) or action dimensions (gaussian).
    public var actionSize: Int
    /// Widths of the hidden layers.
    public var hiddenSizes: [Int]
    /// One activation per hidden layer.
    public var activations: [Activation]

    /// A description; check it with `validate()` before building a policy from it.
    public init(
        family: Family, observationSize: Int, actionSize: Int, hiddenSizes: [Int], activations: [Activation]
    ) {
        self.family = family
        self.observationSize = observationSize
        self.actionSize = actionSize
        self.hiddenSizes = hiddenSizes
        self.activations = activations
    }

    /// Checks the description is buildable; the message names the offending field.
    public func validate() throws(PolicyError) {
        guard observationSize > 0 else {
            throw .invalidArchitecture("observationSize must be positive, got \(observationSize)")
        }
        guard actionSize > 0 else { throw .invalidArchitecture("actionSize must be positive, got \(actionSize)") }
        guard hiddenSizes.allSatisfy({ $0 > 0 }) else {
            throw .invalidArchitecture("hidden sizes must be positive, got \(hiddenSizes)")
        }
        guard hiddenSizes.count == activations.count else {
            throw .invalidArchitecture("\(hiddenSizes.count) hidden sizes but \(activations.count) activations")
        }
        if family == .categorical && actionSize < 2 {
            throw .invalidArchitecture("a categorical policy needs at least 2 actions, got \(actionSize)")
        }
    }

    /// A short label such as `[128] relu` or `[64,128] tanh,relu` (one activation shown when all are equal).
    public var summary: String {
        let sizes = "[" + hiddenSizes.map(String.init).joined(separator: ",") + "]"
        let distinct = Set(activations)
        let names =
            distinct.count == 1 && family == .categorical
            ? activations[0].rawValue : activations.map(\.rawValue).joined(separator: ",")
        return names.isEmpty ? sizes : "\(sizes) \(names)"
    }

    /// Multiply-adds of one forward pass for one state.
    package var multiplyAddsPerState: Int {
        var total = 0
        var width = observationSize
        for size in hiddenSizes {
            total += width * size
            width = size
        }
        return total + width * actionSize * (family == .gaussian ? 2 : 1)
    }

    /// The GEMM shapes (m = batch, n = outputs, k = inputs) of one forward pass on `batch` states.
    public func forwardProducts(batch: Int) -> [(m: Int, n: Int, k: Int)] {
        var shapes: [(Int, Int, Int)] = []
        var width = observationSize
        for size in hiddenSizes {
            shapes.append((batch, size, width))
            width = size
        }
        shapes.append((batch, actionSize, width))
        if family == .gaussian { shapes.append((batch, actionSize, width)) }
        return shapes
    }
}

/// Errors about policy architectures.
public enum PolicyError: Error, Equatable, CustomStringConvertible {
    /// The architecture description cannot be built.
    case invalidArchitecture(String)

    /// The message shown to a user.
    public var description: String {
        switch self {
        case .invalidArchitecture(let reason): return "invalid policy architecture: \(reason)"
        }
    }
}

/// A policy network: the parameters an optimiser updates, and its architecture.
public protocol Policy: AnyObject {
    /// What the network looks like.
    var architecture: PolicyArchitecture { get }
    /// Every trainable parameter, in a fixed order (the order used by files and checkpoints).
    var parameters: [Variable] { get }
}

extension Policy {
    /// The number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// Clears every parameter's gradient.
    public func zeroGradients() {
        for parameter in parameters { parameter.zeroGradient() }
    }
}
