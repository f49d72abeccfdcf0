/// The activation fused into a layer's forward pass, or whose derivative the input gradient applies.
public enum LayerActivation: Sendable, Equatable {
    /// y = v.
    case identity
    /// y = max(v, 0); derivative 1 where y > 0, else 0.
    case relu
    /// y = tanh v (`Tensor.fastTanh`); derivative 1 − y².
    case tanh
}

/// A layer's three tape-free passes over a chunk of states, each run by a fused small-layer kernel or by BLAS as
/// `SmallLayerKernels.variant(for:rows:inputCount:outputCount:)` decides for the shape. Both ways compute the same
/// maths; see `SmallLayerKernels` for the summation order. `scratch` is the caller's reusable buffer (grown once).
extension Tensor {
    /// output ← act(input·Wᵀ + b): `input` n×in, `weight` out×in, `bias` [out], `output` n×out.
    public static func linear(
        _ input: Tensor, weight: Tensor, bias: Tensor, activation: LayerActivation, into output: inout Tensor,
        scratch: inout [Float]
    ) {
        guard
            let variant = SmallLayerKernels.variant(
                for: .forward, rows: input.rows, inputCount: weight.columns, outputCount: weight.rows)
        else {
            linear(input, weight: weight, bias: bias, into: &output)
            switch activation {
            case .identity: break
            case .relu: output.formReLU()
            case .tanh: output.formTanh()
            }
            return
        }
        checkLinearShapes(input, weight: weight, bias: bias, output: output)
        SmallLayerKernels.forward(
            variant, rows: input.rows, inputCount: weight.columns, outputCount: weight.rows, input: input.scalars,
            weight: weight.scalars, bias: bias.scalars, activation: activation, output: &output.scalars,
            scratch: &scratch)
    }

    /// Linear's input rule x̄ = ȳ·W (added to `inputGradient` when `accumulating`), then, for the layer below with
    /// output `belowOutput` (= x) and activation `derivative`, z̄ = x̄ ⊙ act′ (identity: x̄ as it is).
    public static func linearInputGradient(
        outputGradient: Tensor, weight: Tensor, accumulating: Bool, derivative: LayerActivation, belowOutput: Tensor,
        into inputGradient: inout Tensor, scratch: inout [Float]
    ) {
        guard
            let variant = SmallLayerKernels.variant(
                for: .inputGradient, rows: outputGradient.rows, inputCount: weight.columns,
                outputCount: weight.rows)
        else {
            linearInputGradient(
                outputGradient: outputGradient, weight: weight, accumulating: accumulating, into: &inputGradient)
            switch derivative {
            case .identity: break
            case .relu: inputGradient.formReLUGradient(output: belowOutput)
            case .tanh: inputGradient.formTanhGradient(output: belowOutput)
            }
            return
        }
        let rows = outputGradient.rows
        Precondition.check(
            outputGradient.columns == weight.rows && inputGradient.rows == rows
                && inputGradient.columns == weight.columns && belowOutput.count == inputGradient.count,
            "linearInputGradient: ȳ \(outputGradient.shape), W \(weight.shape), x̄ \(inputGradient.shape), "
                + "x \(belowOutput.shape)")
        SmallLayerKernels.inputGradient(
            variant, rows: rows, inputCount: weight.columns, outputCount: weight.rows,
            outputGradient: outputGradient.scalars, weight: weight.scalars, accumulating: accumulating,
            derivative: derivative, belowOutput: belowOutput.scalars, inputGradient: &inputGradient.scalars,
            scratch: &scratch)
    }

    /// Linear's parameter rules W̄ = ȳᵀ·x and b̄ = Σ_rows ȳ, written over the two buffers.
    public static func linearParameterGradients(
        outputGradient: Tensor, input: Tensor, weightGradient: inout Tensor, biasGradient: inout Tensor,
        scratch: inout [Float]
    ) {
        guard
            let variant = SmallLayerKernels.variant(
                for: .parameterGradients, rows: input.rows, inputCount: input.columns,
                outputCount: outputGradient.columns)
        else {
            linearParameterGradients(
                outputGradient: outputGradient, input: input, weightGradient: &weightGradient,
                biasGradient: &biasGradient)
            return
        }
        Precondition.check(
            outputGradient.rows == input.rows && weightGradient.rows == outputGradient.columns
                && weightGradient.columns == input.columns && biasGradient.count == outputGradient.columns,
            "linearParameterGradients: ȳ \(outputGradient.shape), x \(input.shape), W̄ \(weightGradient.shape), "
                + "b̄ \(biasGradient.shape)")
        SmallLayerKernels.parameterGradients(
            variant, rows: input.rows, inputCount: input.columns, outputCount: outputGradient.columns,
            outputGradient: outputGradient.scalars, input: input.scalars, weightGradient: &weightGradient.scalars,
            biasGradient: &biasGradient.scalars, scratch: &scratch)
    }
}
