#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// In-place updates that reuse a tensor's storage: no allocation when the storage is uniquely referenced.
/// These serve preallocated workspaces in hot loops (batch-1 inference, optimiser updates).
extension Tensor {
    /// Overwrites every element with `values` (same count).
    public mutating func replaceScalars(with values: [Float]) {
        Precondition.check(values.count == count, "replaceScalars: \(values.count) values for shape \(shape)")
        scalars.withUnsafeMutableBufferPointer { destination in
            values.withUnsafeBufferPointer { source in
                for index in 0..<source.count { destination[index] = source[index] }
            }
        }
    }

    /// Overwrites every element with rows `range` of `source` (same column count, `range.count` rows).
    public mutating func replaceRows(of source: Tensor, range: Range<Int>) {
        Precondition.check(
            source.columns == columns && range.count == rows && range.upperBound <= source.rows,
            "replaceRows: rows \(range) of \(source.shape) into \(shape)")
        let offset = range.lowerBound * columns
        scalars.withUnsafeMutableBufferPointer { destination in
            source.scalars.withUnsafeBufferPointer { origin in
                guard let target = destination.baseAddress, let start = origin.baseAddress else { return }
                target.update(from: start + offset, count: destination.count)
            }
        }
    }

    /// Whether the elements equal rows `range` of `source` exactly (same column count and row count).
    public func equalsRows(of source: Tensor, range: Range<Int>) -> Bool {
        guard source.columns == columns, range.count == rows, range.upperBound <= source.rows else { return false }
        let offset = range.lowerBound * columns
        return scalars.withUnsafeBufferPointer { mine in
            source.scalars.withUnsafeBufferPointer { origin in
                for index in 0..<mine.count where mine[index] != origin[offset + index] { return false }
                return true
            }
        }
    }

    /// Copies the elements into rows `firstRow…` of `destination` (same column count).
    public func copyRows(into destination: inout Tensor, firstRow: Int) {
        Precondition.check(
            destination.columns == columns && firstRow + rows <= destination.rows,
            "copyRows: \(shape) into \(destination.shape) from row \(firstRow)")
        let offset = firstRow * columns
        scalars.withUnsafeBufferPointer { origin in
            destination.scalars.withUnsafeMutableBufferPointer { target in
                guard let start = origin.baseAddress, let base = target.baseAddress else { return }
                (base + offset).update(from: start, count: origin.count)
            }
        }
    }

    /// Gives `body` mutable access to the elements; the element count must not change.
    public mutating func modifyScalars(_ body: (inout [Float]) -> Void) {
        let expected = count
        body(&scalars)
        Precondition.check(
            scalars.count == expected, "modifyScalars changed the element count from \(expected) to \(scalars.count)")
    }

    /// x ← max(x, 0).
    public mutating func formReLU() {
        scalars.withUnsafeMutableBufferPointer { buffer in
            for index in 0..<buffer.count { buffer[index] = max(buffer[index], 0) }
        }
    }

    /// x ← tanh x.
    public mutating func formTanh() {
        scalars.withUnsafeMutableBufferPointer { buffer in
            for index in 0..<buffer.count { buffer[index] = Tensor.fastTanh(buffer[index]) }
        }
    }

    /// x ← softplus(x).
    public mutating func formSoftplus() {
        scalars.withUnsafeMutableBufferPointer { buffer in
            for index in 0..<buffer.count { buffer[index] = Tensor.softplus(buffer[index]) }
        }
    }

    /// Sets every element to `value`.
    public mutating func fill(with value: Float) {
        scalars.withUnsafeMutableBufferPointer { buffer in
            for index in 0..<buffer.count { buffer[index] = value }
        }
    }
}
