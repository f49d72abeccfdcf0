import HPDTensor
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A row-major Double matrix: the test's trusted reference for forward values, used for finite differences.
public struct ReferenceMatrix {
    public var rows: Int
    public var columns: Int
    public var values: [Double]

    public init(rows: Int, columns: Int, values: [Double]) {
        (self.rows, self.columns, self.values) = (rows, columns, values)
    }

    public init(_ tensor: Tensor) {
        self.init(rows: tensor.rows, columns: tensor.columns, values: tensor.scalars.map(Double.init))
    }

    public subscript(row: Int, column: Int) -> Double { values[row * columns + column] }

    public func map(_ transform: (Double) -> Double) -> ReferenceMatrix {
        ReferenceMatrix(rows: rows, columns: columns, values: values.map(transform))
    }

    public var transposed: ReferenceMatrix {
        var result = [Double](repeating: 0, count: values.count)
        for row in 0..<rows { for column in 0..<columns { result[column * rows + row] = self[row, column] } }
        return ReferenceMatrix(rows: columns, columns: rows, values: result)
    }

    public static func product(_ left: ReferenceMatrix, _ right: ReferenceMatrix) -> ReferenceMatrix {
        precondition(left.columns == right.rows)
        var result = [Double](repeating: 0, count: left.rows * right.columns)
        for row in 0..<left.rows {
            for column in 0..<right.columns {
                var total = 0.0
                for inner in 0..<left.columns { total += left[row, inner] * right[inner, column] }
                result[row * right.columns + column] = total
            }
        }
        return ReferenceMatrix(rows: left.rows, columns: right.columns, values: result)
    }

    /// Elementwise combination with the same broadcasting rules as `Tensor`.
    public static func combine(
        _ left: ReferenceMatrix, _ right: ReferenceMatrix, _ operation: (Double, Double) -> Double
    ) -> ReferenceMatrix {
        let rows = max(left.rows, right.rows)
        let columns = max(left.columns, right.columns)
        var result = [Double](repeating: 0, count: rows * columns)
        for row in 0..<rows {
            for column in 0..<columns {
                result[row * columns + column] = operation(
                    left[left.rows == 1 ? 0 : row, left.columns == 1 ? 0 : column],
                    right[right.rows == 1 ? 0 : row, right.columns == 1 ? 0 : column])
            }
        }
        return ReferenceMatrix(rows: rows, columns: columns, values: result)
    }

    public func rowSums() -> ReferenceMatrix {
        ReferenceMatrix(
            rows: rows, columns: 1,
            values: (0..<rows).map { row in (0..<columns).reduce(0.0) { $0 + self[row, $1] } })
    }

    public func logSoftmaxRows() -> ReferenceMatrix {
        var result = values
        for row in 0..<rows {
            let maximum = (0..<columns).map { self[row, $0] }.max()!
            let shift = maximum + Glibc.log((0..<columns).reduce(0.0) { $0 + Glibc.exp(self[row, $1] - maximum) })
            for column in 0..<columns { result[row * columns + column] -= shift }
        }
        return ReferenceMatrix(rows: rows, columns: columns, values: result)
    }

    public var sum: Double { values.reduce(0, +) }
}

/// Checks the engine's gradients of every input against central finite differences of the Double reference.
///
/// The scalar checked is L = Σ_ij y_ij · R_ij with fixed random weights R, so every output element carries a
/// different gradient. Finite differences run in Double with h = 1e-6 (truncation O(h²) ≈ 1e-12, round-off
/// ≈ 1e-10); the engine computes in Float, so the comparison allows |analytic − numeric| ≤ 2e-3·(1 + |numeric|),
/// about 100× Float's accumulated rounding on these sizes and far below any wrong-rule error.
public func expectGradientsMatchFiniteDifferences(
    inputs: [Tensor],
    engine: ([Variable]) -> Variable,
    reference: ([ReferenceMatrix]) -> ReferenceMatrix,
    seed: UInt64 = 1,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let variables = inputs.map { Variable($0, requiresGradient: true) }
    let output = engine(variables)
    var generator = RandomGenerator(seed: seed, stream: 99)
    let weights = Tensor.uniform(output.value.shape, low: -1, high: 1, generator: &generator)
    let loss = (output * Variable(weights)).sum()
    loss.backward()

    let referenceInputs = inputs.map(ReferenceMatrix.init)
    let referenceWeights = ReferenceMatrix(weights)
    func referenceLoss(_ matrices: [ReferenceMatrix]) -> Double {
        ReferenceMatrix.combine(reference(matrices), referenceWeights, *).sum
    }
    // The forward values agree first.
    let forward = reference(referenceInputs)
    for (index, value) in output.value.scalars.enumerated() {
        #expect(
            abs(Double(value) - forward.values[index]) <= 1e-4 * (1 + abs(forward.values[index])),
            "forward value \(index)", sourceLocation: sourceLocation)
    }
    let step = 1e-6
    for (inputIndex, variable) in variables.enumerated() {
        let analytic = variable.gradient ?? Tensor.zeros(variable.value.shape)
        #expect(
            analytic.shape == variable.value.shape, "gradient shape of input \(inputIndex)",
            sourceLocation: sourceLocation)
        for element in 0..<referenceInputs[inputIndex].values.count {
            let numeric = FiniteDifferences.centralDifference(step: step) { offset in
                var moved = referenceInputs
                moved[inputIndex].values[element] += offset
                return referenceLoss(moved)
            }
            let difference = abs(Double(analytic.scalars[element]) - numeric)
            #expect(
                difference <= 2e-3 * (1 + abs(numeric)),
                "input \(inputIndex) element \(element): analytic \(analytic.scalars[element]) vs numeric \(numeric)",
                sourceLocation: sourceLocation)
        }
    }
}

/// A tensor of uniform values in [low, high) from the stream of `seed`.
public func randomTensor(_ shape: [Int], seed: UInt64, low: Float = -1, high: Float = 1) -> Tensor {
    var generator = RandomGenerator(seed: seed)
    return Tensor.uniform(shape, low: low, high: high, generator: &generator)
}
