import ArgumentParser
import CAllocationCounter
import Foundation
import HPDCommandLine
import HPDFederation
import HPDTensor

/// `fedhpd-bench run` (the default): kernel timings, allocation counts and end-to-end FedHPD runs.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Time the kernels and the end-to-end FedHPD loop; print a table, write JSON.")

    @Option(
        help:
            "Run only cases whose set, architecture or mode contains this text (`end-to-end` selects only the end-to-end runs; default: every case)."
    )
    var filter: String?
    @Flag(help: "A short smoke run (batches 1 and 200, 0.02 s per case, CartPole end-to-end over 10 episodes).")
    var quick = false
    @Option(help: "Worker threads of the end-to-end runs, comma-separated.")
    var threads = "1,2"
    @Option(name: .customLong("blas-threads"), help: "OpenBLAS threads for the kernel timings.")
    var blasThreads = 1
    @Option(help: "End-to-end CartPole episodes (LunarLander and InvertedPendulum run --other-episodes).")
    var episodes = 200
    @Option(name: .customLong("other-episodes"), help: "End-to-end episodes of LunarLander and InvertedPendulum.")
    var otherEpisodes = 20
    @Option(
        name: .customLong("end-to-end-sets"),
        help:
            "End-to-end sets to run, comma-separated (default: cartpole, and lunarlander,invertedpendulum unless --quick)."
    )
    var endToEndSets: String?
    @Option(help: "Write the results here as JSON (overwritten; default: no file, the table only).")
    var json: String?
    @Option(
        name: .customLong("public-states"),
        help:
            "CartPole public state CSV (e.g. the authors' 5000-state file); default: a built-in fixed uniform random 5000 × 4 set."
    )
    var publicStates: String?
    @Option(
        name: .customLong("lunarlander-public-states"),
        help: "LunarLander public state CSV (default: built-in random 10000 × 8).")
    var lunarLanderPublicStates: String?
    @Option(
        name: .customLong("invertedpendulum-public-states"),
        help: "InvertedPendulum public state CSV (default: built-in random 5000 × 4).")
    var invertedPendulumPublicStates: String?
    @Option(help: "Kernel batch sizes to run, comma-separated (default: 1, 200, 2500 and the public set size).")
    var batches: String?
    @Option(help: "Seconds of timed calls per kernel case (default 0.5; --quick 0.02).")
    var budget: Double?
    @Option(
        name: .customLong("max-repetitions"),
        help: "Upper bound on timed calls per case (default 200000; raise it for profiling).")
    var maximumRepetitions = 200_000
    @Flag(name: .customLong("no-roofline"), help: "Skip the roofline GEMM timings (for profiling a kernel alone).")
    var skipRoofline = false
    @Flag(
        name: .customLong("flush-denormals"),
        help: "Experiment: set flush-to-zero and denormals-are-zero on the main thread before the kernel timings.")
    var flushDenormals = false
    @Flag(name: .customLong("no-kernels"), help: "Skip the kernel timings.")
    var skipKernels = false
    @Flag(name: .customLong("no-end-to-end"), help: "Skip the end-to-end runs.")
    var skipEndToEnd = false
    @OptionGroup var kernels: KernelOptions
    @OptionGroup var smallKernels: SmallKernelOption

    func validate() throws {
        guard episodes > 0, otherEpisodes > 0 else {
            throw ValidationError("--episodes and --other-episodes must be positive")
        }
        guard blasThreads > 0 else { throw ValidationError("--blas-threads must be positive") }
        guard try !workerThreadCounts().isEmpty else { throw ValidationError("--threads needs at least one count") }
    }

    func run() throws {
        StandardOutput.useLineBuffering()
        MemoryPolicy.retainFreedMemory()
        let hookVerified = AllocationCounting.verifyHook()
        let startLoad = MachineDescription.loadAverage
        let revision = MachineDescription.engineRevision
        if !hookVerified {
            print("warning: the malloc hook does not see Swift allocations; allocation counts are invalid")
        }
        try kernels.apply()
        let smallKernelLabel = try smallKernels.apply()
        let rates = KernelRates.measure(extraThreadCounts: skipEndToEnd ? [] : try workerThreadCounts())
        print("# \(LinearAlgebraLibrary.description); BLAS threads \(blasThreads); \(MachineDescription.processor)")
        print("# \(rates.summary)")
        print("# small-layer kernels: \(smallKernelLabel)")
        print(
            "# engine \(revision ?? "revision unknown"); load average \(formatted(startLoad, decimals: 2)); allocation hook \(hookVerified ? "verified" : "NOT working")"
        )
        if flushDenormals { _ = fedhpd_bench_set_flush_denormals(1) }
        var timingBudget = TimingBudget.standard(quick: quick, budgetSeconds: budget)
        timingBudget.maximumRepetitions = maximumRepetitions
        var records: [KernelRecord] = []
        if !skipKernels && filter != "end-to-end" {
            let suite = KernelSuite(
                batchLimit: quick ? 200 : nil, onlyBatches: try batchSelection(), filter: filter, threads: blasThreads,
                budget: timingBudget, measuresRoofline: !skipRoofline)
            records = suite.run()
        }
        var endToEnd: [EndToEndRecord] = []
        if !skipEndToEnd {
            endToEnd = try runEndToEnd(kernels: rates)
        }
        if let json {
            let meta = ResultsFile.Meta(
                cpu: MachineDescription.processor, blas: LinearAlgebraLibrary.description, threads: blasThreads,
                date: MachineDescription.date, engineRevision: revision, loadAverage: startLoad,
                budgetSecondsPerCase: timingBudget.budgetSeconds, quick: quick, filter: filter,
                allocationHookVerified: hookVerified,
                blasCore: rates.status.core, bestCore: rates.status.bestCore,
                cpuModel: LinearAlgebraLibrary.cpu.model, cpuFeatures: LinearAlgebraLibrary.cpu.features,
                sgemmGflops: rates.rates, bestCoreSgemmGflops: rates.bestRates,
                smallKernels: smallKernelLabel,
                notes:
                    "FLOPs: matmuls only, forward 1x, backward 2x forward. roofline: the same GEMMs alone via Tensor.matmul. "
                    + "allocations: heap allocations per call after warm-up. end_to_end threads: agent worker threads."
                    + (flushDenormals ? " Kernels ran with flush-to-zero/denormals-are-zero (experiment)." : ""))
            try ResultsFile(meta: meta, records: records, endToEnd: endToEnd.isEmpty ? nil : endToEnd).write(to: json)
            print("wrote \(records.count) records and \(endToEnd.count) end-to-end runs to \(json)")
        }
    }

    /// The end-to-end runs: CartPole over `--episodes`; LunarLander and InvertedPendulum over `--other-episodes`
    /// unless `--quick`; each with every worker thread count.
    private func runEndToEnd(kernels: KernelRates) throws -> [EndToEndRecord] {
        let defaultNames = quick ? ["cartpole"] : BenchmarkSet.all.map(\.name)
        let names =
            endToEndSets.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            ?? defaultNames
        let plans = BenchmarkSet.all.filter { set in
            guard names.contains(set.name) else { return false }
            guard let filter, !filter.isEmpty else { return true }
            return filter == "end-to-end" || set.name.contains(filter) || "\(set.name) end-to-end".contains(filter)
        }
        guard !plans.isEmpty else { return [] }
        let threadCounts = try workerThreadCounts()
        let sgemmRates = Dictionary(
            threadCounts.map { ($0, kernels.rate(threads: $0) ?? .nan) }, uniquingKeysWith: { first, _ in first })
        print("")
        print(
            "# sgemm \(SgemmRate.size)³ GFLOP/s by threads (the event limit's rate): "
                + sgemmRates.keys.sorted().map { "\($0): \(formatted(sgemmRates[$0], decimals: 1))" }.joined(
                    separator: ", "))
        print("# end-to-end FedHPD (d = 5, 5 loops, parts of 2500, seed 20); rollout/update summed over agents")
        print(EndToEndRun.table.header)
        var records: [EndToEndRecord] = []
        for set in plans {
            let states = try loadPublicStates(statesFile(for: set), set: set)
            let episodeCount = set.name == "cartpole" ? (quick ? 10 : episodes) : otherEpisodes
            print("# \(set.name) public states: \(states.source)")
            for threadCount in threadCounts {
                let record = try EndToEndRun(
                    set: set, episodes: episodeCount, threads: threadCount, publicStates: states,
                    sgemmGigaflops: sgemmRates[threadCount]
                ).run()
                print(EndToEndRun.row(record))
                records.append(record)
            }
        }
        return records
    }

    private func statesFile(for set: BenchmarkSet) -> String? {
        switch set.name {
        case "cartpole": return publicStates
        case "lunarlander": return lunarLanderPublicStates
        default: return invertedPendulumPublicStates
        }
    }

    private func loadPublicStates(_ path: String?, set: BenchmarkSet) throws -> PublicStateSet {
        guard let path else { return set.builtInPublicStates(seed: 20) }
        return try PublicStateSet.load(
            from: URL(fileURLWithPath: path), observationSize: set.environment.observationSize)
    }

    private func batchSelection() throws -> Set<Int>? {
        guard let batches else { return nil }
        return Set(
            try batches.split(separator: ",").map { text in
                guard let batch = Int(text.trimmingCharacters(in: .whitespaces)), batch > 0 else {
                    throw ValidationError("--batches: '\(text)' is not a positive integer")
                }
                return batch
            })
    }

    private func workerThreadCounts() throws -> [Int] {
        try threads.split(separator: ",").map { text in
            guard let count = Int(text.trimmingCharacters(in: .whitespaces)), count > 0 else {
                throw ValidationError("--threads: '\(text)' is not a positive integer")
            }
            return count
        }
    }
}
