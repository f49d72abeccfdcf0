import Foundation
import HPDTensor
import TestSupport
import Testing

@Suite struct TensorKernelTests {
    func naiveProduct(_ a: Tensor, _ b: Tensor) -> Tensor {
        var result = Tensor.zeros([a.rows, b.columns])
        for i in 0..<a.rows { for j in 0..<b.columns { for k in 0..<a.columns { result[i, j] += a[i, k] * b[k, j] } } }
        return result
    }

    @Test(arguments: [
        (1, 1, 1), (1, 4, 128), (1, 64, 64), (7, 13, 5), (200, 33, 17), (64, 300, 70), (300, 64, 1), (1, 300, 64),
    ])
    func matmulMatchesTripleLoopForEveryTranspose(m: Int, k: Int, n: Int) {
        let a = randomTensor([m, k], seed: 1)
        let b = randomTensor([k, n], seed: 2)
        let expected = naiveProduct(a, b)
        #expect(Tensor.matmul(a, b).isApproximatelyEqual(to: expected, absoluteTolerance: 1e-4))
        #expect(
            Tensor.matmul(a.transposed, b, transposeLeft: true).isApproximatelyEqual(
                to: expected, absoluteTolerance: 1e-4))
        #expect(
            Tensor.matmul(a, b.transposed, transposeRight: true).isApproximatelyEqual(
                to: expected, absoluteTolerance: 1e-4))
        #expect(
            Tensor.matmul(a.transposed, b.transposed, transposeLeft: true, transposeRight: true)
                .isApproximatelyEqual(to: expected, absoluteTolerance: 1e-4))
    }

    /// The matrix-vector forms (one output column; one output row from a transposed one-column left operand)
    /// accumulate with β = 1 like the general product.
    @Test func vectorShapedProductsAccumulateIntoTheirOutput() {
        let a = randomTensor([300, 64], seed: 3)
        let column = randomTensor([64, 1], seed: 4)
        var accumulated = randomTensor([300, 1], seed: 5)
        let start = accumulated
        Tensor.matmul(a, column.transposed, transposeRight: true, beta: 1, into: &accumulated)
        #expect(accumulated.isApproximatelyEqual(to: start + naiveProduct(a, column), absoluteTolerance: 1e-4))
        let weights = randomTensor([300, 1], seed: 6)
        var row = randomTensor([1, 64], seed: 7)
        let rowStart = row
        Tensor.matmul(weights, a, transposeLeft: true, beta: 1, into: &row)
        #expect(row.isApproximatelyEqual(to: rowStart + naiveProduct(weights.transposed, a), absoluteTolerance: 1e-3))
    }

    @Test func linearIsInputTimesWeightTransposePlusBias() {
        let x = randomTensor([5, 3], seed: 3)
        let w = randomTensor([4, 3], seed: 4)
        let b = randomTensor([4], seed: 5)
        let expected = naiveProduct(x, w.transposed) + b
        #expect(Tensor.linear(x, weight: w, bias: b).isApproximatelyEqual(to: expected))
        let row = x.row(2)
        #expect(Tensor.linear(row, weight: w, bias: b).isApproximatelyEqual(to: expected.rows(2..<3)))
    }

    @Test func broadcastingOfRowsColumnsAndScalars() {
        let matrix = Tensor([[1, 2, 3], [4, 5, 6]])
        #expect((matrix + Tensor(shape: [3], scalars: [10, 20, 30])) == Tensor([[11, 22, 33], [14, 25, 36]]))
        #expect((matrix * Tensor(shape: [2, 1], scalars: [2, 3])) == Tensor([[2, 4, 6], [12, 15, 18]]))
        #expect((matrix - Tensor(scalar: 1)) == Tensor([[0, 1, 2], [3, 4, 5]]))
        #expect(
            (Tensor(shape: [3], scalars: [6, 6, 6]) / Tensor([[1, 2, 3], [6, 3, 2]]))
                == Tensor([[6, 3, 2], [1, 2, 3]]))
        #expect((2 * matrix) == Tensor([[2, 4, 6], [8, 10, 12]]))
    }

    @Test func softmaxAndLogSoftmaxAreStableForHugeLogits() {
        let logits = Tensor([[1000, -1000, 0], [-1000, -1000, -1000], [1000, 1000, 999]])
        let probabilities = logits.softmaxRows()
        let logProbabilities = logits.logSoftmaxRows()
        #expect(probabilities.isFinite && logProbabilities.isFinite)
        #expect(
            probabilities.isApproximatelyEqual(
                to: Tensor([
                    [1, 0, 0], [1.0 / 3, 1.0 / 3, 1.0 / 3],
                    [0.4223188, 0.4223188, 0.1553624],
                ]), absoluteTolerance: 1e-6))
        #expect(abs(logProbabilities[0, 1] - (-2000)) < 1e-3)
        #expect(abs(logProbabilities[2, 2] - (-1.8619948)) < 1e-5)
        for row in 0..<3 { #expect(abs(probabilities.rowSums()[row, 0] - 1) < 1e-6) }
    }

    @Test func reductionsGatherSlicingAndConcatenation() {
        let matrix = Tensor([[1, 2, 3], [4, 5, 6]])
        #expect(matrix.sum().scalarValue == 21)
        #expect(matrix.mean().scalarValue == 3.5)
        #expect(matrix.columnSums() == Tensor(shape: [3], scalars: [5, 7, 9]))
        #expect(matrix.rowSums() == Tensor(shape: [2, 1], scalars: [6, 15]))
        #expect(matrix.rowMeans() == Tensor(shape: [2, 1], scalars: [2, 5]))
        #expect(matrix.columnMeans() == Tensor(shape: [3], scalars: [2.5, 3.5, 4.5]))
        #expect(matrix.gatheringColumns([2, 0]) == Tensor(shape: [2, 1], scalars: [3, 4]))
        #expect(matrix.rows(1..<2) == Tensor([[4, 5, 6]]))
        #expect(
            Tensor.concatenatingRows([matrix, matrix.rows(0..<1)]) == Tensor([[1, 2, 3], [4, 5, 6], [1, 2, 3]]))
        #expect(Tensor.concatenatingColumns([matrix, Tensor([[7], [8]])]) == Tensor([[1, 2, 3, 7], [4, 5, 6, 8]]))
        #expect(matrix.transposed == Tensor([[1, 4], [2, 5], [3, 6]]))
        #expect(matrix.argmaxRows() == [2, 2])
    }

    @Test func elementwiseFunctionsMatchTheirDefinitions() {
        let x = Tensor(shape: [5], scalars: [-30, -1, 0, 1, 30])
        #expect(x.relu() == Tensor(shape: [5], scalars: [0, 0, 0, 1, 30]))
        #expect(
            x.softplus().isApproximatelyEqual(
                to: Tensor(shape: [5], scalars: [9.357623e-14, 0.31326169, 0.69314718, 1.31326169, 30])))
        #expect(x.tanh().isApproximatelyEqual(to: Tensor(shape: [5], scalars: [-1, -0.76159416, 0, 0.76159416, 1])))
        #expect(Tensor(shape: [2], scalars: [4, 9]).squareRoot() == Tensor(shape: [2], scalars: [2, 3]))
        #expect(
            Tensor(shape: [2], scalars: [0, 1]).exp().isApproximatelyEqual(
                to: Tensor(shape: [2], scalars: [1, 2.7182817])))
    }

    @Test func creationFromSeedsIsDeterministic() {
        var first = RandomGenerator(seed: 5)
        var second = RandomGenerator(seed: 5)
        #expect(Tensor.normal([3, 4], generator: &first) == Tensor.normal([3, 4], generator: &second))
        #expect(Tensor.zeros([2, 3]).scalars == [Float](repeating: 0, count: 6))
        #expect(Tensor.ones([4]).shape == [4])
        #expect(Tensor(scalar: 2).shape == [])
    }

    @Test func symmetricEigendecompositionRecoversKnownEigenvalues() {
        // [[2,1,0],[1,2,0],[0,0,5]] has eigenvalues 1, 3, 5 with eigenvectors (1,−1,0)/√2, (1,1,0)/√2, (0,0,1).
        let decomposition = SymmetricEigendecomposition(symmetric: [[2, 1, 0], [1, 2, 0], [0, 0, 5]])
        #expect(zip(decomposition.eigenvalues, [1.0, 3, 5]).allSatisfy { abs($0 - $1) < 1e-12 })
        let top = decomposition.eigenvector(2)
        #expect(abs(abs(top[2]) - 1) < 1e-12)
        let middle = decomposition.eigenvector(1)
        #expect(abs(abs(middle[0]) - 0.5.squareRoot()) < 1e-12 && abs(middle[0] - middle[1]) < 1e-12)
    }
}

@Suite struct FastTanhTests {
    /// The rational tanh stays within 4e-7 (absolute and relative) of the exact value over [−12, 12], is odd,
    /// and saturates to ±1.
    @Test func fastTanhMatchesTheExactFunction() {
        var worstAbsolute = 0.0
        var worstRelative = 0.0
        var x: Float = -12
        while x < 12 {
            let exact = Foundation.tanh(Double(x))
            let error = abs(Double(Tensor.fastTanh(x)) - exact)
            worstAbsolute = max(worstAbsolute, error)
            if abs(x) > 1e-3 { worstRelative = max(worstRelative, error / abs(exact)) }
            #expect(Tensor.fastTanh(-x) == -Tensor.fastTanh(x))
            x += 0.00037
        }
        #expect(worstAbsolute < 4e-7 && worstRelative < 4e-7, "absolute \(worstAbsolute), relative \(worstRelative)")
        #expect(Tensor.fastTanh(50) == 1 && Tensor.fastTanh(-50) == -1 && Tensor.fastTanh(0) == 0)
    }
}
