import HPDTensor

/// One chunk of states pushed through a policy network (an MLP body and linear heads) without a tape: the forward
/// pass keeps every activation, and the backward pass turns the loss gradient with respect to the heads' outputs
/// into this chunk's share of every parameter's gradient. All buffers live as long as the chunk, so repeated passes
/// allocate nothing.
///
/// Backward, with h₀ = x, h_{i+1} = act_i(h_i·W_iᵀ + b_i) and heads y_j = h_L·W_jᵀ + b_j (rules of `Derivatives.swift`):
///
///     W̄_j = ȳ_jᵀ·h_L,  b̄_j = Σ_rows ȳ_j,  h̄_L = Σ_j ȳ_j·W_j
///     for i = L−1 … 0:  z̄_i = h̄_{i+1} ⊙ act_i′,  W̄_i = z̄_iᵀ·h_i,  b̄_i = Σ_rows z̄_i,  h̄_i = z̄_i·W_i (i > 0)
///
/// `@unchecked Sendable`: distinct chunks may run on distinct threads at once; each mutates only its own buffers and
/// reads the shared parameters, which nobody changes while chunks run.
public final class NetworkChunk: @unchecked Sendable {
    /// The states of the chunk (rows × observation size) and the forward activations.
    let forward: InferenceWorkspace
    /// ∂L/∂(head output), one per head (rows × head width); the loss writes these before `backward`.
    public var headGradients: [Tensor]
    /// One spare buffer per head (rows × head width) for a loss's intermediate values, e.g. σ = softplus(head).
    public var headScratch: [Tensor]
    /// The loss summed over this chunk's rows (set by the caller's loss; summed over chunks in order).
    public var partialLoss = 0.0
    /// The parameter version (caller's counter) the stored forward was computed with, or nil.
    var forwardVersion: Int?
    private var hiddenGradients: [Tensor]
    private var weightGradients: [Tensor]
    private var biasGradients: [Tensor]
    /// The small-layer kernels' reusable buffer for the backward pass.
    private var scratch: [Float] = []

    /// Buffers for `rows` states of a network with the given sizes.
    init(rows: Int, observationSize: Int, hiddenSizes: [Int], headSizes: [Int]) {
        forward = InferenceWorkspace(
            batch: rows, observationSize: observationSize, hiddenSizes: hiddenSizes, headSizes: headSizes)
        headGradients = headSizes.map { Tensor.zeros([rows, $0]) }
        headScratch = headSizes.map { Tensor.zeros([rows, $0]) }
        hiddenGradients = hiddenSizes.map { Tensor.zeros([rows, $0]) }
        let inputSizes = [observationSize] + hiddenSizes
        let top = inputSizes.last!
        weightGradients =
            zip(hiddenSizes, inputSizes).map { Tensor.zeros([$0, $1]) } + headSizes.map { Tensor.zeros([$0, top]) }
        biasGradients = (hiddenSizes + headSizes).map { Tensor.zeros([$0]) }
    }

    /// Gives `body` head gradients 0 and 1 at once (a loss with one gradient per head, e.g. μ̄ and σ̄).
    public func withFirstTwoHeadGradients(_ body: (inout Tensor, inout Tensor) -> Void) {
        Precondition.check(headGradients.count >= 2, "withFirstTwoHeadGradients: \(headGradients.count) heads")
        headGradients.withUnsafeMutableBufferPointer { buffer in
            let first = buffer.baseAddress!
            body(&first.pointee, &(first + 1).pointee)
        }
    }

    /// The number of states.
    public var rows: Int { forward.batch }

    /// The heads' outputs of the last forward pass (rows × head width each).
    public var headOutputs: [Tensor] { forward.heads }

    /// Copies rows `range` of `states` in and runs the forward pass; `version` identifies the parameters used.
    func runForward(states: Tensor, range: Range<Int>, body: MLP, heads: [Linear], version: Int?) {
        forward.input.replaceRows(of: states, range: range)
        forward.run(body: body, heads: heads)
        forwardVersion = version
    }

    /// Whether the stored forward was computed with parameter `version` on rows `range` of `states`.
    func holdsForward(states: Tensor, range: Range<Int>, version: Int) -> Bool {
        forwardVersion == version && forward.input.equalsRows(of: states, range: range)
    }

    /// Back-propagates `headGradients` through the heads and the body into this chunk's share of every parameter's
    /// gradient. Each input gradient applies the activation derivative of the layer below in the same pass (after
    /// the last head's share, for the top layer), so `hiddenGradients[i]` holds z̄_i when layer i is reached.
    func backward(body: MLP, heads: [Linear]) {
        let layerCount = body.layers.count
        let top = layerCount > 0 ? forward.hidden[layerCount - 1] : forward.input
        for (index, head) in heads.enumerated() {
            Tensor.linearParameterGradients(
                outputGradient: headGradients[index], input: top, weightGradient: &weightGradients[layerCount + index],
                biasGradient: &biasGradients[layerCount + index], scratch: &scratch)
            if layerCount > 0 {
                Tensor.linearInputGradient(
                    outputGradient: headGradients[index], weight: head.weight.value, accumulating: index > 0,
                    derivative: index == heads.count - 1 ? body.activations[layerCount - 1].layerActivation : .identity,
                    belowOutput: top, into: &hiddenGradients[layerCount - 1], scratch: &scratch)
            }
        }
        for layer in stride(from: layerCount - 1, through: 0, by: -1) {
            let input = layer > 0 ? forward.hidden[layer - 1] : forward.input
            Tensor.linearParameterGradients(
                outputGradient: hiddenGradients[layer], input: input, weightGradient: &weightGradients[layer],
                biasGradient: &biasGradients[layer], scratch: &scratch)
            if layer > 0 {
                Tensor.linearInputGradient(
                    outputGradient: hiddenGradients[layer], weight: body.layers[layer].weight.value,
                    accumulating: false, derivative: body.activations[layer - 1].layerActivation, belowOutput: input,
                    into: &hiddenGradients[layer - 1], scratch: &scratch)
            }
        }
    }

    /// The gradient of parameter `index` (policy order: W₀, b₀, …, then each head's W, b).
    func gradient(ofParameter index: Int) -> Tensor {
        index % 2 == 0 ? weightGradients[index / 2] : biasGradients[index / 2]
    }
}
