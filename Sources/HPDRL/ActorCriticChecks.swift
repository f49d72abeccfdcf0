/// Range checks of the hyperparameters that every actor-critic configuration (A2C, PPO) shares, so both refuse the
/// same values with the same words. Each message starts with the field's name.
enum ActorCriticChecks {
    /// Checks learning rate > 0, γ ∈ (0, 1], λ ∈ [0, 1], c_H ≥ 0, a positive gradient-norm clip (or none) and the
    /// value network's own fields, naming the first one out of range.
    static func validateShared(
        learningRate: Float, gamma: Double, gaeLambda: Double, entropyCoefficient: Float, maxGradientNorm: Float?,
        valueNetwork: ValueNetworkSpecification?
    ) throws(LearnerError) {
        guard learningRate > 0, learningRate.isFinite else {
            throw LearnerError("learningRate must be positive and finite, got \(learningRate)")
        }
        guard gamma > 0, gamma <= 1 else { throw LearnerError("gamma must be in (0, 1], got \(gamma)") }
        guard gaeLambda >= 0, gaeLambda <= 1 else {
            throw LearnerError("gaeLambda must be in [0, 1], got \(gaeLambda)")
        }
        guard entropyCoefficient >= 0, entropyCoefficient.isFinite else {
            throw LearnerError("entropyCoefficient must be ≥ 0 and finite, got \(entropyCoefficient)")
        }
        if let maxGradientNorm, !(maxGradientNorm > 0 && maxGradientNorm.isFinite) {
            throw LearnerError("maxGradientNorm must be positive and finite, got \(maxGradientNorm)")
        }
        try valueNetwork?.validate()
    }
}
