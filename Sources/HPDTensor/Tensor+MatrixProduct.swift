/// Matrix products through `cblas_sgemm` / `cblas_sgemv`, with a plain loop for tiny shapes where a BLAS call's
/// fixed cost dominates.
extension Tensor {
    /// op(A)·op(B) where op(X) is X or Xᵀ, for the matrix views of `left` and `right`.
    public static func matmul(
        _ left: Tensor, _ right: Tensor, transposeLeft: Bool = false, transposeRight: Bool = false
    ) -> Tensor {
        let m = transposeLeft ? left.columns : left.rows
        let n = transposeRight ? right.rows : right.columns
        var output = Tensor.uninitialized([m, n])
        matmul(left, right, transposeLeft: transposeLeft, transposeRight: transposeRight, into: &output)
        return output
    }

    /// output ← α·op(A)·op(B) + β·output, reusing `output`'s storage (no allocation when it is uniquely referenced).
    public static func matmul(
        _ left: Tensor, _ right: Tensor, transposeLeft: Bool = false, transposeRight: Bool = false,
        alpha: Float = 1, beta: Float = 0, into output: inout Tensor
    ) {
        let m = transposeLeft ? left.columns : left.rows
        let k = transposeLeft ? left.rows : left.columns
        let rightInner = transposeRight ? right.columns : right.rows
        let n = transposeRight ? right.rows : right.columns
        Precondition.check(
            k == rightInner,
            "matmul: inner dimensions differ, \(left.shape)\(transposeLeft ? "ᵀ" : "") · \(right.shape)\(transposeRight ? "ᵀ" : "")"
        )
        Precondition.check(
            output.rows == m && output.columns == n,
            "matmul: output shape \(output.shape) is not [\(m), \(n)] for \(left.shape) · \(right.shape)")
        if m == 0 || n == 0 { return }
        if k == 0 {
            output.scalars.withUnsafeMutableBufferPointer { buffer in
                for index in 0..<buffer.count { buffer[index] = beta == 0 ? 0 : buffer[index] * beta }
            }
            return
        }
        if m == 1 && !transposeLeft {
            // A single row: y = op(B)ᵀ·x as a matrix-vector product.
            if n * k <= 256 {
                smallRowProduct(
                    left, right, transposeRight: transposeRight, n: n, k: k, alpha: alpha, beta: beta, into: &output)
            } else {
                BLAS.gemv(
                    right.scalars, rows: right.rows, columns: right.columns, transpose: !transposeRight, left.scalars,
                    alpha: alpha, beta: beta, into: &output.scalars)
            }
            return
        }
        if n == 1 && !transposeLeft {
            // One output column (a Gaussian policy's one-dimensional head): y = A·b as a matrix-vector product;
            // b is B's single row or single column, contiguous either way.
            BLAS.gemv(
                left.scalars, rows: left.rows, columns: left.columns, transpose: false, right.scalars, alpha: alpha,
                beta: beta, into: &output.scalars)
            return
        }
        if m == 1 && transposeLeft && !transposeRight {
            // One output row from Aᵀ (A has one column, e.g. that head's weight gradient ȳᵀ·h): y = Bᵀ·a.
            BLAS.gemv(
                right.scalars, rows: right.rows, columns: right.columns, transpose: true, left.scalars, alpha: alpha,
                beta: beta, into: &output.scalars)
            return
        }
        BLAS.gemm(
            left.scalars, transposeA: transposeLeft, right.scalars, transposeB: transposeRight, m: m, n: n, k: k,
            alpha: alpha, beta: beta, into: &output.scalars)
    }

    /// y = α·x·op(B) + β·y for one row x, as plain loops.
    private static func smallRowProduct(
        _ row: Tensor, _ right: Tensor, transposeRight: Bool, n: Int, k: Int, alpha: Float, beta: Float,
        into output: inout Tensor
    ) {
        row.scalars.withUnsafeBufferPointer { x in
            right.scalars.withUnsafeBufferPointer { b in
                output.scalars.withUnsafeMutableBufferPointer { y in
                    for column in 0..<n {
                        var total: Float = 0
                        if transposeRight {
                            let base = column * k
                            for inner in 0..<k { total += x[inner] * b[base + inner] }
                        } else {
                            for inner in 0..<k { total += x[inner] * b[inner * n + column] }
                        }
                        y[column] = beta == 0 ? alpha * total : alpha * total + beta * y[column]
                    }
                }
            }
        }
    }

    /// The fused affine map x·Wᵀ + b (PyTorch's `Linear`): `input` n×in, `weight` out×in, `bias` [out] → n×out.
    public static func linear(_ input: Tensor, weight: Tensor, bias: Tensor) -> Tensor {
        var output = Tensor.uninitialized([input.rows, weight.rows])
        linear(input, weight: weight, bias: bias, into: &output)
        return output
    }

    /// x·Wᵀ + b written into `output` (n×out), reusing its storage.
    public static func linear(_ input: Tensor, weight: Tensor, bias: Tensor, into output: inout Tensor) {
        checkLinearShapes(input, weight: weight, bias: bias, output: output)
        let columns = weight.rows
        let rows = input.rows
        output.scalars.withUnsafeMutableBufferPointer { out in
            bias.scalars.withUnsafeBufferPointer { b in
                guard var row = out.baseAddress, let source = b.baseAddress else { return }
                for _ in 0..<rows {
                    row.update(from: source, count: columns)
                    row += columns
                }
            }
        }
        matmul(input, weight, transposeRight: true, beta: 1, into: &output)
    }

    /// The shape rules of x·Wᵀ + b (input n×in, weight out×in, bias [out], output n×out).
    static func checkLinearShapes(_ input: Tensor, weight: Tensor, bias: Tensor, output: Tensor) {
        Precondition.check(
            input.columns == weight.columns,
            "linear: input \(input.shape) has \(input.columns) features, weight \(weight.shape) expects \(weight.columns)"
        )
        Precondition.check(
            bias.count == weight.rows, "linear: bias \(bias.shape) does not match weight \(weight.shape)")
        Precondition.check(
            output.rows == input.rows && output.columns == weight.rows,
            "linear: output \(output.shape) is not [\(input.rows), \(weight.rows)]")
    }
}
