import ArgumentParser
import HPDFederation
import HPDTensor

/// `fedhpd-bench balance`: how evenly one distillation step (extraction + digestion of every agent on one part of
/// 2500 public states) spreads over N worker threads, from each job's **CPU time** measured on one thread — immune
/// to other processes taking the cores, unlike wall-clock 2-thread runs on a shared machine.
///
/// For each phase it replays the executor's dispatch (each job to the first free worker) with the measured times:
/// the chunked job list (largest estimated cost first, as `ParallelExecutor.runChunks`) against one job per agent in
/// agent order (the engine before chunking). Speedup bound = total CPU time ÷ the busiest worker's time.
struct BalanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "balance", abstract: "Measure per-job CPU times of a distillation step and the N-thread balance.")

    @Option(help: "Sets to measure, comma-separated.")
    var sets = "lunarlander,invertedpendulum,cartpole"
    @Option(help: "Worker threads to replay the schedule on.")
    var threads = 2
    @Option(help: "Measured repetitions of the step (each job's fastest is kept).")
    var repetitions = 3
    @OptionGroup var smallKernels: SmallKernelOption

    func run() throws {
        LinearAlgebraLibrary.threadCount = 1
        MemoryPolicy.retainFreedMemory()
        let smallKernelLabel = try smallKernels.apply()
        let sgemm = SgemmRate.bestCPURate(repetitions: 4)
        print("# small-layer kernels: \(smallKernelLabel)")
        print(
            "# per-job CPU times (CLOCK_THREAD_CPUTIME_ID, fastest of \(repetitions)); schedule replayed on \(threads) workers"
        )
        print(
            "# sgemm \(SgemmRate.size)³ on one thread by CPU time: \(formatted(sgemm, decimals: 1)) GFLOP/s; "
                + "limit_frac = step GFLOP ÷ (\(threads) × that rate) ÷ busiest worker's time, summed over the phases")
        print("set               phase       jobs  total_ms  per-agent: busiest_ms bound  chunked: busiest_ms bound")
        for name in sets.split(separator: ",").map(String.init) {
            guard let set = BenchmarkSet.named(name) else { throw ValidationError("unknown set \(name)") }
            try measure(set, sgemmGigaflops: sgemm)
        }
    }

    private func measure(_ set: BenchmarkSet, sgemmGigaflops: Double) throws {
        let part = set.builtInPublicStates(seed: 20).parts(partSize: 2500)[0]
        let agents = try set.agents.enumerated().map { index, specification in
            try FederatedTraining.makeAgent(
                index: index, specification: specification, environment: set.environment, runSeed: 20)
        }
        var extraction: [[Double]] = agents.map { _ in [] }
        var digestion: [[Double]] = agents.map { _ in [] }
        var finishingExtraction: [[Double]] = agents.map { _ in [] }
        var finishingDigestion: [[Double]] = agents.map { _ in [] }
        var costs: [AgentWork] = []
        for repetition in 0...repetitions {  // repetition 0 warms the buffers up
            var work: [AgentWork] = []
            var reports: [ActionDistribution] = []
            for (index, agent) in agents.enumerated() {
                let plan = agent.beginExtraction(on: part)
                work.append(plan)
                let times = (0..<plan.chunkCount).map { chunk in cpuSeconds { agent.extract(chunk: chunk) } }
                if repetition > 0 { extraction[index] = keepFastest(extraction[index], times) }
                var report: ActionDistribution?
                let finish = cpuSeconds { report = agent.finishExtraction() }
                reports.append(report!)
                if repetition > 0 { finishingExtraction[index] = keepFastest(finishingExtraction[index], [finish]) }
            }
            costs = work
            let consensus = ArithmeticMean().aggregate(reports)
            for (index, agent) in agents.enumerated() {
                let plan = agent.beginDigestion(consensus: consensus, on: part, loss: .klDivergence)
                let times = (0..<plan.chunkCount).map { chunk in cpuSeconds { agent.digest(chunk: chunk) } }
                if repetition > 0 { digestion[index] = keepFastest(digestion[index], times) }
                let finish = cpuSeconds { _ = agent.finishDigestion() }
                if repetition > 0 { finishingDigestion[index] = keepFastest(finishingDigestion[index], [finish]) }
            }
        }
        let finishing = zip(finishingExtraction, finishingDigestion).map { [$0[0] + $1[0]] }
        var busiest = (perAgent: 0.0, chunked: 0.0)
        for (phase, times) in [("extraction", extraction), ("digestion", digestion), ("finish", finishing)] {
            let total = times.joined().reduce(0, +)
            let perAgent = Self.makespan(times.map { $0.reduce(0, +) }, workers: threads)
            var jobs: [(time: Double, cost: Double, order: Int)] = []
            for (agent, agentTimes) in times.enumerated() {
                for time in agentTimes {
                    jobs.append((time, phase == "finish" ? 0 : costs[agent].costPerChunk, jobs.count))
                }
            }
            jobs.sort { $0.cost != $1.cost ? $0.cost > $1.cost : $0.order < $1.order }
            let chunked = Self.makespan(jobs.map(\.time), workers: threads)
            busiest = (busiest.perAgent + perAgent, busiest.chunked + chunked)
            print(
                set.name.padding(toLength: 18, withPad: " ", startingAt: 0)
                    + phase.padding(toLength: 11, withPad: " ", startingAt: 0)
                    + "\(jobs.count)".leftPadded(5) + formatted(1e3 * total, decimals: 1).leftPadded(10)
                    + formatted(1e3 * perAgent, decimals: 1).leftPadded(22)
                    + formatted(total / perAgent, decimals: 2).leftPadded(6)
                    + formatted(1e3 * chunked, decimals: 1).leftPadded(20)
                    + formatted(total / chunked, decimals: 2).leftPadded(6))
        }
        let multiplyAdds = set.agents.map { set.architecture(of: $0).multiplyAddsPerState }.reduce(0, +)
        let stepGigaflop = 3 * 2 * Double(multiplyAdds) * Double(part.rows) / 1e9
        let serialTime = [extraction, digestion, finishing].map { $0.joined().reduce(0, +) }.reduce(0, +)
        func fraction(_ time: Double, _ workers: Int) -> String {
            formatted(stepGigaflop / (Double(workers) * sgemmGigaflops) / time, decimals: 3)
        }
        print(
            "\(set.name): step \(formatted(stepGigaflop, decimals: 3)) GFLOP; limit_frac 1 thread \(fraction(serialTime, 1)); "
                + "\(threads) threads per-agent \(fraction(busiest.perAgent, threads)), chunked \(fraction(busiest.chunked, threads))"
        )
    }

    /// The finish time of the busiest worker when `jobs` are handed out in order, each to the first free worker.
    static func makespan(_ jobs: [Double], workers: Int) -> Double {
        var finish = [Double](repeating: 0, count: max(1, workers))
        for job in jobs {
            let worker = finish.indices.min { finish[$0] < finish[$1] }!
            finish[worker] += job
        }
        return finish.max()!
    }

    private func keepFastest(_ kept: [Double], _ new: [Double]) -> [Double] {
        kept.isEmpty ? new : zip(kept, new).map { min($0, $1) }
    }

    /// CPU seconds the calling thread spends in `body`.
    private func cpuSeconds(_ body: () -> Void) -> Double {
        let start = threadCPUSeconds()
        body()
        return threadCPUSeconds() - start
    }
}
