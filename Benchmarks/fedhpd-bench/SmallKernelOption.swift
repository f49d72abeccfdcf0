import ArgumentParser
import HPDTensor

/// `--small-kernels automatic|blas|portable|avx2` of `run` and `balance`: which implementation runs the narrow
/// layers' passes (`SmallLayerKernels`); `blas` reproduces the engine before the fused kernels, so two runs give a
/// before/after comparison on the same binary.
struct SmallKernelOption: ParsableArguments {
    @Option(
        name: .customLong("small-kernels"),
        help:
            "Narrow-layer passes: automatic (the measured per-shape table), blas (every pass through OpenBLAS), portable or avx2 (that kernel for every pass). Default: FEDHPD_SMALL_KERNELS, else automatic."
    )
    var choice: String?

    /// Sets the process-wide choice (without the option: `FEDHPD_SMALL_KERNELS`, else automatic; problems with that
    /// variable are printed as warnings); returns the label recorded in `meta.small_kernels`, e.g. "automatic (avx2)".
    func apply() throws -> String {
        guard let choice else {
            for note in SmallLayerKernels.notes { print("warning: \(note)") }
            return
                "\(SmallLayerKernels.choice.rawValue) (best variant on this CPU: \(SmallLayerKernels.bestVariant.rawValue))"
        }
        guard let parsed = SmallLayerKernels.Choice(rawValue: choice) else {
            throw ValidationError(
                "--small-kernels: '\(choice)' is not one of "
                    + SmallLayerKernels.Choice.allCases.map(\.rawValue).joined(separator: ", "))
        }
        do { try SmallLayerKernels.choose(parsed) } catch { throw ValidationError("--small-kernels: \(error)") }
        return "\(parsed.rawValue) (best variant on this CPU: \(SmallLayerKernels.bestVariant.rawValue))"
    }
}
