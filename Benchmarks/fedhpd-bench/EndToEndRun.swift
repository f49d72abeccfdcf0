import HPDFederation
import HPDTensor

/// One end-to-end FedHPD training run with the set's ten reference agents: every episode each agent plays and
/// takes one REINFORCE step; every 5th episode a distillation event (5 loops over the public set in parts of
/// 2500 states). The setting of `torch_fedhpd_loop.py` (seed 20, d = 5).
struct EndToEndRun {
    let set: BenchmarkSet
    let episodes: Int
    /// Worker threads running the agents (BLAS single-threaded inside each).
    let threads: Int
    let publicStates: PublicStateSet
    var seed: UInt64 = 20
    var interval = 5
    /// sgemm 1024³ GFLOP/s at `threads` (see `SgemmRate`), for `event_limit_fraction`; nil leaves it out.
    var sgemmGigaflops: Double?

    /// The table the runs are printed in.
    static let table = TextTable(columns: [
        .init("set", width: 17, rightAligned: false), .init("threads", width: 7), .init("episodes", width: 8),
        .init("env steps", width: 9), .init("total_s", width: 8), .init("episodes/s", width: 10),
        .init("steps/s", width: 10), .init("rollout_s", width: 9), .init("update_s", width: 9),
        .init("distill_s", width: 9), .init("event_ms", width: 9), .init("allocs/step", width: 11),
        .init("event_GFLOP", width: 11), .init("limit_frac", width: 10),
    ])

    /// Trains and measures. Allocations are counted over the whole run (all threads).
    func run() throws -> EndToEndRecord {
        let configuration = FederationConfiguration(
            environment: set.environment.id, method: .fedhpd, interval: interval, episodes: episodes, seed: seed,
            agents: set.agents, publicStates: PublicStatesRecord(publicStates))
        let training = try FederatedTraining(
            configuration: configuration, environment: set.environment, publicStates: publicStates, threads: threads)
        var wallSeconds = 0.0
        var eventSeconds: [Double] = []
        var distillationSecondsSoFar = 0.0
        let allocations = AllocationCounting.count {
            let start = monotonicSeconds()
            training.run(progress: { _ in
                // An episode that ended with an event added exactly that event's time.
                let total = training.timings.distillationSeconds
                if total > distillationSecondsSoFar { eventSeconds.append(total - distillationSecondsSoFar) }
                distillationSecondsSoFar = total
            })
            wallSeconds = monotonicSeconds() - start
        }
        let eventGigaflop = Self.eventGigaflop(set: set, publicStates: publicStates, loops: configuration.loops)
        let laterEvents = eventSeconds.dropFirst()
        let meanLaterEvent = laterEvents.isEmpty ? nil : laterEvents.reduce(0, +) / Double(laterEvents.count)
        var limitFraction: Double?
        if let meanLaterEvent, let sgemmGigaflops { limitFraction = eventGigaflop / sgemmGigaflops / meanLaterEvent }
        let timings = training.timings
        let systemRewards = training.returns.map { $0.reduce(0, +) / Double($0.count) }
        let lastRewards = systemRewards.suffix(10)
        let steps = timings.environmentSteps
        return EndToEndRecord(
            set: set.name, method: "fedhpd", threads: threads, publicStates: publicStates.source, episodes: episodes,
            distillationEvents: timings.distillationEvents, environmentSteps: steps,
            totalSeconds: rounded(wallSeconds, decimals: 4),
            episodesPerSecond: rounded(Double(episodes) / wallSeconds, decimals: 4),
            environmentStepsPerSecond: rounded(Double(steps) / wallSeconds, decimals: 1),
            rolloutSeconds: rounded(timings.rolloutSeconds, decimals: 4),
            updateSeconds: rounded(timings.updateSeconds, decimals: 4),
            localSeconds: rounded(timings.localSeconds, decimals: 4),
            distillationSeconds: rounded(timings.distillationSeconds, decimals: 4),
            otherSeconds: rounded(wallSeconds - timings.localSeconds - timings.distillationSeconds, decimals: 4),
            distillationEventMilliseconds: rounded(
                1e3 * timings.distillationSeconds / Double(max(timings.distillationEvents, 1)), decimals: 3),
            systemRewardLastTen: rounded(lastRewards.reduce(0, +) / Double(max(lastRewards.count, 1)), decimals: 2),
            allocationsPerEnvironmentStep: rounded(Double(allocations) / Double(max(steps, 1)), decimals: 2),
            eventGigaflop: rounded(eventGigaflop, decimals: 4),
            eventMillisecondsAfterFirst: meanLaterEvent.map { rounded(1e3 * $0, decimals: 3) },
            sgemmGigaflops: sgemmGigaflops.map { rounded($0, decimals: 2) },
            eventLimitFraction: limitFraction.map { rounded($0, decimals: 4) })
    }

    /// loops × 3 × 2 × Σ_agents (multiply-adds per state) × public states ÷ 10⁹: the extraction forward (1×) and
    /// the digestion backward (2×) over every public state, every loop.
    static func eventGigaflop(set: BenchmarkSet, publicStates: PublicStateSet, loops: Int) -> Double {
        let multiplyAdds = set.agents.map { set.architecture(of: $0).multiplyAddsPerState }.reduce(0, +)
        return Double(loops) * 3 * 2 * Double(multiplyAdds) * Double(publicStates.states.rows) / 1e9
    }

    /// One aligned table row.
    static func row(_ record: EndToEndRecord) -> String {
        table.line([
            record.set ?? "-", record.threads.map(String.init) ?? "-", String(record.episodes),
            record.environmentSteps.map(String.init) ?? "-", formatted(record.totalSeconds, decimals: 2),
            formatted(record.episodesPerSecond, decimals: 2), formatted(record.environmentStepsPerSecond, decimals: 0),
            formatted(record.rolloutSeconds, decimals: 2), formatted(record.updateSeconds, decimals: 2),
            formatted(record.distillationSeconds, decimals: 2),
            formatted(record.distillationEventMilliseconds, decimals: 1),
            formatted(record.allocationsPerEnvironmentStep, decimals: 1), formatted(record.eventGigaflop, decimals: 2),
            formatted(record.eventLimitFraction, decimals: 3),
        ])
    }
}
