/// One of OpenBLAS's kernel sets (the names `OPENBLAS_CORETYPE` takes) and what it needs of the CPU.
///
/// Different kernel sets round differently (other register blocking, FMA or not), so results are bit-identical for
/// a given kernel set only: pin one (`--blas-core`, `FEDHPD_BLAS_CORE`) to reproduce a run bit for bit on another
/// machine that supports it — e.g. Haswell on any AVX2 machine.
public struct BLASKernelSet: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// OpenBLAS's name of the set, e.g. "SkylakeX".
    public let name: String
    /// CPU features the set's kernels execute (as `CPUDescription.features` spells them).
    public let requiredFeatures: [String]
    /// 1 (SSE3) … 5 (AVX-512): sets of the same capability use the same vector width.
    public let capability: Int

    public var description: String { name }

    /// The sets this engine selects or pins, best first. OpenBLAS 0.3.21 cannot force "Cooperlake" (its
    /// `force_coretype` stops one entry short), so AVX-512 machines get SkylakeX.
    public static let ladder: [BLASKernelSet] = [
        BLASKernelSet(
            name: "SkylakeX",
            requiredFeatures: ["avx2", "fma", "avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl"],
            capability: 5),
        BLASKernelSet(name: "Haswell", requiredFeatures: ["avx2", "fma"], capability: 4),
        BLASKernelSet(name: "Zen", requiredFeatures: ["avx2", "fma"], capability: 4),
        BLASKernelSet(name: "Sandybridge", requiredFeatures: ["avx"], capability: 3),
        BLASKernelSet(name: "Nehalem", requiredFeatures: ["sse4.2"], capability: 2),
        BLASKernelSet(name: "Prescott", requiredFeatures: ["sse3"], capability: 1),
    ]

    /// The set called `name` (any case), if it is one of `ladder`.
    public static func named(_ name: String) -> BLASKernelSet? {
        ladder.first { $0.name.lowercased() == name.lowercased() }
    }

    /// The vector capability (as `capability`) of any name OpenBLAS reports, including sets outside `ladder`;
    /// 0 for names it does not know.
    public static func capability(ofOpenBLASCore name: String) -> Int {
        if let known = named(name) { return known.capability }
        switch name.lowercased() {
        case "cooperlake", "sapphirerapids": return 5
        case "excavator": return 4
        case "bulldozer", "piledriver", "steamroller": return 3
        case "core2", "penryn", "dunnington", "atom", "opteron_sse3", "barcelona", "nano", "bobcat", "opteron": return 1
        default: return 0
        }
    }

    /// The best set `cpu` can run; Prescott when nothing better is supported.
    public static func best(for cpu: CPUDescription) -> BLASKernelSet {
        // Zen has Haswell's capability; Haswell is the portable name of the AVX2 class.
        ladder.first { $0.name != "Zen" && cpu.supports($0.requiredFeatures) } ?? ladder[ladder.count - 1]
    }

    /// Sets `cpu` can run, best first, starting at capability `maximum` (the fall-back order).
    static func fallBacks(for cpu: CPUDescription, atMost maximum: Int) -> [BLASKernelSet] {
        ladder.filter { $0.name != "Zen" && $0.capability <= maximum && cpu.supports($0.requiredFeatures) }
    }
}
