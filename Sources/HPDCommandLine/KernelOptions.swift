import ArgumentParser
import HPDTensor

/// `--blas-core`, declared once for every command that computes (`fedhpd train`, `reproduce`, `serve`, `join` and
/// `fedhpd-bench run`): which OpenBLAS kernel set runs.
package struct KernelOptions: ParsableArguments {
    @Option(
        name: .customLong("blas-core"),
        help: ArgumentHelp(
            "Pin OpenBLAS's kernel set (SkylakeX, Haswell, Zen, Sandybridge, Nehalem, Prescott) to reproduce results "
                + "bit for bit across machines (default: the best set this CPU supports, verified at start-up).",
            valueName: "name"))
    package var blasCore: String?

    package init() {}

    /// Pins the kernel set if asked (an unusable one is an `OptionError` naming `--blas-core`), else makes the
    /// automatic choice now; the choice's notes (a set that failed its self-check, a fall-back) are logged once, as
    /// warnings, when it is made.
    package func apply() throws(OptionError) {
        if let blasCore {
            do { try LinearAlgebraLibrary.useKernels(blasCore) } catch {
                throw OptionError(option: "--blas-core", reason: "\(error)")
            }
        }
        _ = LinearAlgebraLibrary.kernelStatus
    }
}
