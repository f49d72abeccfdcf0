/// The settings every actor-critic configuration (A2C, PPO) has, decoded and range-checked here once, so both read
/// them the same way and refuse the same values with the same words (each message starts with the field's name).
protocol ActorCriticSettings {
    /// The policy's Adam learning rate.
    var learningRate: Float { get }
    /// The discount γ.
    var gamma: Double { get set }
    /// GAE's λ.
    var gaeLambda: Double { get set }
    /// The entropy bonus coefficient c_H.
    var entropyCoefficient: Float { get set }
    /// Whether advantages are normalised.
    var normalizeAdvantages: Bool { get set }
    /// The gradient-norm clip, or nil for none.
    var maxGradientNorm: Float? { get set }
    /// The value network, or nil for the learner's default.
    var valueNetwork: ValueNetworkSpecification? { get set }
}

/// The JSON names of the shared settings.
private enum ActorCriticSettingKey: String, CodingKey {
    case gamma, gaeLambda, entropyCoefficient, normalizeAdvantages, maxGradientNorm, valueNetwork
}

extension ActorCriticSettings {
    /// Overwrites each shared setting `decoder` names; an absent one keeps its value (the default), except that an
    /// absent `maxGradientNorm` is 0.5 and `null` means no clipping.
    mutating func decodeSharedSettings(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: ActorCriticSettingKey.self)
        if let value = try container.decodeIfPresent(Double.self, forKey: .gamma) { gamma = value }
        if let value = try container.decodeIfPresent(Double.self, forKey: .gaeLambda) { gaeLambda = value }
        if let value = try container.decodeIfPresent(Float.self, forKey: .entropyCoefficient) {
            entropyCoefficient = value
        }
        if let value = try container.decodeIfPresent(Bool.self, forKey: .normalizeAdvantages) {
            normalizeAdvantages = value
        }
        maxGradientNorm =
            container.contains(.maxGradientNorm)
            ? try container.decodeIfPresent(Float.self, forKey: .maxGradientNorm) : 0.5
        valueNetwork = try container.decodeIfPresent(ValueNetworkSpecification.self, forKey: .valueNetwork)
    }

    /// Checks learning rate > 0, γ ∈ (0, 1], λ ∈ [0, 1], c_H ≥ 0, a positive gradient-norm clip (or none) and the
    /// value network's own fields, naming the first one out of range.
    func validateSharedSettings() throws(LearnerError) {
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
