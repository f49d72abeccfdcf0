/// A dense, row-major tensor of `Float` values with rank 0, 1 or 2.
///
/// `Tensor` is a value type: its storage is a Swift array, so copies are cheap and copy-on-write. A rank-1 tensor
/// of length n behaves as a 1×n row vector in matrix operations; a rank-0 tensor is a scalar (1×1).
///
/// Shape mismatches are programmer errors: they stop the program with a message naming both shapes.
public struct Tensor: Sendable, Equatable {
    /// The elements in row-major order.
    public internal(set) var scalars: [Float]
    /// The number of dimensions: 0, 1 or 2.
    public let rank: Int
    /// Rows when viewed as a matrix (1 for rank 0 and 1).
    public let rows: Int
    /// Columns when viewed as a matrix (the length for rank 1, 1 for rank 0).
    public let columns: Int

    /// Creates a tensor of `shape` (0, 1 or 2 dimensions) holding `scalars` in row-major order.
    public init(shape: [Int], scalars: [Float]) {
        Precondition.check(shape.count <= 2, "Tensor supports rank 0...2, got shape \(shape)")
        Precondition.check(shape.allSatisfy { $0 >= 0 }, "Tensor shape \(shape) has a negative dimension")
        let expected = shape.reduce(1, *)
        Precondition.check(
            scalars.count == expected,
            "Tensor of shape \(shape) needs \(expected) scalars, got \(scalars.count)")
        self.scalars = scalars
        self.rank = shape.count
        switch shape.count {
        case 0: (rows, columns) = (1, 1)
        case 1: (rows, columns) = (1, shape[0])
        default: (rows, columns) = (shape[0], shape[1])
        }
    }

    /// A rank-2 tensor `rows × columns` from row-major `scalars`.
    public init(rows: Int, columns: Int, scalars: [Float]) {
        self.init(shape: [rows, columns], scalars: scalars)
    }

    /// A rank-2 tensor from nested rows, all of equal length.
    public init(_ nestedRows: [[Float]]) {
        let columnCount = nestedRows.first?.count ?? 0
        for (index, row) in nestedRows.enumerated() {
            Precondition.check(
                row.count == columnCount, "row \(index) has \(row.count) values, expected \(columnCount)")
        }
        self.init(shape: [nestedRows.count, columnCount], scalars: nestedRows.flatMap { $0 })
    }

    /// A rank-0 tensor holding `value`.
    public init(scalar value: Float) {
        self.init(shape: [], scalars: [value])
    }

    /// A tensor of `shape` filled with `value`.
    public init(repeating value: Float, shape: [Int]) {
        self.init(shape: shape, scalars: [Float](repeating: value, count: shape.reduce(1, *)))
    }

    /// A tensor whose elements are unspecified (to be overwritten at once): skips zero-filling large outputs.
    static func uninitialized(_ shape: [Int]) -> Tensor {
        let count = shape.reduce(1, *)
        return Tensor(
            shape: shape, scalars: [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
        )
    }

    /// A tensor of zeros.
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(repeating: 0, shape: shape) }

    /// A tensor of ones.
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(repeating: 1, shape: shape) }

    /// Independent draws from U(low, high).
    public static func uniform(_ shape: [Int], low: Float, high: Float, generator: inout RandomGenerator) -> Tensor {
        let count = shape.reduce(1, *)
        var values = [Float](repeating: 0, count: count)
        for index in 0..<count { values[index] = low + (high - low) * generator.uniformFloat() }
        return Tensor(shape: shape, scalars: values)
    }

    /// Independent draws from N(mean, standardDeviation²).
    public static func normal(
        _ shape: [Int], mean: Float = 0, standardDeviation: Float = 1, generator: inout RandomGenerator
    ) -> Tensor {
        let count = shape.reduce(1, *)
        var values = [Float](repeating: 0, count: count)
        for index in 0..<count { values[index] = mean + standardDeviation * Float(generator.normal()) }
        return Tensor(shape: shape, scalars: values)
    }

    /// The shape: `[]`, `[n]` or `[rows, columns]`.
    public var shape: [Int] {
        switch rank {
        case 0: return []
        case 1: return [columns]
        default: return [rows, columns]
        }
    }

    /// The number of elements.
    @inlinable public var count: Int { rows * columns }

    /// The single value of a one-element tensor.
    public var scalarValue: Float {
        Precondition.check(count == 1, "scalarValue needs a one-element tensor, got shape \(shape)")
        return scalars[0]
    }

    /// The element at (row, column) of the matrix view.
    public subscript(row: Int, column: Int) -> Float {
        get { scalars[row * columns + column] }
        set { scalars[row * columns + column] = newValue }
    }

    /// The same elements viewed with another shape of equal element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, scalars: scalars)
    }

    /// The same elements as a rank-2 `rows × columns` matrix (rank 1 becomes a 1×n row).
    public var asMatrix: Tensor { rank == 2 ? self : Tensor(shape: [rows, columns], scalars: scalars) }

    /// One row as a rank-1 tensor.
    public func row(_ index: Int) -> Tensor {
        Precondition.check(index >= 0 && index < rows, "row \(index) out of range for shape \(shape)")
        return Tensor(shape: [columns], scalars: Array(scalars[(index * columns)..<((index + 1) * columns)]))
    }

    /// The rows in `range` as a rank-2 tensor.
    public func rows(_ range: Range<Int>) -> Tensor {
        Precondition.check(
            range.lowerBound >= 0 && range.upperBound <= rows,
            "rows \(range) out of range for shape \(shape)")
        return Tensor(
            shape: [range.count, columns],
            scalars: Array(scalars[(range.lowerBound * columns)..<(range.upperBound * columns)]))
    }

    /// Stacks tensors with equal column counts on top of each other.
    public static func concatenatingRows(_ parts: [Tensor]) -> Tensor {
        Precondition.check(!parts.isEmpty, "concatenatingRows needs at least one tensor")
        let columnCount = parts[0].columns
        var values: [Float] = []
        values.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        var rowCount = 0
        for part in parts {
            Precondition.check(
                part.columns == columnCount,
                "concatenatingRows: shape \(part.shape) does not have \(columnCount) columns")
            values.append(contentsOf: part.scalars)
            rowCount += part.rows
        }
        return Tensor(shape: [rowCount, columnCount], scalars: values)
    }

    /// Places tensors with equal row counts side by side.
    public static func concatenatingColumns(_ parts: [Tensor]) -> Tensor {
        Precondition.check(!parts.isEmpty, "concatenatingColumns needs at least one tensor")
        let rowCount = parts[0].rows
        for part in parts {
            Precondition.check(
                part.rows == rowCount, "concatenatingColumns: shape \(part.shape) does not have \(rowCount) rows")
        }
        let columnCount = parts.reduce(0) { $0 + $1.columns }
        var values = [Float](repeating: 0, count: rowCount * columnCount)
        var offset = 0
        for part in parts {
            for row in 0..<rowCount {
                for column in 0..<part.columns {
                    values[row * columnCount + offset + column] = part.scalars[row * part.columns + column]
                }
            }
            offset += part.columns
        }
        return Tensor(shape: [rowCount, columnCount], scalars: values)
    }

    /// The transpose of the matrix view.
    public var transposed: Tensor {
        var values = [Float](repeating: 0, count: count)
        for row in 0..<rows {
            for column in 0..<columns { values[column * rows + row] = scalars[row * columns + column] }
        }
        return Tensor(shape: [columns, rows], scalars: values)
    }

    /// True when every element is finite (no NaN or ±∞).
    public var isFinite: Bool { scalars.allSatisfy { $0.isFinite } }

    /// True when both tensors have the same shape and every pair of elements differs by at most
    /// `absoluteTolerance + relativeTolerance · |other|`.
    public func isApproximatelyEqual(
        to other: Tensor, absoluteTolerance: Float = 1e-5, relativeTolerance: Float = 1e-4
    ) -> Bool {
        guard shape == other.shape else { return false }
        for index in 0..<count {
            let difference = abs(scalars[index] - other.scalars[index])
            if !(difference <= absoluteTolerance + relativeTolerance * abs(other.scalars[index])) { return false }
        }
        return true
    }
}

extension Tensor: CustomStringConvertible {
    /// The shape and values; a matrix prints one row per line.
    public var description: String {
        if rank < 2 { return "Tensor(\(shape), \(scalars))" }
        let lines = (0..<rows).map { row in
            "  " + (0..<columns).map { String(self[row, $0]) }.joined(separator: ", ")
        }
        return "Tensor(\(shape)\n" + lines.joined(separator: "\n") + ")"
    }
}
