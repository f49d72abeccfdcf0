import Foundation
import HPDNN
import HPDTensor
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct PolicyTests {
    func makeCategorical(seed: UInt64 = 1) -> CategoricalPolicy {
        var generator = RandomGenerator(seed: seed)
        return CategoricalPolicy(
            architecture: PolicyArchitecture(
                family: .categorical, observationSize: 4, actionSize: 3, hiddenSizes: [8, 5],
                activations: [.relu, .tanh]),
            generator: &generator)
    }

    func makeGaussian(seed: UInt64 = 2) -> GaussianPolicy {
        var generator = RandomGenerator(seed: seed)
        return GaussianPolicy(
            architecture: PolicyArchitecture(
                family: .gaussian, observationSize: 4, actionSize: 2, hiddenSizes: [16, 32],
                activations: [.tanh, .relu]),
            generator: &generator)
    }

    @Test func linearUsesPyTorchDefaultInitialisationBounds() {
        var generator = RandomGenerator(seed: 3)
        let layer = Linear(inputCount: 16, outputCount: 64, generator: &generator)
        let bound: Float = 0.25
        #expect(layer.weight.value.scalars.allSatisfy { abs($0) <= bound })
        #expect(layer.bias.value.scalars.allSatisfy { abs($0) <= bound })
        // Uniform on [−b, b] has variance b²/3.
        let variance = layer.weight.value.scalars.reduce(0) { $0 + $1 * $1 } / Float(layer.weight.value.count)
        #expect(abs(variance - bound * bound / 3) < 0.004)
    }

    @Test func tapeAndTapeFreePathsAgree() {
        let policy = makeCategorical()
        let states = randomStates(rows: 6)
        let onTape = policy.logits(Variable(states)).value.softmaxRows()
        #expect(policy.probabilities(states).isApproximatelyEqual(to: onTape, absoluteTolerance: 1e-6))
        #expect(policy.logProbabilities(states).exp().isApproximatelyEqual(to: onTape, absoluteTolerance: 1e-6))
        for row in 0..<6 {
            #expect(abs(policy.probabilities(states).rowSums()[row, 0] - 1) < 1e-5)
            let observation = states.row(row).scalars
            #expect(policy.greedyAction(observation) == onTape.rows(row..<(row + 1)).argmaxRows()[0])
        }
        let gaussian = makeGaussian()
        let (mean, deviation) = gaussian.distribution(Variable(states))
        let (freeMean, freeDeviation) = gaussian.distribution(states)
        #expect(
            freeMean.isApproximatelyEqual(to: mean.value) && freeDeviation.isApproximatelyEqual(to: deviation.value))
        #expect(freeDeviation.scalars.allSatisfy { $0 > 0 })
    }

    @Test func samplingFollowsTheDistribution() {
        let policy = makeCategorical()
        let observation: [Float] = [0.1, -0.2, 0.3, 0.05]
        let probabilities = policy.probabilities(Tensor(rows: 1, columns: 4, scalars: observation))
        var generator = RandomGenerator(seed: 9)
        var counts = [0, 0, 0]
        let draws = 60_000
        for _ in 0..<draws { counts[policy.sample(observation, generator: &generator)] += 1 }
        for action in 0..<3 {
            #expect(abs(Float(counts[action]) / Float(draws) - probabilities[0, action]) < 0.01)
        }
        let gaussian = makeGaussian()
        let (mean, deviation) = gaussian.distribution(Tensor(rows: 1, columns: 4, scalars: observation))
        var action: [Float] = [0, 0]
        var total: Double = 0
        var squares: Double = 0
        for _ in 0..<draws {
            gaussian.sample(observation, generator: &generator, into: &action)
            total += Double(action[0])
            squares += Double(action[0] * action[0])
        }
        let sampleMean = total / Double(draws)
        let sampleDeviation = (squares / Double(draws) - sampleMean * sampleMean).squareRoot()
        #expect(abs(sampleMean - Double(mean[0, 0])) < 0.02)
        #expect(abs(sampleDeviation - Double(deviation[0, 0])) < 0.02)
    }

    @Test func gaussianLogDensityMatchesTheFormulaAndItsGradientMatchesFiniteDifferences() {
        let policy = makeGaussian()
        let states = randomStates(rows: 5)
        var generator = RandomGenerator(seed: 4)
        let actions = Tensor.normal([5, 2], generator: &generator)
        func loss() -> Variable {
            let (mean, deviation) = policy.distribution(Variable(states))
            return GaussianPolicy.logDensity(actions: actions, mean: mean, standardDeviation: deviation).sum()
        }
        // Value against the closed form in Double.
        let (mean, deviation) = policy.distribution(states)
        var expected = 0.0
        for index in 0..<10 {
            let mu = Double(mean.scalars[index]) + 1e-6
            let sigma = Double(deviation.scalars[index]) + 1e-6
            let a = Double(actions.scalars[index])
            expected += -(a - mu) * (a - mu) / (2 * sigma * sigma) - Glibc.log(sigma) - 0.5 * Glibc.log(2 * Double.pi)
        }
        let value = loss()
        #expect(abs(Double(value.value.scalarValue) - expected) < 1e-4 * (1 + abs(expected)))
        expectParameterGradientsMatchFiniteDifferences(policy: policy, loss: loss)
    }

    @Test func categoricalLogProbabilityGradientMatchesFiniteDifferences() {
        let policy = makeCategorical()
        let states = randomStates(rows: 7)
        let actions = [0, 2, 1, 1, 0, 2, 2]
        expectParameterGradientsMatchFiniteDifferences(policy: policy) {
            policy.logProbabilities(Variable(states)).gatheringColumns(actions).sum()
        }
    }

    @Test func architectureSummariesAndValidation() {
        #expect(makeCategorical().architecture.summary == "[8,5] relu,tanh")
        #expect(
            PolicyArchitecture(
                family: .categorical, observationSize: 4, actionSize: 2, hiddenSizes: [128], activations: [.relu]
            ).summary == "[128] relu")
        #expect(throws: PolicyError.self) {
            try PolicyArchitecture(
                family: .categorical, observationSize: 4, actionSize: 2, hiddenSizes: [8], activations: []
            ).validate()
        }
    }

    func randomStates(rows: Int) -> Tensor {
        var generator = RandomGenerator(seed: 77)
        return Tensor.uniform([rows, 4], low: -1, high: 1, generator: &generator)
    }
}

/// Compares every parameter's tape gradient with central finite differences of the loss. The network runs in Float,
/// so the step is h = 3e-3 on a loss of order 1–10 (Float round-off ≈ 1e-6·|L|/h ≤ 3e-3; h = 1e-2 was measured too
/// coarse where σ is small and the Gaussian log-density curves sharply) and the tolerance
/// is 2e-2·(1 + |numeric|); ReLU kinks are avoided by the random inputs with overwhelming probability.
func expectParameterGradientsMatchFiniteDifferences(policy: Policy, loss: () -> Variable) {
    policy.zeroGradients()
    loss().backward()
    let step: Float = 3e-3
    for (parameterIndex, parameter) in policy.parameters.enumerated() {
        let analytic = parameter.gradient ?? Tensor.zeros(parameter.value.shape)
        for element in stride(from: 0, to: parameter.value.count, by: max(1, parameter.value.count / 6)) {
            let original = parameter.value.scalars[element]
            let numeric = FiniteDifferences.centralDifference(step: Double(step)) { offset in
                parameter.updateValue { $0.modifyScalars { $0[element] = original + Float(offset) } }
                defer { parameter.updateValue { $0.modifyScalars { $0[element] = original } } }
                return Double(loss().value.scalarValue)
            }
            #expect(
                abs(Double(analytic.scalars[element]) - numeric) <= 2e-2 * (1 + abs(numeric)),
                "parameter \(parameterIndex) element \(element): \(analytic.scalars[element]) vs \(numeric)")
        }
    }
}
