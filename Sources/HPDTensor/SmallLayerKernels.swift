internal import CSmallKernels
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The fused kernels for narrow fully connected layers (C target `CSmallKernels`) and the rule that decides, per
/// layer shape, whether a pass runs through them or through BLAS.
///
/// OpenBLAS packs both operands on every call and reaches only 4–36 GFLOP/s on the 2–64-wide products of small
/// policies; the kernels keep a 4-row × 16-column tile in registers, read the (packed, zero-padded) weights once per
/// call and fuse the bias and activation into the forward store and the activation derivative into the input
/// gradient. Three passes of a layer y = act(x·Wᵀ + b) over a chunk of states:
///
///     forward:              y = act(x·Wᵀ + b)
///     input gradient:       x̄ = (accumulate ? x̄ : 0) + ȳ·W, then x̄ ⊙ act′_prev(x)   (z̄ of the layer below)
///     parameter gradients:  W̄ = ȳᵀ·x,  b̄ = Σ_rows ȳ
///
/// **Which variant.** `.avx2` (256-bit AVX2 with fused multiply-adds) when the CPU and the OS support AVX2 and FMA
/// (`CPUDescription.current`, cpuid + xgetbv), `.portable` otherwise. **Which pass uses it** is a fixed table
/// (`usesKernel`), measured with `fedhpd-bench layers` on an AMD Zen 3 (docs/PERFORMANCE.md): it depends only on the
/// pass, the layer's widths, the row count and the variant — never on timing at run time — so a given CPU always
/// makes the same choice and runs are reproducible.
///
/// **Results.** Every output element is summed over its inner index in increasing order (rows in row order for the
/// parameter gradients), within one chunk; chunks are reduced in chunk order as before. So results are identical for
/// any thread count, and identical on every machine that runs the same variant (and the same BLAS kernel set for the
/// shapes left to BLAS). They differ from the BLAS path in the last bits (another summation order, and fused
/// multiply-adds in `.avx2`). The activations match the Swift ones bit for bit (`Tensor.fastTanh`, `max(v, 0)`).
public enum SmallLayerKernels {
    /// An implementation of the passes.
    public enum Variant: String, Sendable, CaseIterable, Codable {
        /// Plain C loops at the compiler's baseline vector width.
        case portable
        /// AVX2 + FMA (x86-64 CPUs from Haswell / Zen on).
        case avx2
    }

    /// What decides the variant: the table (`.automatic`), BLAS for every pass, or one variant for every pass of
    /// every shape (for measurements and tests).
    public enum Choice: String, Sendable, CaseIterable, Codable {
        /// The measured table (`usesKernel`) with this CPU's best variant.
        case automatic
        /// Every pass through OpenBLAS (the engine before the kernels, bit for bit).
        case blas
        /// The portable kernels for every pass.
        case portable
        /// The AVX2 + FMA kernels for every pass (only on CPUs that have them).
        case avx2
    }

    /// One of a layer's three passes.
    public enum Pass: Sendable, CaseIterable {
        /// y = act(x·Wᵀ + b).
        case forward
        /// x̄ = ȳ·W (then ⊙ the layer below's act′).
        case inputGradient
        /// W̄ = ȳᵀ·x and b̄ = Σ_rows ȳ.
        case parameterGradients
    }

    /// The environment variable read at first use: `automatic` (default), `blas`, `portable` or `avx2`. An unknown
    /// value, or `avx2` on a CPU without AVX2 + FMA, leaves `automatic` and is reported in `notes`.
    public static let environmentVariable = "FEDHPD_SMALL_KERNELS"

    /// Chunks of fewer states stay on BLAS (batch-1 inference keeps its allocation-free matrix-vector path).
    public static let minimumRows = 8

    /// The best variant this CPU supports.
    public static let bestVariant: Variant =
        CPUDescription.current.supports(["avx2", "fma"])
            && fedhpd_small_has_avx2_variant() == 1 ? .avx2 : .portable

    /// A choice for the current task only, ahead of `choice` (tests compare variants side by side without touching
    /// the process-wide setting; threads outside the task, e.g. `ParallelExecutor`'s, do not see it).
    @TaskLocal public static var override: Choice?

    private static let storedChoice = Atomic<Int>(-1)
    private static let environmentNotes = Mutex<[String]>([])

    /// The process-wide choice. Set it before training starts (it is read by every pass on every thread); setting
    /// `.avx2` on a CPU without AVX2 + FMA is a precondition failure — use `choose(_:)` for a checked change.
    public static var choice: Choice {
        get {
            let raw = storedChoice.load(ordering: .relaxed)
            if raw >= 0 { return Choice.allCases[raw] }
            let initial = choiceFromEnvironment()
            storedChoice.store(Choice.allCases.firstIndex(of: initial)!, ordering: .relaxed)
            return initial
        }
        set {
            Precondition.check(
                newValue != .avx2 || bestVariant == .avx2,
                "SmallLayerKernels.choice = .avx2 on a CPU without AVX2 + FMA (\(CPUDescription.current.summary))")
            storedChoice.store(Choice.allCases.firstIndex(of: newValue)!, ordering: .relaxed)
        }
    }

    /// Sets `choice` after checking the CPU can run it.
    public static func choose(_ newChoice: Choice) throws(SmallLayerKernelError) {
        if newChoice == .avx2 && bestVariant != .avx2 { throw .unsupported(cpu: CPUDescription.current.summary) }
        choice = newChoice
    }

    /// The choice and, for `.automatic`, the variant the table uses where it picks a kernel, e.g. "automatic (avx2)"
    /// or "blas": what `fedhpd info` prints and every run's `timings.json` records.
    public static var summary: String {
        choice == .automatic ? "automatic (\(bestVariant.rawValue))" : choice.rawValue
    }

    /// What went wrong reading `FEDHPD_SMALL_KERNELS`, one sentence each (empty when nothing did).
    public static var notes: [String] {
        _ = choice
        return environmentNotes.withLock { $0 }
    }

    /// The variant that runs `pass` for `rows` states of a layer with `inputCount` inputs and `outputCount` outputs,
    /// or nil for BLAS: under `.automatic` the table's answer for `bestVariant`, otherwise the forced choice.
    public static func variant(for pass: Pass, rows: Int, inputCount: Int, outputCount: Int) -> Variant? {
        switch override ?? choice {
        case .blas: return nil
        case .portable: return .portable
        case .avx2:
            Precondition.check(bestVariant == .avx2, "SmallLayerKernels.override = .avx2 on a CPU without AVX2 + FMA")
            return .avx2
        case .automatic:
            return usesKernel(bestVariant, pass: pass, rows: rows, inputCount: inputCount, outputCount: outputCount)
                ? bestVariant : nil
        }
    }

    /// The measured table: whether `variant` beats BLAS for this pass and shape (AMD Zen 3, 256 and 2500 states,
    /// kernel time ÷ BLAS time per shape; docs/PERFORMANCE.md "Small-layer kernels"). `inputCount` and
    /// `outputCount` are the layer's widths (the input gradient runs for every layer but the first).
    ///
    /// - forward: wins where BLAS is shape-bound — every layer up to 64 wide, and any layer fed by ≤ 8 inputs
    ///   (1.1–3.4×); a one-wide output stays on BLAS's matrix-vector product (the kernel fills 1 of 8 lanes).
    /// - input gradient: BLAS's product with a short inner dimension (the layer's output count) runs at 0.3–50
    ///   GFLOP/s; the kernel wins 1.2–27× for layers of ≥ 8 inputs up to 32,768 multiply-adds per state, and for
    ///   any layer of ≤ 16 outputs (heads). (The first layer, fed by the observation, needs no input gradient.)
    /// - weight and bias gradients: win 1.3–2.2× for layers fed by ≤ 8 inputs into ≥ 32 outputs (the first layer);
    ///   par or slower elsewhere, so BLAS keeps those.
    /// - portable (CPUs without AVX2 + FMA): plain loops reach only 0.1–0.5× BLAS, except the input gradient of a
    ///   head of ≤ 4 outputs into ≥ 32 inputs (1.3–10×); everything else stays on BLAS.
    public static func usesKernel(
        _ variant: Variant, pass: Pass, rows: Int, inputCount: Int, outputCount: Int
    )
        -> Bool
    {
        guard rows >= minimumRows, inputCount > 0, outputCount > 0 else { return false }
        let wider = max(inputCount, outputCount)
        switch (variant, pass) {
        case (.avx2, .forward): return outputCount >= 2 && (wider <= 64 || inputCount <= 8)
        case (.avx2, .inputGradient):
            return inputCount >= 8 && (inputCount * outputCount <= 32_768 || outputCount <= 16)
        case (.avx2, .parameterGradients): return inputCount <= 8 && outputCount >= 32
        case (.portable, .forward), (.portable, .parameterGradients): return false
        case (.portable, .inputGradient): return outputCount <= 4 && inputCount >= 32
        }
    }

    private static func choiceFromEnvironment() -> Choice {
        guard let raw = getenv(environmentVariable) else { return .automatic }
        let text = String(cString: raw)
        guard !text.isEmpty else { return .automatic }
        guard let parsed = Choice(rawValue: text.lowercased()) else {
            environmentNotes.withLock {
                $0.append(
                    "\(environmentVariable)=\(text) is not one of \(Choice.allCases.map(\.rawValue).joined(separator: ", ")); using automatic"
                )
            }
            return .automatic
        }
        if parsed == .avx2 && bestVariant != .avx2 {
            environmentNotes.withLock {
                $0.append("\(environmentVariable)=avx2 but this CPU lacks AVX2 + FMA; using automatic")
            }
            return .automatic
        }
        return parsed
    }

    // MARK: The C calls (the only unsafe code of this feature)

    private static func code(_ variant: Variant) -> Int32 {
        variant == .avx2 ? Int32(FEDHPD_SMALL_AVX2) : Int32(FEDHPD_SMALL_PORTABLE)
    }

    private static func code(_ activation: LayerActivation) -> Int32 {
        switch activation {
        case .identity: return Int32(FEDHPD_ACTIVATION_IDENTITY)
        case .relu: return Int32(FEDHPD_ACTIVATION_RELU)
        case .tanh: return Int32(FEDHPD_ACTIVATION_TANH)
        }
    }

    /// Grows `scratch` (once) to what a layer of these widths needs.
    private static func reserve(_ scratch: inout [Float], inputCount: Int, outputCount: Int) {
        let needed = fedhpd_small_scratch_count(Int32(inputCount), Int32(outputCount))
        if scratch.count < needed { scratch = [Float](repeating: 0, count: needed) }
    }

    static func forward(
        _ variant: Variant, rows: Int, inputCount: Int, outputCount: Int, input: [Float], weight: [Float],
        bias: [Float], activation: LayerActivation, output: inout [Float], scratch: inout [Float]
    ) {
        reserve(&scratch, inputCount: inputCount, outputCount: outputCount)
        fedhpd_small_forward(
            code(variant), Int32(rows), Int32(inputCount), Int32(outputCount), input, weight, bias, code(activation),
            &output, &scratch)
    }

    static func inputGradient(
        _ variant: Variant, rows: Int, inputCount: Int, outputCount: Int, outputGradient: [Float], weight: [Float],
        accumulating: Bool, derivative: LayerActivation, belowOutput: [Float], inputGradient: inout [Float],
        scratch: inout [Float]
    ) {
        reserve(&scratch, inputCount: inputCount, outputCount: outputCount)
        fedhpd_small_input_gradient(
            code(variant), Int32(rows), Int32(inputCount), Int32(outputCount), outputGradient, weight,
            accumulating ? 1 : 0, code(derivative), belowOutput, &inputGradient, &scratch)
    }

    static func parameterGradients(
        _ variant: Variant, rows: Int, inputCount: Int, outputCount: Int, outputGradient: [Float], input: [Float],
        weightGradient: inout [Float], biasGradient: inout [Float], scratch: inout [Float]
    ) {
        reserve(&scratch, inputCount: inputCount, outputCount: outputCount)
        fedhpd_small_parameter_gradients(
            code(variant), Int32(rows), Int32(inputCount), Int32(outputCount), outputGradient, input, &weightGradient,
            &biasGradient, &scratch)
    }

    /// The C kernels' tanh on one value (tests check it equals `Tensor.fastTanh` bit for bit).
    public static func kernelTanh(_ value: Float) -> Float { fedhpd_small_tanh(value) }
}

/// A checked change of `SmallLayerKernels.choice` that the CPU cannot run.
public enum SmallLayerKernelError: Error, Equatable, CustomStringConvertible {
    /// `.avx2` asked for on a CPU without AVX2 + FMA.
    case unsupported(cpu: String)

    public var description: String {
        switch self {
        case .unsupported(let cpu): return "small-layer kernels: avx2 needs AVX2 and FMA, which \(cpu) lacks"
        }
    }
}
