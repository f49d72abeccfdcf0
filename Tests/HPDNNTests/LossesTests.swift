import Foundation
import HPDNN
import HPDTensor
import TestSupport
import Testing

/// Every loss of `Losses` against its formula in Double and central finite differences (`TestSupport`).
@Suite struct LossesTests {
    @Test func squaredErrorOfSeveralTermsMatchesItsFormulaAndFiniteDifferences() {
        let targets = [randomTensor([3, 4], seed: 11), randomTensor([3, 4], seed: 12)]
        expectGradientsMatchFiniteDifferences(
            inputs: [randomTensor([3, 4], seed: 1), randomTensor([3, 4], seed: 2)],
            engine: { Losses.squaredError(($0[0], targets[0]), ($0[1], targets[1])) },
            reference: { inputs in
                var total = 0.0
                for (input, target) in zip(inputs, targets.map(ReferenceMatrix.init)) {
                    for (x, t) in zip(input.values, target.values) { total += (x - t) * (x - t) }
                }
                return ReferenceMatrix(rows: 1, columns: 1, values: [total])
            })
    }

    @Test func categoricalKLDivergenceIsConsensusToLocalBatchMean() {
        var consensus = randomTensor([5, 3], seed: 21, low: 0.1, high: 1)
        consensus.softmaxRowsInPlace()
        let target = ReferenceMatrix(consensus)
        expectGradientsMatchFiniteDifferences(
            inputs: [randomTensor([5, 3], seed: 3)],
            engine: { Losses.klDivergence(consensus: consensus, logits: $0[0]) },
            reference: { inputs in
                let logProbabilities = inputs[0].logSoftmaxRows()
                var total = 0.0
                for index in target.values.indices {
                    let p = target.values[index]
                    total += p * (Foundation.log(p) - logProbabilities.values[index])
                }
                return ReferenceMatrix(rows: 1, columns: 1, values: [total / 5])
            })
    }

    @Test func gaussianKLDivergenceIsLocalToConsensusInClosedForm() {
        let globalMean = randomTensor([4, 2], seed: 31)
        let globalDeviation = randomTensor([4, 2], seed: 32, low: 0.3, high: 1.2)
        expectGradientsMatchFiniteDifferences(
            inputs: [randomTensor([4, 2], seed: 4), randomTensor([4, 2], seed: 5, low: 0.3, high: 1.2)],
            engine: {
                Losses.gaussianKLDivergence(
                    localMean: $0[0], localDeviation: $0[1], globalMean: globalMean, globalDeviation: globalDeviation)
            },
            reference: { inputs in
                let offset = Double(GaussianPolicy.offset)
                let (mu, sigma) = (inputs[0].values, inputs[1].values)
                let (muBar, sigmaBar) = (ReferenceMatrix(globalMean).values, ReferenceMatrix(globalDeviation).values)
                var total = 0.0
                for index in mu.indices {
                    let local = sigma[index] + offset
                    let global = sigmaBar[index] + offset
                    let difference = mu[index] - muBar[index]
                    total +=
                        Foundation.log(global / local) + (local * local + difference * difference)
                        / (2 * global * global) - 0.5
                }
                return ReferenceMatrix(rows: 1, columns: 1, values: [total / Double(mu.count)])
            })
    }

    @Test func reinforceNegativeLogLikelihoodWeighsEachActionsLogProbability() {
        let actions = [2, 0, 1, 1]
        let weights: [Float] = [0.5, -1.25, 2, 0.75]
        expectGradientsMatchFiniteDifferences(
            inputs: [randomTensor([4, 3], seed: 6)],
            engine: { Losses.reinforceNegativeLogLikelihood(logits: $0[0], actions: actions, weights: weights) },
            reference: { inputs in
                let logProbabilities = inputs[0].logSoftmaxRows()
                let total = actions.indices.reduce(0.0) { sum, row in
                    sum - Double(weights[row]) * logProbabilities[row, actions[row]]
                }
                return ReferenceMatrix(rows: 1, columns: 1, values: [total])
            })
    }
}
