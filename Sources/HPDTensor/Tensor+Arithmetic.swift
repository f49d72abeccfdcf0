/// Elementwise arithmetic with broadcasting.
///
/// Two operands broadcast when they have the same shape, or one of them is a single value, a row vector (1×c or
/// rank 1 of length c) against r×c, or a column vector (r×1) against r×c. The result has the larger operand's shape.
extension Tensor {
    /// The shape two operands broadcast to, or a precondition failure naming both shapes.
    static func broadcastResult(_ left: Tensor, _ right: Tensor, operation: String) -> Tensor {
        if left.rows == right.rows && left.columns == right.columns { return left }
        if right.count == 1 || (right.rows == 1 && right.columns == left.columns)
            || (right.columns == 1 && right.rows == left.rows)
        {
            return left
        }
        if left.count == 1 || (left.rows == 1 && left.columns == right.columns)
            || (left.columns == 1 && left.rows == right.rows)
        {
            return right
        }
        Precondition.failure("\(operation): shapes \(left.shape) and \(right.shape) do not broadcast")
    }

    /// Applies `combine` elementwise with broadcasting.
    @inline(__always)
    static func broadcasting(
        _ left: Tensor, _ right: Tensor, operation: String, _ combine: (Float, Float) -> Float
    ) -> Tensor {
        let template = broadcastResult(left, right, operation: operation)
        let rows = template.rows
        let columns = template.columns
        let total = rows * columns
        var values = [Float](unsafeUninitializedCapacity: total) { _, initialized in initialized = total }
        if left.rows == right.rows && left.columns == right.columns {
            left.scalars.withUnsafeBufferPointer { l in
                right.scalars.withUnsafeBufferPointer { r in
                    values.withUnsafeMutableBufferPointer { out in
                        for index in 0..<out.count { out[index] = combine(l[index], r[index]) }
                    }
                }
            }
        } else {
            let leftRowStride = left.rows == 1 ? 0 : left.columns
            let leftColumnStride = left.columns == 1 ? 0 : 1
            let rightRowStride = right.rows == 1 ? 0 : right.columns
            let rightColumnStride = right.columns == 1 ? 0 : 1
            left.scalars.withUnsafeBufferPointer { l in
                right.scalars.withUnsafeBufferPointer { r in
                    values.withUnsafeMutableBufferPointer { out in
                        for row in 0..<rows {
                            for column in 0..<columns {
                                out[row * columns + column] = combine(
                                    l[row * leftRowStride + column * leftColumnStride],
                                    r[row * rightRowStride + column * rightColumnStride])
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: template.shape, scalars: values)
    }

    /// Applies `transform` to every element.
    @inline(__always)
    public func map(_ transform: (Float) -> Float) -> Tensor {
        var result = self
        result.scalars.withUnsafeMutableBufferPointer { buffer in
            for index in 0..<buffer.count { buffer[index] = transform(buffer[index]) }
        }
        return result
    }

    /// Sums `other` into `self` elementwise (shapes must be equal). Used for gradient accumulation.
    public mutating func add(_ other: Tensor, scaledBy factor: Float = 1) {
        Precondition.check(count == other.count, "add(_:scaledBy:): shapes \(shape) and \(other.shape) differ")
        BLAS.axpy(factor, other.scalars, into: &scalars)
    }

    /// Reduces a broadcast gradient back to `target`'s shape by summing over broadcast dimensions.
    public func summed(toShapeOf target: Tensor) -> Tensor {
        if target.rows == rows && target.columns == columns { return Tensor(shape: target.shape, scalars: scalars) }
        if target.count == 1 { return Tensor(shape: target.shape, scalars: [scalars.reduce(0, +)]) }
        if target.rows == 1 { return Tensor(shape: target.shape, scalars: columnSums().scalars) }
        if target.columns == 1 { return Tensor(shape: target.shape, scalars: rowSums().scalars) }
        Precondition.failure("summed(toShapeOf:): cannot reduce \(shape) to \(target.shape)")
    }

    /// Elementwise a + b with broadcasting.
    public static func + (left: Tensor, right: Tensor) -> Tensor {
        broadcasting(left, right, operation: "+") { $0 + $1 }
    }
    /// Elementwise a − b with broadcasting.
    public static func - (left: Tensor, right: Tensor) -> Tensor {
        broadcasting(left, right, operation: "-") { $0 - $1 }
    }
    /// Elementwise a ⊙ b with broadcasting.
    public static func * (left: Tensor, right: Tensor) -> Tensor {
        broadcasting(left, right, operation: "*") { $0 * $1 }
    }
    /// Elementwise a / b with broadcasting.
    public static func / (left: Tensor, right: Tensor) -> Tensor {
        broadcasting(left, right, operation: "/") { $0 / $1 }
    }
    /// x + c for every element.
    public static func + (left: Tensor, right: Float) -> Tensor { left.map { $0 + right } }
    /// x − c for every element.
    public static func - (left: Tensor, right: Float) -> Tensor { left.map { $0 - right } }
    /// c·x for every element.
    public static func * (left: Tensor, right: Float) -> Tensor { left.map { $0 * right } }
    /// x / c for every element.
    public static func / (left: Tensor, right: Float) -> Tensor { left.map { $0 / right } }
    /// c + x for every element.
    public static func + (left: Float, right: Tensor) -> Tensor { right.map { left + $0 } }
    /// c − x for every element.
    public static func - (left: Float, right: Tensor) -> Tensor { right.map { left - $0 } }
    /// c·x for every element.
    public static func * (left: Float, right: Tensor) -> Tensor { right.map { left * $0 } }
    /// c / x for every element.
    public static func / (left: Float, right: Tensor) -> Tensor { right.map { left / $0 } }
    /// −x for every element.
    public static prefix func - (operand: Tensor) -> Tensor { operand.map { -$0 } }
}
