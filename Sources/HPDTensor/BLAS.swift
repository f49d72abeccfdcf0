internal import CBLAS

/// The one file that calls OpenBLAS's CBLAS interface. Everything here works on raw buffers of `Tensor` storage;
/// callers above see only tensors.
enum BLAS {
    /// C ← α·op(A)·op(B) + β·C with row-major storage, where op(X) is X or Xᵀ.
    ///
    /// - Parameters: `m×k` is the shape of op(A), `k×n` of op(B); `C` must hold `m·n` values.
    static func gemm(
        _ a: [Float], transposeA: Bool, _ b: [Float], transposeB: Bool,
        m: Int, n: Int, k: Int, alpha: Float, beta: Float, into c: inout [Float]
    ) {
        let leadingA = transposeA ? m : k
        let leadingB = transposeB ? k : n
        a.withUnsafeBufferPointer { aBuffer in
            b.withUnsafeBufferPointer { bBuffer in
                c.withUnsafeMutableBufferPointer { cBuffer in
                    cblas_sgemm(
                        CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                        Int32(m), Int32(n), Int32(k), alpha, aBuffer.baseAddress, Int32(leadingA),
                        bBuffer.baseAddress, Int32(leadingB), beta, cBuffer.baseAddress, Int32(n))
                }
            }
        }
    }

    /// y ← α·op(A)·x + β·y for a row-major `rows × columns` matrix A.
    static func gemv(
        _ a: [Float], rows: Int, columns: Int, transpose: Bool, _ x: [Float], alpha: Float, beta: Float,
        into y: inout [Float]
    ) {
        a.withUnsafeBufferPointer { aBuffer in
            x.withUnsafeBufferPointer { xBuffer in
                y.withUnsafeMutableBufferPointer { yBuffer in
                    cblas_sgemv(
                        CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, Int32(rows), Int32(columns), alpha,
                        aBuffer.baseAddress, Int32(columns), xBuffer.baseAddress, 1, beta, yBuffer.baseAddress, 1)
                }
            }
        }
    }

    /// y ← α·x + y.
    static func axpy(_ alpha: Float, _ x: [Float], into y: inout [Float]) {
        Precondition.check(x.count == y.count, "axpy: \(x.count) vs \(y.count) elements")
        x.withUnsafeBufferPointer { xBuffer in
            y.withUnsafeMutableBufferPointer { yBuffer in
                cblas_saxpy(Int32(x.count), alpha, xBuffer.baseAddress, 1, yBuffer.baseAddress, 1)
            }
        }
    }

    static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(1, newValue))) }
    }

    static var configuration: String {
        guard let text = openblas_get_config() else { return "OpenBLAS" }
        return String(cString: text)
    }

    static var coreName: String {
        guard let text = openblas_get_corename() else { return "unknown" }
        return String(cString: text)
    }
}

/// Settings of the BLAS library behind the engine (OpenBLAS).
public enum LinearAlgebraLibrary {
    /// OpenBLAS's own thread count for one GEMM call. Training sets this to 1 while agents run on worker threads,
    /// so the cores are not oversubscribed.
    public static var threadCount: Int {
        get { BLAS.threadCount }
        set { BLAS.threadCount = newValue }
    }

    /// OpenBLAS's build configuration string (version and options), e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH …".
    public static var description: String { BLAS.configuration + " (core: \(BLAS.coreName))" }
}
