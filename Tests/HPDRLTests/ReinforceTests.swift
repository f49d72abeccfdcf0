import HPDEnvironments
import HPDNN
import HPDRL
import HPDTensor
import Testing

@Suite struct ReinforceTests {
    func makeLearner(seed: UInt64, hiddenSizes: [Int] = [128], learningRate: Float = 1e-3) -> ReinforceLearner {
        var weights = RandomGenerator(seed: seed, stream: 1)
        let policy = CategoricalPolicy(
            observationSize: 4, actionCount: 2, hiddenSizes: hiddenSizes, activation: .relu, generator: &weights)
        return ReinforceLearner(
            policy: policy, environment: CartPole.makeV1(),
            configuration: ReinforceConfiguration(learningRate: learningRate),
            environmentSeed: seed, generator: RandomGenerator(seed: seed, stream: 2))
    }

    /// The batched, fused REINFORCE gradient equals finite differences of L(θ) = Σ_t −log π(a_t|s_t)·Ĝ_t on a
    /// recorded episode, and equals the per-step-graph formulation the reference uses.
    @Test func reinforceGradientMatchesFiniteDifferencesOnARecordedEpisode() {
        let learner = makeLearner(seed: 5, hiddenSizes: [16, 8])
        learner.runEpisode()
        let (states, actions, rewards) = learner.recordedEpisode
        let weights = Returns.normalized(Returns.discounted(rewards: rewards, gamma: 0.99)).map { Float($0) }
        let policy = learner.policy as! CategoricalPolicy
        func fusedLoss() -> Variable {
            Variable.weightedNegativeLogLikelihood(
                logits: policy.logits(Variable(states)), actions: actions, weights: weights)
        }
        policy.zeroGradients()
        fusedLoss().backward()
        let fused = policy.parameters.map { $0.gradient! }
        // Per-step graphs, summed: the reference's formulation.
        policy.zeroGradients()
        var perStep: Variable?
        for step in 0..<states.rows {
            let term =
                policy.logProbabilities(Variable(states.rows(step..<(step + 1)))).gatheringColumns([actions[step]])
                .sum() * (-weights[step])
            perStep = perStep.map { $0 + term } ?? term
        }
        perStep!.backward()
        for (index, parameter) in policy.parameters.enumerated() {
            #expect(
                parameter.gradient!.isApproximatelyEqual(
                    to: fused[index], absoluteTolerance: 1e-4, relativeTolerance: 1e-3))
        }
        expectParameterGradientsMatchFiniteDifferences(policy: policy, loss: fusedLoss)
    }

    @Test func updateChangesParametersAndStepsTheScheduler() {
        let learner = makeLearner(seed: 1)
        let before = learner.policy.parameters.map(\.value)
        learner.runEpisode()
        let loss = learner.update()
        #expect(loss.isFinite)
        #expect(learner.policy.parameters.map(\.value) != before)
        #expect(learner.scheduler?.epoch == 1)
    }

    @Test func runsAreDeterministicForASeed() {
        let first = makeLearner(seed: 9)
        let second = makeLearner(seed: 9)
        var a: [Double] = []
        var b: [Double] = []
        for _ in 0..<20 {
            a.append(first.runEpisode())
            first.update()
            b.append(second.runEpisode())
            second.update()
        }
        #expect(a == b)
        let other = makeLearner(seed: 10)
        #expect((0..<20).map { _ in other.runEpisode() } != a)
    }

    /// The reference's agent 1 ([128] relu, Adam 1e-3, StepLR(100, 0.95), γ 0.99) solves CartPole-v1: a 100-episode
    /// moving average ≥ 195 within 1000 episodes for at least 2 of 3 fixed seeds.
    @Test func referenceAgentOneLearnsCartPole() {
        var solved = 0
        var report: [String] = []
        for seed: UInt64 in [20, 25, 30] {
            let learner = makeLearner(seed: seed)
            var returns: [Double] = []
            for _ in 0..<1000 {
                returns.append(learner.runEpisode())
                learner.update()
                if returns.count >= 100 && LearningCurve.lastMean(returns) >= 195 { break }
            }
            let reached = LearningCurve.firstEpisodeReaching(195, in: returns)
            report.append(
                "seed \(seed): \(reached.map { "MA100 ≥ 195 at episode \($0)" } ?? "not reached, final MA100 \(LearningCurve.lastMean(returns))")"
            )
            if reached != nil { solved += 1 }
        }
        print(report)
        #expect(solved >= 2, "\(report)")
    }
}

/// Compares every parameter's tape gradient with central finite differences (Float network; h = 3e-3,
/// tolerance 2e-2·(1 + |numeric|) — see HPDNNTests for the error budget).
func expectParameterGradientsMatchFiniteDifferences(policy: Policy, loss: () -> Variable) {
    policy.zeroGradients()
    loss().backward()
    let step: Float = 3e-3
    for (parameterIndex, parameter) in policy.parameters.enumerated() {
        let analytic = parameter.gradient!
        for element in stride(from: 0, to: parameter.value.count, by: max(1, parameter.value.count / 5)) {
            let original = parameter.value.scalars[element]
            parameter.updateValue { $0.modifyScalars { $0[element] = original + step } }
            let plus = Double(loss().value.scalarValue)
            parameter.updateValue { $0.modifyScalars { $0[element] = original - step } }
            let minus = Double(loss().value.scalarValue)
            parameter.updateValue { $0.modifyScalars { $0[element] = original } }
            let numeric = (plus - minus) / Double(2 * step)
            #expect(
                abs(Double(analytic.scalars[element]) - numeric) <= 2e-2 * (1 + abs(numeric)),
                "parameter \(parameterIndex) element \(element): \(analytic.scalars[element]) vs \(numeric)")
        }
    }
}
