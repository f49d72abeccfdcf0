import ArgumentParser
import Foundation
import HPDTensor

/// `--blas-core`, shared by every command that computes: which OpenBLAS kernel set runs.
struct KernelOptions: ParsableArguments {
    @Option(
        name: .customLong("blas-core"),
        help: ArgumentHelp(
            "Pin OpenBLAS's kernel set (SkylakeX, Haswell, Zen, Sandybridge, Nehalem, Prescott) to reproduce results "
                + "bit for bit across machines (default: the best set this CPU supports, verified at start-up).",
            valueName: "name"))
    var blasCore: String?

    /// Pins the kernel set if asked (an unusable one is an error), else makes the automatic choice now; the choice's
    /// notes (a set that failed its self-check, a fall-back) are logged once, as warnings, when it is made.
    func apply() throws {
        if let blasCore {
            do { try LinearAlgebraLibrary.useKernels(blasCore) } catch { throw CommandError("--blas-core: \(error)") }
        }
        _ = LinearAlgebraLibrary.kernelStatus
    }
}
