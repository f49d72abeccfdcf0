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
        _ = BLASKernelSelection.isReady
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
        _ = BLASKernelSelection.isReady
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
        _ = BLASKernelSelection.isReady
        Precondition.check(x.count == y.count, "axpy: \(x.count) vs \(y.count) elements")
        x.withUnsafeBufferPointer { xBuffer in
            y.withUnsafeMutableBufferPointer { yBuffer in
                cblas_saxpy(Int32(x.count), alpha, xBuffer.baseAddress, 1, yBuffer.baseAddress, 1)
            }
        }
    }

    static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set {
            _ = BLASKernelSelection.isReady
            openblas_set_num_threads(Int32(max(1, newValue)))
        }
    }

    static var configuration: String {
        guard let text = openblas_get_config() else { return "OpenBLAS" }
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

    /// OpenBLAS's build configuration string (version and options) and the kernel set in use, e.g.
    /// "OpenBLAS 0.3.21 DYNAMIC_ARCH … (core: Haswell)".
    public static var description: String { BLAS.configuration + " (core: \(kernelStatus.core))" }

    /// The kernel set in use, why, and whether it passed the self-check (see `BLASKernelSelection`: the engine
    /// upgrades OpenBLAS's choice to the best set the CPU supports, verified in a child process, unless
    /// `OPENBLAS_CORETYPE` is set). Reading it makes the choice if no BLAS call has yet.
    public static var kernelStatus: BLASKernelStatus { BLASKernelSelection.current }

    /// The processor (model, family, SIMD features).
    public static var cpu: CPUDescription { CPUDescription.current }

    /// The environment variable that pins a kernel set for the whole process at its first BLAS call
    /// (`FEDHPD_BLAS_CORE=Haswell`): the library users' `--blas-core`.
    public static var kernelPinVariable: String { BLASKernelSelection.pinVariable }

    /// Pins the kernel set `name` (e.g. "Haswell", to reproduce results bit for bit across AVX2 machines) after
    /// checking the CPU supports it and it passes the self-check in a child process. Call it when no other thread is
    /// inside a BLAS call. Throws when the name is unknown, the CPU cannot run it, it fails the check, or
    /// `OPENBLAS_CORETYPE` selects another set.
    @discardableResult
    public static func useKernels(_ name: String) throws(BLASKernelError) -> BLASKernelStatus {
        try BLASKernelSelection.pin(name)
    }

    /// The self-check of kernel set `name` (nil: the set in use) in a forked child process; this process is untouched
    /// whatever the kernels do. A name the CPU cannot run typically reports `.crashed` (SIGILL). Call it when no other
    /// thread is inside a BLAS call: OpenBLAS stops its thread pool around `fork()`.
    public static func selfCheck(_ name: String?) -> BLASSelfCheckOutcome {
        _ = BLASKernelSelection.isReady
        return BLASKernelControl.probeInChild(name)
    }

    /// Runs `body` with the kernel set `name` (checked as `useKernels` checks), then returns to the set in use; for
    /// measuring another set side by side. Same threading rule as `useKernels`.
    public static func withKernels<Result>(_ name: String, _ body: () throws -> Result) throws -> Result {
        try BLASKernelSelection.temporarily(name, body)
    }

    /// Switches to `start` as if OpenBLAS had chosen it at load, then makes the automatic choice again — the
    /// upgrade path, exercised on any machine (e.g. from "Prescott"). Same threading rule as `useKernels`.
    @discardableResult
    public static func reselectKernels(startingFrom start: String) throws(BLASKernelError) -> BLASKernelStatus {
        try BLASKernelSelection.reselect(startingFrom: start)
    }
}
