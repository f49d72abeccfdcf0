import HPDNN
import HPDTensor

/// The batched REINFORCE gradient of a recorded batch, computed over the fixed chunks of `ChunkedNetwork` without a
/// tape (same maths as the tape path, gradients summed over chunks in chunk order):
///
///     categorical:  L = Σ_t −w_t · log π(a_t|s_t),                       z̄_t = w_t · (softmax(z_t) − onehot(a_t))
///     Gaussian:     L = Σ_t −w_t · (1/D) Σ_d log N(a_td; μ′_td, σ′_td²),  μ′ = μ + 10⁻⁶, σ′ = softplus(u) + 10⁻⁶,
///                   μ̄ = −(w_t/D)(a − μ′)/σ′²,  σ̄ = −(w_t/D)((a − μ′)²/σ′³ − 1/σ′),  ū = σ̄ ⊙ sigmoid(u)
///
/// then back through the network (`NetworkChunk`). Buffers are kept for the last batch size only: episode lengths
/// vary, and keeping one set per length would hold megabytes per wide network.
public final class ReinforceGradient {
    private let network: ChunkedNetwork
    private let isCategorical: Bool

    /// The gradient computer of `policy` (a `CategoricalPolicy` or a `GaussianPolicy`).
    public init(policy: Policy) {
        network = ChunkedNetwork(policy: policy, cachedBatchSizes: 1)
        isCategorical = policy.architecture.family == .categorical
    }

    /// Categorical: sets every parameter's gradient to ∂L/∂θ for `states` (n × observation size), the actions taken
    /// and the weights w_t (e.g. normalised returns); returns L. Call `releaseGradients()` after the optimiser step.
    public func compute(states: Tensor, actions: [Int], weights: [Float]) -> Float {
        Precondition.check(isCategorical, "ReinforceGradient: discrete actions given to a Gaussian policy")
        return compute(states: states) { chunk, firstRow in
            Tensor.weightedNegativeLogLikelihoodRows(
                logits: chunk.headOutputs[0], actions: actions, weights: weights, firstRow: firstRow,
                gradient: &chunk.headGradients[0])
        }
    }

    /// Gaussian: as above with continuous `actions` (n × D).
    public func compute(states: Tensor, actions: Tensor, weights: [Float]) -> Float {
        Precondition.check(!isCategorical, "ReinforceGradient: continuous actions given to a categorical policy")
        return compute(states: states) { chunk, firstRow in
            chunk.headScratch[1].replaceScalars(with: chunk.headOutputs[1].scalars)
            chunk.headScratch[1].formSoftplus()
            var total = 0.0
            chunk.withFirstTwoHeadGradients { meanGradient, deviationGradient in
                total = Tensor.weightedNegativeGaussianLogDensityRows(
                    mean: chunk.headOutputs[0], deviation: chunk.headScratch[1], actions: actions, weights: weights,
                    firstRow: firstRow, offset: GaussianPolicy.offset, meanGradient: &meanGradient,
                    deviationGradient: &deviationGradient)
            }
            chunk.headGradients[1].formSoftplusGradient(input: chunk.headOutputs[1])
            return total
        }
    }

    /// Drops the parameters' references to the gradient buffers (after the optimiser step).
    public func releaseGradients() { network.releaseGradients() }

    /// Forward, loss (`headLoss` fills the chunk's head gradients and returns its partial loss), backward for every
    /// chunk in order, then the ordered reduction.
    private func compute(states: Tensor, headLoss: (NetworkChunk, Int) -> Double) -> Float {
        network.prepare(rowCount: states.rows)
        for (index, range) in network.layout.ranges.enumerated() {
            network.forward(chunk: index, states: states, version: nil)
            let chunk = network.chunk(index)
            chunk.partialLoss = headLoss(chunk, range.lowerBound)
            network.backward(chunk: index)
        }
        network.reduceGradients()
        return Float(network.totalLoss)
    }
}
