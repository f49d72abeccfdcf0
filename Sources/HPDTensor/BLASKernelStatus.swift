/// Which OpenBLAS kernel set the engine runs, why, and whether it passed the self-check.
///
/// Library users read it from `LinearAlgebraLibrary.kernelStatus`; each note is logged once, as a warning, through
/// `LinearAlgebraLibrary.logger` when the choice is made (the executables print it on stderr); the executables
/// record `core` in every run's `timings.json` and the benchmark's JSON.
public struct BLASKernelStatus: Sendable, Equatable, Codable {
    /// Why `core` is the set in use.
    public enum Origin: String, Sendable, Codable {
        /// OpenBLAS's own choice, verified and already the best this CPU supports.
        case openBLAS = "openblas"
        /// The engine switched up from OpenBLAS's choice to the best set this CPU supports.
        case upgraded
        /// A better set failed its self-check and the engine fell back to this one (see `notes`).
        case fellBack = "fell-back"
        /// `OPENBLAS_CORETYPE` is set in the environment and is respected as it is.
        case environment
        /// Pinned by `--blas-core`, `FEDHPD_BLAS_CORE` or `LinearAlgebraLibrary.useKernels(_:)`.
        case pinned
    }

    /// The kernel set in use (OpenBLAS's name, e.g. "Haswell").
    public var core: String
    /// The set OpenBLAS chose by itself when the library loaded.
    public var openBLASCore: String
    /// The best set this CPU supports.
    public var bestCore: String
    /// Why `core` is in use.
    public var origin: Origin
    /// Whether `core` passed the self-check (sgemm in every transpose pair and sgemv on odd and edge shapes against
    /// double-precision loops).
    public var verified: Bool
    /// Fall-backs and failures, one sentence each; empty when nothing went wrong.
    public var notes: [String]
    /// Wall milliseconds the choice took (self-checks in child processes included).
    public var selectionMilliseconds: Double = 0

    public init(
        core: String, openBLASCore: String, bestCore: String, origin: Origin, verified: Bool, notes: [String]
    ) {
        self.core = core
        self.openBLASCore = openBLASCore
        self.bestCore = bestCore
        self.origin = origin
        self.verified = verified
        self.notes = notes
    }

    /// Whether the set in use has a narrower vector unit than the best this CPU supports.
    public var isBelowCapability: Bool {
        BLASKernelSet.capability(ofOpenBLASCore: core) < BLASKernelSet.capability(ofOpenBLASCore: bestCore)
    }

    /// One line, e.g. "Haswell (upgraded from Prescott, self-check passed; best for this CPU: Haswell)".
    public var summary: String {
        let how: String
        switch origin {
        case .openBLAS: how = "OpenBLAS's choice"
        case .upgraded: how = "upgraded from OpenBLAS's \(openBLASCore)"
        case .fellBack: how = "fell back; OpenBLAS chose \(openBLASCore)"
        case .environment: how = "OPENBLAS_CORETYPE"
        case .pinned: how = "pinned; OpenBLAS chose \(openBLASCore)"
        }
        return "\(core) (\(how), self-check \(verified ? "passed" : "FAILED"); best for this CPU: \(bestCore); "
            + "chosen in \((selectionMilliseconds * 10).rounded() / 10) ms)"
    }
}
