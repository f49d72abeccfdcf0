import HPDNN
import HPDTensor

/// The shape and optimiser of an actor-critic learner's value network (the critic). It is private to the agent:
/// it never leaves it, is never distilled, and is saved only in checkpoints.
public struct ValueNetworkSpecification: Codable, Equatable, Hashable, Sendable {
    /// Hidden-layer widths.
    public var hiddenSizes: [Int]
    /// One activation per hidden layer.
    public var activations: [Activation]
    /// Its Adam learning rate, or nil for the learner's default (A2C: 10⁻³; PPO: the policy's learning rate, as
    /// CleanRL's single optimiser over actor and critic).
    public var learningRate: Float?

    /// A value network `observation → hiddenSizes → 1` with one activation per hidden layer.
    public init(hiddenSizes: [Int], activations: [Activation], learningRate: Float? = nil) {
        self.hiddenSizes = hiddenSizes
        self.activations = activations
        self.learningRate = learningRate
    }

    /// Checks the shape and learning rate; messages start with the field under `valueNetwork`.
    public func validate() throws(LearnerError) {
        guard hiddenSizes.count == activations.count else {
            throw LearnerError(
                "valueNetwork.activations: \(hiddenSizes.count) hidden sizes but \(activations.count) activations")
        }
        guard hiddenSizes.allSatisfy({ $0 > 0 && $0 <= 65_536 }) else {
            throw LearnerError("valueNetwork.hiddenSizes must be in 1...65536, got \(hiddenSizes)")
        }
        if let learningRate, !(learningRate > 0 && learningRate.isFinite) {
            throw LearnerError("valueNetwork.learningRate must be positive, got \(learningRate)")
        }
    }
}

/// A state-value function V(s) = MLP(s)·wᵀ + b (one output), trained by regression on returns.
public final class ValueNetwork {
    /// The hidden layers.
    public let body: MLP
    /// The scalar output layer.
    public let head: Linear

    /// A freshly initialised network (PyTorch default initialisation from `generator`).
    public init(observationSize: Int, specification: ValueNetworkSpecification, generator: inout RandomGenerator) {
        body = MLP(
            inputCount: observationSize, hiddenSizes: specification.hiddenSizes,
            activations: specification.activations, generator: &generator)
        head = Linear(inputCount: body.outputCount, outputCount: 1, generator: &generator)
    }

    /// V(s) for a batch of states (n × observation size) on the tape, n×1.
    public func values(_ states: Tensor) -> Variable { head(body(Variable(states))) }

    /// [W₀, b₀, …, w, b]: the body's parameters, then the head's (the order used by checkpoints).
    public var parameters: [Variable] { body.parameters + head.parameters }
}
