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

    /// Gives `body` mutable access to the elements; the element count must not change.
    public mutating func modifyScalars(_ body: (inout [Float]) -> Void) {
        let expected = count
        body(&scalars)
        Precondition.check(scalars.count == expected, "modifyScalars changed the element count from \(expected) to \(scalars.count)")
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
