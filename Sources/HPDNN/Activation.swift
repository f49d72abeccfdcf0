import HPDTensor

/// A hidden-layer nonlinearity.
public enum Activation: String, Codable, Sendable, CaseIterable {
    /// max(x, 0)
    case relu
    /// tanh x
    case tanh

    /// Applies the activation on the tape.
    public func callAsFunction(_ input: Variable) -> Variable {
        switch self {
        case .relu: return input.relu()
        case .tanh: return input.tanh()
        }
    }

    /// The same activation for the fused layer passes of `HPDTensor` (`Tensor.linear(…activation:…)`).
    public var layerActivation: LayerActivation {
        switch self {
        case .relu: return .relu
        case .tanh: return .tanh
        }
    }

    /// Applies the activation in place (no tape, no allocation).
    public func apply(to tensor: inout Tensor) {
        switch self {
        case .relu: tensor.formReLU()
        case .tanh: tensor.formTanh()
        }
    }
}
