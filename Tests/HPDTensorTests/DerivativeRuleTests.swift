import HPDTensor
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Every differentiable operation against central finite differences of a Double reference.
@Suite struct DerivativeRuleTests {
    static let matmulShapes: [(Int, Int, Int)] = [(1, 1, 1), (1, 5, 3), (7, 13, 5), (4, 1, 6), (3, 8, 1)]

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func matmulGradientsForEveryTransposeCombination(transposeLeft: Bool, transposeRight: Bool) {
        for (index, (m, k, n)) in Self.matmulShapes.enumerated() {
            let left = randomTensor(transposeLeft ? [k, m] : [m, k], seed: UInt64(index * 2 + 1))
            let right = randomTensor(transposeRight ? [n, k] : [k, n], seed: UInt64(index * 2 + 2))
            expectGradientsMatchFiniteDifferences(inputs: [left, right]) { v in
                Variable.matmul(v[0], v[1], transposeLeft: transposeLeft, transposeRight: transposeRight)
            } reference: { r in
                ReferenceMatrix.product(transposeLeft ? r[0].transposed : r[0], transposeRight ? r[1].transposed : r[1])
            }
        }
    }

    @Test func fusedLinearGradients() {
        for (index, (batch, inputs, outputs)) in [(1, 4, 2), (7, 13, 5), (20, 3, 8)].enumerated() {
            let x = randomTensor([batch, inputs], seed: UInt64(10 + index))
            let w = randomTensor([outputs, inputs], seed: UInt64(20 + index))
            let b = randomTensor([outputs], seed: UInt64(30 + index))
            expectGradientsMatchFiniteDifferences(inputs: [x, w, b]) { v in
                Variable.linear(v[0], weight: v[1], bias: v[2])
            } reference: { r in
                ReferenceMatrix.combine(ReferenceMatrix.product(r[0], r[1].transposed), r[2], +)
            }
        }
    }

    @Test(arguments: ["+", "-", "*", "/"])
    func arithmeticGradientsWithBroadcasting(operation: String) {
        let pairs: [([Int], [Int])] = [
            ([3, 4], [3, 4]), ([3, 4], [4]), ([3, 4], [3, 1]), ([3, 4], [1, 1]), ([1], [1]), ([4], [3, 4]),
        ]
        let engine: (Variable, Variable) -> Variable
        let reference: (Double, Double) -> Double
        switch operation {
        case "+": (engine, reference) = ({ $0 + $1 }, { $0 + $1 })
        case "-": (engine, reference) = ({ $0 - $1 }, { $0 - $1 })
        case "*": (engine, reference) = ({ $0 * $1 }, { $0 * $1 })
        default: (engine, reference) = ({ $0 / $1 }, { $0 / $1 })
        }
        for (index, (leftShape, rightShape)) in pairs.enumerated() {
            let left = randomTensor(leftShape, seed: UInt64(40 + index))
            // Divisors kept away from zero.
            let right = randomTensor(rightShape, seed: UInt64(50 + index), low: 0.5, high: 2)
            expectGradientsMatchFiniteDifferences(inputs: [left, right]) { v in
                engine(v[0], v[1])
            } reference: { r in
                ReferenceMatrix.combine(r[0], r[1], reference)
            }
        }
    }

    @Test func scalarArithmeticAndNegationGradients() {
        let x = randomTensor([3, 5], seed: 60)
        expectGradientsMatchFiniteDifferences(inputs: [x]) { v in
            -((v[0] * 2.5 + 1) / 4 - 3)
        } reference: { r in
            r[0].map { -(($0 * 2.5 + 1) / 4 - 3) }
        }
    }

    @Test func elementwiseFunctionGradients() {
        let x = randomTensor([7, 13], seed: 61, low: -3, high: 3)
        let positive = randomTensor([7, 13], seed: 62, low: 0.2, high: 3)
        expectGradientsMatchFiniteDifferences(inputs: [x]) {
            $0[0].exp()
        } reference: {
            $0[0].map { Glibc.exp($0) }
        }
        expectGradientsMatchFiniteDifferences(inputs: [positive]) {
            $0[0].log()
        } reference: {
            $0[0].map { Glibc.log($0) }
        }
        expectGradientsMatchFiniteDifferences(inputs: [x]) {
            $0[0].tanh()
        } reference: {
            $0[0].map { Glibc.tanh($0) }
        }
        expectGradientsMatchFiniteDifferences(inputs: [x]) {
            $0[0].softplus()
        } reference: {
            $0[0].map { Glibc.log1p(Glibc.exp($0)) }
        }
        expectGradientsMatchFiniteDifferences(inputs: [x]) {
            $0[0].squared()
        } reference: {
            $0[0].map { $0 * $0 }
        }
        expectGradientsMatchFiniteDifferences(inputs: [positive]) {
            $0[0].squareRoot()
        } reference: {
            $0[0].map { $0.squareRoot() }
        }
    }

    @Test func reluGradientAwayFromTheKink() {
        // Finite differences are undefined at 0, so inputs keep |x| ≥ 0.1.
        var x = randomTensor([6, 9], seed: 63, low: -2, high: 2)
        x = x.map { abs($0) < 0.1 ? 0.5 : $0 }
        expectGradientsMatchFiniteDifferences(inputs: [x]) {
            $0[0].relu()
        } reference: {
            $0[0].map { max($0, 0) }
        }
    }

    @Test func reductionGradients() {
        let x = randomTensor([5, 7], seed: 64)
        expectGradientsMatchFiniteDifferences(inputs: [x]) {
            $0[0].sum()
        } reference: {
            ReferenceMatrix(rows: 1, columns: 1, values: [$0[0].sum])
        }
        expectGradientsMatchFiniteDifferences(inputs: [x]) {
            $0[0].mean()
        } reference: {
            ReferenceMatrix(rows: 1, columns: 1, values: [$0[0].sum / 35])
        }
        expectGradientsMatchFiniteDifferences(inputs: [x]) {
            $0[0].rowSums()
        } reference: {
            $0[0].rowSums()
        }
        expectGradientsMatchFiniteDifferences(inputs: [x]) {
            $0[0].rowMeans()
        } reference: {
            $0[0].rowSums().map { $0 / 7 }
        }
    }

    @Test func softmaxFamilyAndGatherGradients() {
        for shape in [[1, 1], [1, 4], [6, 3], [7, 13]] {
            let x = randomTensor(shape, seed: 65, low: -3, high: 3)
            expectGradientsMatchFiniteDifferences(inputs: [x]) {
                $0[0].logSoftmaxRows()
            } reference: {
                $0[0].logSoftmaxRows()
            }
            expectGradientsMatchFiniteDifferences(inputs: [x]) {
                $0[0].softmaxRows()
            } reference: {
                $0[0].logSoftmaxRows().map { Glibc.exp($0) }
            }
            let indices = (0..<shape[0]).map { ($0 * 7 + 1) % shape[1] }
            expectGradientsMatchFiniteDifferences(inputs: [x]) {
                $0[0].gatheringColumns(indices)
            } reference: { r in
                ReferenceMatrix(
                    rows: shape[0], columns: 1, values: indices.enumerated().map { r[0][$0.offset, $0.element] })
            }
        }
    }

    @Test func fusedReinforceLossGradient() {
        let logits = randomTensor([9, 4], seed: 66, low: -2, high: 2)
        let actions = [0, 3, 1, 2, 2, 0, 1, 3, 3]
        let weights: [Float] = [1.2, -0.4, 0.3, -1.5, 0.9, 0.1, -0.7, 2.0, 0.5]
        expectGradientsMatchFiniteDifferences(inputs: [logits]) { v in
            Variable.weightedNegativeLogLikelihood(logits: v[0], actions: actions, weights: weights)
        } reference: { r in
            let logProbabilities = r[0].logSoftmaxRows()
            let total = (0..<9).reduce(0.0) { $0 - Double(weights[$1]) * logProbabilities[$1, actions[$1]] }
            return ReferenceMatrix(rows: 1, columns: 1, values: [total])
        }
    }

    @Test func fusedKLDivergenceGradientIncludingZeroTargetProbabilities() {
        let logits = randomTensor([8, 3], seed: 67, low: -2, high: 2)
        var target = randomTensor([8, 3], seed: 68, low: 0, high: 1).softmaxRows()
        target[2, 0] = 0  // a zero probability: 0·ln 0 = 0, no NaN
        target[2, 1] = 1 - target[2, 2]
        expectGradientsMatchFiniteDifferences(inputs: [logits]) { v in
            Variable.klDivergenceBatchMean(target: target, logits: v[0])
        } reference: { r in
            let logQ = r[0].logSoftmaxRows()
            var total = 0.0
            for index in 0..<24 where target.scalars[index] > 0 {
                let p = Double(target.scalars[index])
                total += p * (Glibc.log(p) - logQ.values[index])
            }
            return ReferenceMatrix(rows: 1, columns: 1, values: [total / 8])
        }
    }

    @Test func gradientsAccumulateOnFanOut() {
        let x = Variable(Tensor(shape: [2], scalars: [1.5, -2]), requiresGradient: true)
        let y = (x * x + x.exp()).sum()  // ∂/∂x = 2x + eˣ, x used three times
        y.backward()
        let expected = x.value.scalars.map { 2 * $0 + expf($0) }
        #expect(x.gradient!.isApproximatelyEqual(to: Tensor(shape: [2], scalars: expected)))
        // A second backward adds to the first until zeroGradient().
        (x * 3).sum().backward()
        #expect(x.gradient!.isApproximatelyEqual(to: Tensor(shape: [2], scalars: expected.map { $0 + 3 })))
        x.zeroGradient()
        #expect(x.gradient == nil)
    }

    @Test func constantsRecordNothing() {
        let constant = Variable(Tensor.ones([2, 2]))
        let result = (constant.exp() * constant).sum()
        #expect(!result.requiresGradient)
        result.backward()
        #expect(constant.gradient == nil)
    }
}
