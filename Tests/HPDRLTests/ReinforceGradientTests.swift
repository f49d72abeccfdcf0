import Foundation
import HPDNN
import HPDRL
import HPDTensor
import TestSupport
import Testing

/// The chunked, tape-free REINFORCE gradient against the tape formulation and against finite differences.
@Suite struct ReinforceGradientTests {
    /// A network wide enough that 600 states split into several chunks (17,152 MACs per state → 256-row chunks).
    static let wideLayers = [128, 128]

    static func batch(rows: Int, seed: UInt64) -> (states: Tensor, weights: [Float]) {
        var generator = RandomGenerator(seed: seed)
        let states = Tensor.uniform([rows, 4], low: -2, high: 2, generator: &generator)
        return (states, (0..<rows).map { _ in Float(generator.uniform(-1.5, 1.5)) })
    }

    /// Every parameter's chunked gradient equals the tape's (loss and gradients within float rounding), for a
    /// categorical policy over several chunks.
    @Test func categoricalChunkedGradientEqualsTheTapeGradient() {
        var generator = RandomGenerator(seed: 11)
        let policy = CategoricalPolicy(
            observationSize: 4, actionCount: 3, hiddenSizes: Self.wideLayers, activation: .tanh, generator: &generator)
        let (states, weights) = Self.batch(rows: 600, seed: 12)
        let actions = (0..<600).map { $0 % 3 }
        #expect(ChunkLayout(rowCount: 600, multiplyAddsPerState: policy.architecture.multiplyAddsPerState).count > 1)
        policy.zeroGradients()
        let tapeLoss = Variable.weightedNegativeLogLikelihood(
            logits: policy.logits(Variable(states)), actions: actions, weights: weights)
        expectChunkedMatchesTape(tapeLoss, parameters: policy.parameters) {
            ReinforceGradient(policy: policy).compute(states: states, actions: actions, weights: weights)
        }
    }

    /// Back-propagates `tapeLoss`, then runs `chunked` (which leaves its gradients in `parameters`): its loss and
    /// every parameter's gradient must match the tape's.
    private func expectChunkedMatchesTape(_ tapeLoss: Variable, parameters: [Variable], chunked: () -> Float) {
        tapeLoss.backward()
        let tapeGradients = parameters.map { $0.gradient! }
        let chunkedLoss = chunked()
        #expect(abs(chunkedLoss - tapeLoss.value.scalarValue) <= 1e-4 * (1 + abs(chunkedLoss)))
        for (index, parameter) in parameters.enumerated() {
            #expect(
                parameter.gradient!.isApproximatelyEqual(
                    to: tapeGradients[index], absoluteTolerance: 1e-5, relativeTolerance: 1e-3),
                "parameter \(index)")
        }
    }

    /// The same for a Gaussian policy: L = −Σ_t w_t (1/D) Σ_d log N(a_td; μ′, σ′²) on the tape vs chunked.
    @Test func gaussianChunkedGradientEqualsTheTapeGradient() {
        var generator = RandomGenerator(seed: 21)
        let architecture = PolicyArchitecture(
            family: .gaussian, observationSize: 4, actionSize: 2, hiddenSizes: Self.wideLayers,
            activations: [.relu, .tanh])
        let policy = GaussianPolicy(architecture: architecture, generator: &generator)
        let (states, weights) = Self.batch(rows: 600, seed: 22)
        let actions = Tensor.uniform([600, 2], low: -1, high: 1, generator: &generator)
        policy.zeroGradients()
        let (mean, deviation) = policy.distribution(Variable(states))
        let logDensity = GaussianPolicy.logDensity(actions: actions, mean: mean, standardDeviation: deviation)
        let tapeLoss = -(logDensity.rowMeans() * Variable(Tensor(rows: 600, columns: 1, scalars: weights))).sum()
        expectChunkedMatchesTape(tapeLoss, parameters: policy.parameters) {
            ReinforceGradient(policy: policy).compute(states: states, actions: actions, weights: weights)
        }
    }

    /// The fused Gaussian REINFORCE rule (μ̄, σ̄ of `Tensor.weightedNegativeGaussianLogDensityRows`) matches central
    /// finite differences of its formula evaluated in Double.
    @Test func gaussianLogDensityRuleMatchesFiniteDifferencesInDouble() {
        var generator = RandomGenerator(seed: 31)
        let mean = Tensor.uniform([5, 2], low: -1, high: 1, generator: &generator)
        let deviation = Tensor.uniform([5, 2], low: 0.3, high: 1.5, generator: &generator)
        let actions = Tensor.uniform([7, 2], low: -1, high: 1, generator: &generator)
        let weights = (0..<7).map { _ in Float(generator.uniform(-2, 2)) }
        let firstRow = 2
        func reference(_ mu: [Double], _ sigma: [Double]) -> Double {
            var total = 0.0
            for row in 0..<5 {
                var rowTotal = 0.0
                for column in 0..<2 {
                    let index = row * 2 + column
                    let shiftedSigma = sigma[index] + 1e-6
                    let difference = Double(actions[firstRow + row, column]) - (mu[index] + 1e-6)
                    rowTotal +=
                        -difference * difference / (2 * shiftedSigma * shiftedSigma) - Foundation.log(shiftedSigma)
                        - 0.5 * Foundation.log(2 * Double.pi)
                }
                total -= Double(weights[firstRow + row]) * rowTotal / 2
            }
            return total
        }
        var meanGradient = Tensor.zeros([5, 2])
        var deviationGradient = Tensor.zeros([5, 2])
        let loss = Tensor.weightedNegativeGaussianLogDensityRows(
            mean: mean, deviation: deviation, actions: actions, weights: weights, firstRow: firstRow,
            offset: GaussianPolicy.offset, meanGradient: &meanGradient, deviationGradient: &deviationGradient)
        let mu = mean.scalars.map(Double.init)
        let sigma = deviation.scalars.map(Double.init)
        #expect(abs(loss - reference(mu, sigma)) < 1e-4)
        let step = 1e-6
        for index in 0..<10 {
            let numericMean = FiniteDifferences.partialDerivative(at: mu, index: index, step: step) {
                reference($0, sigma)
            }
            #expect(abs(Double(meanGradient.scalars[index]) - numericMean) < 1e-4 * (1 + abs(numericMean)))
            let numericDeviation = FiniteDifferences.partialDerivative(at: sigma, index: index, step: step) {
                reference(mu, $0)
            }
            #expect(
                abs(Double(deviationGradient.scalars[index]) - numericDeviation) < 1e-4 * (1 + abs(numericDeviation)))
        }
    }
}
