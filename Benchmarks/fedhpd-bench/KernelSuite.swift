import HPDFederation
import HPDNN
import HPDTensor

/// Times every (set, architecture, batch, mode) case that passes the filter, prints one table row per case and
/// returns the records.
struct KernelSuite {
    /// The sets to run (all three by default).
    var sets: [BenchmarkSet] = BenchmarkSet.all
    /// Batch sizes to keep (nil: every batch of each set).
    var batchLimit: Int?
    /// Only these batch sizes (nil: all).
    var onlyBatches: Set<Int>?
    /// A substring matched against the set, the architecture, the mode and `"set architecture mode"`.
    var filter: String?
    /// BLAS threads for the timings (recorded as `threads`).
    var threads: Int
    var budget: TimingBudget
    /// Whether to time the GEMMs alone for the roofline fraction.
    var measuresRoofline = true

    /// The table the rows are printed in.
    static let table = TextTable(columns: [
        .init("set", width: 17, rightAligned: false), .init("architecture", width: 22, rightAligned: false),
        .init("batch", width: 6), .init("mode", width: 10, rightAligned: false), .init("median_us", width: 12),
        .init("min_us", width: 12), .init("GFLOP/s", width: 8), .init("roofline", width: 8),
        .init("allocs", width: 8),
    ])

    /// Whether `filter` selects this case (the rule of `torch_kernels.py`).
    static func matches(filter: String?, set: String, architecture: String, mode: String) -> Bool {
        guard let filter, !filter.isEmpty else { return true }
        return [set, architecture, mode, "\(set) \(architecture) \(mode)"].contains { $0.contains(filter) }
    }

    /// Runs the cases in the reference's order: set → architecture → batch → mode.
    func run() -> [KernelRecord] {
        LinearAlgebraLibrary.threadCount = threads
        var records: [KernelRecord] = []
        var rooflineCache: [String: Double] = [:]
        print(Self.table.header)
        for set in sets {
            for (agentIndex, agent) in set.agents.enumerated() {
                let architecture = set.architecture(of: agent)
                for batch in set.batches where batch <= (batchLimit ?? Int.max) && onlyBatches?.contains(batch) != false
                {
                    for mode in KernelMode.allCases {
                        guard
                            Self.matches(
                                filter: filter, set: set.name, architecture: architecture.summary, mode: mode.rawValue)
                        else { continue }
                        let seed = UInt64(1234 + 100 * agentIndex + batch)
                        let rooflineKey = "\(set.name)|\(architecture.summary)|\(batch)|\(mode.hasBackward)"
                        if rooflineCache[rooflineKey] == nil && measuresRoofline {
                            let products = RooflineProducts(
                                architecture: architecture, batch: batch, includesBackward: mode.hasBackward, seed: seed
                            )
                            rooflineCache[rooflineKey] =
                                TimingSample.measure(products.run, budget: budget).medianMicroseconds
                        }
                        let record = measure(
                            set: set, agent: agent, architecture: architecture, batch: batch, mode: mode, seed: seed,
                            rooflineMicroseconds: rooflineCache[rooflineKey])
                        print(Self.row(record))
                        records.append(record)
                    }
                }
            }
        }
        return records
    }

    /// Times one case and counts its allocations per call (after the timing, so the workspaces exist).
    private func measure(
        set: BenchmarkSet, agent: AgentSpecification, architecture: PolicyArchitecture, batch: Int, mode: KernelMode,
        seed: UInt64, rooflineMicroseconds: Double?
    ) -> KernelRecord {
        let call =
            architecture.family == .categorical
            ? CategoricalKernels.makeCall(
                agent: agent, environment: set.environment, architecture: architecture, batch: batch, mode: mode,
                seed: seed)
            : GaussianKernels.makeCall(
                agent: agent, environment: set.environment, architecture: architecture, batch: batch, mode: mode,
                seed: seed)
        let sample = TimingSample.measure(call, budget: budget)
        let allocations = AllocationCounting.perCall(call, calls: batch >= 2500 ? 3 : 10)
        let operations = mode.floatingPointOperations(architecture: architecture, batch: batch)
        return KernelRecord(
            set: set.name, architecture: architecture.summary, batch: batch, mode: mode.rawValue, threads: threads,
            medianMicroseconds: rounded(sample.medianMicroseconds, decimals: 3),
            minimumMicroseconds: rounded(sample.minimumMicroseconds, decimals: 3),
            gigaflops: rounded(operations / (sample.medianMicroseconds * 1e3), decimals: 4),
            rooflineFraction: rooflineMicroseconds.map { rounded($0 / sample.medianMicroseconds, decimals: 4) },
            allocations: rounded(allocations, decimals: 2), multiplyAddsPerState: architecture.multiplyAddsPerState)
    }

    /// One aligned table row.
    static func row(_ record: KernelRecord) -> String {
        table.line([
            record.set, record.architecture, String(record.batch), record.mode,
            formatted(record.medianMicroseconds, decimals: 2), formatted(record.minimumMicroseconds, decimals: 2),
            formatted(record.gigaflops, decimals: 2), formatted(record.rooflineFraction, decimals: 3),
            formatted(record.allocations, decimals: 1),
        ])
    }
}
