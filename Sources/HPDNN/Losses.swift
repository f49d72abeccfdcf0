import HPDTensor

/// Every loss the package trains with, in one place, built on the engine's public primitives (whose derivative
/// rules all live in HPDTensor's `Derivatives*.swift`). Each has a tape form on `Variable`s; the losses the chunked,
/// tape-free paths use (`ChunkedNetwork`) also have a rows form that adds chunk rows' share of the loss and writes
/// ∂L/∂(head output) — the tape forms call those same kernels, so each formula is written once.
///
/// Notation: n states (rows), A actions, D action dimensions; p̄ and (μ̄, σ̄) are a consensus, a constant (no
/// gradient flows into it).
public enum Losses {
    // MARK: REINFORCE

    /// The REINFORCE loss on logits z (n × A), actions a and weights w (discounted returns Ĝ, normalised):
    ///
    ///     L = −Σ_i w_i · log π(a_i|s_i),  log π = log softmax(z)
    public static func reinforceNegativeLogLikelihood(logits: Variable, actions: [Int], weights: [Float]) -> Variable {
        Variable.weightedNegativeLogLikelihood(logits: logits, actions: actions, weights: weights)
    }

    // MARK: FedHPD digestion

    /// KL(consensus ‖ local) of a categorical policy, "batchmean" (the reference's direction):
    ///
    ///     L = (1/n) Σ_s Σ_a p̄(a|s) (ln p̄(a|s) − log softmax(z(s))_a),   with 0 · ln 0 = 0
    public static func klDivergence(consensus: Tensor, logits: Variable) -> Variable {
        Variable.klDivergenceBatchMean(target: consensus, logits: logits)
    }

    /// Rows form of `klDivergence(consensus:logits:)` for chunk rows starting at `firstRow` of the consensus:
    /// returns Σ over the chunk's rows of `scale` · KL and writes ∂/∂z into `gradient`.
    public static func klDivergenceRows(
        logits: Tensor, consensus: Tensor, firstRow: Int, scale: Float, gradient: inout Tensor
    ) -> Double {
        Tensor.klDivergenceRows(
            logits: logits, target: consensus, firstTargetRow: firstRow, scale: scale, gradient: &gradient)
    }

    /// KL(local ‖ consensus) of a Gaussian policy in closed form (the reference's direction), averaged over the
    /// n·D entries, with the policy's 10⁻⁶ offset on both standard deviations (σ′ = σ + 10⁻⁶) so the logarithm is
    /// always finite:
    ///
    ///     L = (1/(n·D)) Σ_{s,d} [ ln(σ̄′/σ′) + (σ′² + (μ − μ̄)²) / (2σ̄′²) − ½ ]
    public static func gaussianKLDivergence(
        localMean: Variable, localDeviation: Variable, globalMean: Tensor, globalDeviation: Tensor
    ) -> Variable {
        Variable.gaussianKLDivergenceMean(
            localMean: localMean, localDeviation: localDeviation, globalMean: globalMean,
            globalDeviation: globalDeviation, offset: GaussianPolicy.offset)
    }

    /// Rows form of `gaussianKLDivergence`: returns Σ over the chunk's entries of `scale` · KL and writes ∂/∂μ and
    /// ∂/∂σ.
    public static func gaussianKLDivergenceRows(
        localMean: Tensor, localDeviation: Tensor, globalMean: Tensor, globalDeviation: Tensor, firstRow: Int,
        scale: Float, meanGradient: inout Tensor, deviationGradient: inout Tensor
    ) -> Double {
        Tensor.gaussianKLDivergenceRows(
            localMean: localMean, localDeviation: localDeviation, globalMean: globalMean,
            globalDeviation: globalDeviation, firstGlobalRow: firstRow, offset: GaussianPolicy.offset, scale: scale,
            meanGradient: &meanGradient, deviationGradient: &deviationGradient)
    }

    // MARK: DPA-FedRL alignment

    /// The squared error of predictions against constant targets, summed over every entry of every term:
    ///
    ///     L = Σ_terms Σ_ij (x_ij − t_ij)²
    ///
    /// DPA-FedRL aligns π(·|s) with p̄(·|s) (categorical: one term) or μ, σ with μ̄, σ̄ (Gaussian: two terms). The
    /// terms' squares are added elementwise before the one sum.
    public static func squaredError(_ terms: (prediction: Variable, target: Tensor)...) -> Variable {
        Precondition.check(!terms.isEmpty, "Losses.squaredError: no terms")
        let squares = terms.map { ($0.prediction - Variable($0.target)).squared() }
        return squares.dropFirst().reduce(squares[0], +).sum()
    }
}
