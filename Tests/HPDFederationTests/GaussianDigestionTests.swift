import Foundation
import HPDFederation
import HPDNN
import HPDTensor
import Testing

@Suite struct GaussianDigestionTests {
    /// The closed-form KL(N(μ_l, σ_l²) ‖ N(μ_g, σ_g²)) matches its Double formula and its gradients with respect to
    /// μ_l and σ_l match central finite differences (computed in Double on the same formula).
    @Test func closedFormGaussianKLAndItsGradient() {
        var generator = RandomGenerator(seed: 8)
        let localMean = Tensor.uniform([6, 2], low: -1, high: 1, generator: &generator)
        let localDeviation = Tensor.uniform([6, 2], low: 0.2, high: 1.5, generator: &generator)
        let globalMean = Tensor.uniform([6, 2], low: -1, high: 1, generator: &generator)
        let globalDeviation = Tensor.uniform([6, 2], low: 0.2, high: 1.5, generator: &generator)
        func reference(_ mean: [Double], _ deviation: [Double]) -> Double {
            var total = 0.0
            for index in 0..<12 {
                let sl = deviation[index] + 1e-6
                let sg = Double(globalDeviation.scalars[index]) + 1e-6
                let difference = mean[index] - Double(globalMean.scalars[index])
                total += Foundation.log(sg / sl) + (sl * sl + difference * difference) / (2 * sg * sg) - 0.5
            }
            return total / 12
        }
        let mean = Variable(localMean, requiresGradient: true)
        let deviation = Variable(localDeviation, requiresGradient: true)
        let loss = Losses.gaussianKLDivergence(
            localMean: mean, localDeviation: deviation, globalMean: globalMean, globalDeviation: globalDeviation)
        loss.backward()
        let meanValues = localMean.scalars.map(Double.init)
        let deviationValues = localDeviation.scalars.map(Double.init)
        #expect(abs(Double(loss.value.scalarValue) - reference(meanValues, deviationValues)) < 1e-5)
        let step = 1e-6
        for index in 0..<12 {
            var plus = meanValues
            var minus = meanValues
            plus[index] += step
            minus[index] -= step
            let numericMean = (reference(plus, deviationValues) - reference(minus, deviationValues)) / (2 * step)
            #expect(abs(Double(mean.gradient!.scalars[index]) - numericMean) < 1e-4 * (1 + abs(numericMean)))
            var plusDeviation = deviationValues
            var minusDeviation = deviationValues
            plusDeviation[index] += step
            minusDeviation[index] -= step
            let numericDeviation =
                (reference(meanValues, plusDeviation) - reference(meanValues, minusDeviation)) / (2 * step)
            #expect(
                abs(Double(deviation.gradient!.scalars[index]) - numericDeviation) < 1e-4 * (1 + abs(numericDeviation)))
        }
        // KL of a distribution with itself is zero.
        let same = Losses.gaussianKLDivergence(
            localMean: Variable(globalMean), localDeviation: Variable(globalDeviation), globalMean: globalMean,
            globalDeviation: globalDeviation)
        #expect(abs(same.value.scalarValue) < 1e-6)
    }
}
