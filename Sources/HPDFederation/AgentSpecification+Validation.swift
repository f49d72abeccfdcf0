import HPDNN
import HPDRL

/// The ranges every agent hyperparameter must lie in, checked before a run is built (by
/// `FederationConfiguration.validate()`, so `train`, `serve`, `join`, `reproduce` and library users all get them).
extension AgentSpecification {
    /// The largest learning rate accepted: η ∈ (0, 1]. Larger steps make every optimiser here diverge at once.
    public static let largestLearningRate: Float = 1

    /// The largest hidden-layer width accepted.
    public static let largestHiddenSize = 65_536

    /// Checks the network shape and every hyperparameter; the message names the field, e.g.
    /// `gamma must be in (0, 1], got 1e+300`:
    ///
    /// - hidden sizes in 1…65536, one activation per hidden layer;
    /// - every learning rate η finite, η ∈ (0, 1] (policy, A2C/PPO, value network);
    /// - the discount γ ∈ (0, 1] (γ = 0 ignores every reward after the first, γ > 1 makes returns grow without
    ///   bound);
    /// - AdamW's weight decay λ finite, λ ∈ [0, 1); StepLR's factor ∈ (0, 1] and step size ≥ 1;
    /// - the A2C or PPO settings (`validateLearner()`).
    public func validate() throws(LearnerSettingError) {
        func fail(_ text: String) -> LearnerSettingError { LearnerSettingError(description: text) }
        if let size = hiddenSizes.first(where: { !(1...Self.largestHiddenSize).contains($0) }) {
            throw fail("hiddenSizes must be in 1...\(Self.largestHiddenSize), got \(size)")
        }
        guard activations.count == hiddenSizes.count else {
            throw fail("\(hiddenSizes.count) hidden sizes but \(activations.count) activations")
        }
        try Self.checkLearningRate(reinforce.learningRate, field: "learningRate")
        let gamma = ppo?.gamma ?? a2c?.gamma ?? reinforce.gamma
        guard gamma > 0 && gamma <= 1 else { throw fail("gamma must be in (0, 1], got \(gamma)") }
        if algorithm == .reinforce {
            guard reinforce.weightDecay.isFinite, reinforce.weightDecay >= 0, reinforce.weightDecay < 1 else {
                throw fail("weightDecay must be in [0, 1), got \(reinforce.weightDecay)")
            }
            guard reinforce.schedulerGamma > 0 && reinforce.schedulerGamma <= 1 else {
                throw fail("schedulerGamma must be in (0, 1], got \(reinforce.schedulerGamma)")
            }
            if let step = reinforce.schedulerStepSize, step < 1 {
                throw fail("schedulerStepSize must be at least 1, got \(step)")
            }
        }
        if let a2c {
            try Self.checkLearningRate(a2c.learningRate, field: "a2c.learningRate")
            if let rate = a2c.valueNetwork?.learningRate {
                try Self.checkLearningRate(rate, field: "valueNetwork.learningRate")
            }
        }
        if let ppo {
            try Self.checkLearningRate(ppo.learningRate, field: "ppo.learningRate")
            if let rate = ppo.valueNetwork?.learningRate {
                try Self.checkLearningRate(rate, field: "valueNetwork.learningRate")
            }
        }
        try validateLearner()
    }

    /// η finite and in (0, `largestLearningRate`].
    static func checkLearningRate(_ rate: Float, field: String) throws(LearnerSettingError) {
        guard rate.isFinite, rate > 0, rate <= largestLearningRate else {
            throw LearnerSettingError(description: "\(field) must be in (0, \(Int(largestLearningRate))], got \(rate)")
        }
    }
}
