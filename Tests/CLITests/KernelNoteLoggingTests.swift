import Foundation
import TestSupport
import Testing

/// The BLAS kernel choice's notes reach stderr through the library's `Logger` and the executable's log backend,
/// once, worded as before (`warning: BLAS kernels: <note>`).
@Suite struct KernelNoteLoggingTests {
    let cli = CommandLineTests()

    /// `FEDHPD_BLAS_CORE` naming no kernel set is not fatal: the engine chooses automatically and notes why once.
    /// (Skipped where `OPENBLAS_CORETYPE` is set: it takes precedence and the pin is never read.)
    @Test(.enabled(if: ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil))
    func anUnusablePinnedKernelSetIsNotedOnceOnStandardError() throws {
        let outcome = try cli.run(["--version"], environment: ["FEDHPD_BLAS_CORE": "NoSuchCore"])
        #expect(outcome.status == 0, "\(outcome.error)")
        let notes = outcome.error.split(separator: "\n").filter { $0.contains("NoSuchCore") }
        #expect(notes.count == 1, "\(outcome.error)")
        #expect(
            notes.first?.hasPrefix("warning: BLAS kernels: FEDHPD_BLAS_CORE=NoSuchCore not used: ") == true,
            "\(outcome.error)")
        #expect(!outcome.output.contains("NoSuchCore"), "notes go to stderr, not stdout: \(outcome.output)")
    }
}
