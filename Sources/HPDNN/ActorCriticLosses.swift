import HPDTensor

/// The actions of a batch of recorded steps.
public enum PolicyActions: Sendable, Equatable {
    /// One action index per step (categorical policies).
    case discrete([Int])
    /// One action vector per row (Gaussian policies).
    case continuous(Tensor)
}

/// The losses of the actor-critic learners (A2C, PPO), built on the tape from the policies' outputs. Each returns a
/// scalar `Variable`; gradients reach the policy's (or the value network's) parameters by `backward()`.
/// The two clipped PPO terms are fused operations with their own rules (`Derivatives+ActorCritic.swift`).
public enum ActorCriticLosses {
    /// log π(a_i|s_i) (n×1) and the entropy H(π(·|s_i)) (n×1) of a batch on the tape:
    ///
    ///     categorical:  log π(a|s) = log softmax(z)_a,               H = −Σ_a softmax(z)_a · log softmax(z)_a
    ///     Gaussian:     log π(a|s) = Σ_d log N(a_d; μ′_d, σ′_d²),     H = Σ_d (ln σ′_d + ½ ln(2πe))
    ///
    /// with the Gaussian policy's μ′ = μ + 10⁻⁶, σ′ = σ + 10⁻⁶ (the log-density sums over action dimensions, as
    /// CleanRL's continuous PPO).
    public static func logProbabilitiesAndEntropy(
        policy: Policy, states: Tensor, actions: PolicyActions
    ) -> (logProbabilities: Variable, entropy: Variable) {
        let input = Variable(states)
        switch (policy, actions) {
        case (let categorical as CategoricalPolicy, .discrete(let indices)):
            Precondition.check(
                indices.count == states.rows, "logProbabilities: \(indices.count) actions for \(states.rows) states")
            let logits = categorical.logits(input)
            return (logits.logSoftmaxRows().gatheringColumns(indices), logits.categoricalEntropyRows())
        case (let gaussian as GaussianPolicy, .continuous(let taken)):
            Precondition.check(
                taken.rows == states.rows && taken.columns == gaussian.architecture.actionSize,
                "logProbabilities: actions \(taken.shape) for \(states.rows) states of a \(gaussian.architecture.actionSize)-dimensional policy"
            )
            let (mean, deviation) = gaussian.distribution(input)
            let logDensity = GaussianPolicy.logDensity(actions: taken, mean: mean, standardDeviation: deviation)
                .rowSums()
            return (logDensity, deviation.gaussianEntropyRows(offset: GaussianPolicy.offset))
        default:
            Precondition.failure(
                "logProbabilities: actions \(actions) do not fit a \(policy.architecture.family) policy")
        }
    }

    /// The policy-gradient loss with an entropy bonus (A2C): L = −(1/n) Σ_i log π(a_i|s_i) · A_i − c_H · (1/n) Σ_i H_i.
    public static func advantageLoss(
        logProbabilities: Variable, entropy: Variable, advantages: [Float], entropyCoefficient: Float
    ) -> Variable {
        let weights = Variable(Tensor(rows: advantages.count, columns: 1, scalars: advantages))
        return -(logProbabilities * weights).mean() - entropy.mean() * entropyCoefficient
    }

    /// PPO's actor loss: the clipped surrogate minus the entropy bonus,
    /// L = (1/n) Σ_i max(−A_i r_i, −A_i clip(r_i, 1 − ε, 1 + ε)) − c_H · (1/n) Σ_i H_i, r_i = π(a_i|s_i)/π_old(a_i|s_i).
    public static func clippedSurrogateLoss(
        logProbabilities: Variable, entropy: Variable, oldLogProbabilities: [Float], advantages: [Float], clip: Float,
        entropyCoefficient: Float
    ) -> Variable {
        Variable.clippedSurrogateLoss(
            logProbabilities: logProbabilities, oldLogProbabilities: oldLogProbabilities, advantages: advantages,
            clip: clip) - entropy.mean() * entropyCoefficient
    }

    /// The value loss: ½ (1/n) Σ_i (V_i − R_i)² (unclipped), or PPO's clipped form
    /// ½ (1/n) Σ_i max((V_i − R_i)², (V_i^old + clip(V_i − V_i^old, −ε, ε) − R_i)²) when `clip` is given.
    public static func valueLoss(
        values: Variable, returns: [Float], oldValues: [Float]? = nil, clip: Float? = nil
    ) -> Variable {
        if let clip, let oldValues {
            return Variable.clippedValueLoss(values: values, oldValues: oldValues, returns: returns, clip: clip)
        }
        let targets = Variable(Tensor(rows: returns.count, columns: 1, scalars: returns))
        return (values - targets).squared().mean() * 0.5
    }

    /// Global gradient-norm clipping (PyTorch's `clip_grad_norm_`): with ‖g‖ = √(Σ over every parameter's gradient
    /// of g²) computed in Double, every gradient is scaled by min(1, maxNorm / (‖g‖ + 10⁻⁶)). Returns ‖g‖ before
    /// clipping. Parameters without a gradient are skipped.
    @discardableResult
    public static func clipGradientNorm(_ parameters: [Variable], maxNorm: Float) -> Float {
        var squares = 0.0
        for parameter in parameters {
            guard let gradient = parameter.gradient else { continue }
            for value in gradient.scalars { squares += Double(value) * Double(value) }
        }
        let norm = squares.squareRoot()
        let factor = Double(maxNorm) / (norm + 1e-6)
        if factor < 1 {
            for parameter in parameters { parameter.scaleGradient(by: Float(factor)) }
        }
        return Float(norm)
    }
}
