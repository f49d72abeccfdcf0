/// The outcome of the BLAS self-check of one kernel set: sgemm in every transpose pair and sgemv both ways, on odd
/// and edge shapes (1×1×1 up to k = 520), against plain loops in Double, within 4·(k+2)·ε_float of the magnitudes
/// summed — run in a forked child so that kernels which crash or hang are reported instead of taking the process
/// down.
public enum BLASSelfCheckOutcome: Sendable, Equatable {
    case passed
    /// A result outside the tolerance (the first one, with its shape and values).
    case wrongResults(String)
    /// The child died on a signal (e.g. SIGILL: instructions this CPU does not have).
    case crashed(String)
    case timedOut(String)
    /// OpenBLAS did not accept the kernel set's name.
    case refused(String)
    /// No child process could be started (fork or pipe failed).
    case notRun(String)

    public var passed: Bool { self == .passed }

    /// "passed", or why the kernel set was not usable, in words.
    public var explanation: String {
        switch self {
        case .passed: return "passed"
        case .wrongResults(let detail): return "wrong results (\(detail))"
        case .crashed(let detail), .timedOut(let detail), .refused(let detail), .notRun(let detail):
            return detail
        }
    }
}
