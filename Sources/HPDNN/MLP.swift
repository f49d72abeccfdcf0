import HPDTensor

/// A multilayer perceptron: Linear → activation for every hidden layer, with a per-layer activation.
///
/// h₀ = x, h_{i+1} = act_i(h_i·W_iᵀ + b_i). The output is the last hidden layer (heads are added by the policies).
public final class MLP {
    /// The hidden layers in order.
    public let layers: [Linear]
    /// One activation per hidden layer.
    public let activations: [Activation]

    /// The width of the last hidden layer (the input size when there are no hidden layers).
    public let outputCount: Int

    /// Builds `inputCount → hiddenSizes[0] → … → hiddenSizes.last`.
    public init(inputCount: Int, hiddenSizes: [Int], activations: [Activation], generator: inout RandomGenerator) {
        Precondition.check(
            hiddenSizes.count == activations.count,
            "MLP: \(hiddenSizes.count) hidden sizes but \(activations.count) activations")
        var layers: [Linear] = []
        var width = inputCount
        for size in hiddenSizes {
            layers.append(Linear(inputCount: width, outputCount: size, generator: &generator))
            width = size
        }
        self.layers = layers
        self.activations = activations
        self.outputCount = width
    }

    /// The hidden representation on the tape.
    public func callAsFunction(_ input: Variable) -> Variable {
        var hidden = input
        for (layer, activation) in zip(layers, activations) { hidden = activation(layer(hidden)) }
        return hidden
    }

    /// The trainable parameters, layer by layer: [W₀, b₀, W₁, b₁, …].
    public var parameters: [Variable] { layers.flatMap { $0.parameters } }
}
