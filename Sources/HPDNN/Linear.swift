import HPDTensor

/// A fully connected layer y = x·Wᵀ + b, stored as PyTorch's `nn.Linear` (W is outputCount × inputCount).
///
/// Initialisation matches PyTorch's default: W and b ~ U(−1/√inputCount, 1/√inputCount).
public final class Linear {
    /// W, outputCount × inputCount.
    public let weight: Variable
    /// b, length outputCount.
    public let bias: Variable

    /// The number of input features.
    public var inputCount: Int { weight.value.columns }
    /// The number of output features.
    public var outputCount: Int { weight.value.rows }

    /// A layer with PyTorch's default initialisation drawn from `generator`.
    public init(inputCount: Int, outputCount: Int, generator: inout RandomGenerator) {
        Precondition.check(
            inputCount > 0 && outputCount > 0, "Linear(\(inputCount), \(outputCount)) needs positive sizes")
        let bound = 1 / Float(inputCount).squareRoot()
        weight = Variable(
            Tensor.uniform([outputCount, inputCount], low: -bound, high: bound, generator: &generator),
            requiresGradient: true)
        bias = Variable(
            Tensor.uniform([outputCount], low: -bound, high: bound, generator: &generator), requiresGradient: true)
    }

    /// A layer with given parameters.
    public init(weight: Tensor, bias: Tensor) {
        Precondition.check(
            weight.rank == 2 && bias.count == weight.rows,
            "Linear: weight \(weight.shape) and bias \(bias.shape) disagree")
        self.weight = Variable(weight, requiresGradient: true)
        self.bias = Variable(bias.reshaped([bias.count]), requiresGradient: true)
    }

    /// x·Wᵀ + b on the tape.
    public func callAsFunction(_ input: Variable) -> Variable {
        Variable.linear(input, weight: weight, bias: bias)
    }

    /// x·Wᵀ + b without a tape, written into `output` (reusing its storage).
    public func forward(_ input: Tensor, into output: inout Tensor) {
        Tensor.linear(input, weight: weight.value, bias: bias.value, into: &output)
    }

    /// The trainable parameters: [W, b].
    public var parameters: [Variable] { [weight, bias] }
}
