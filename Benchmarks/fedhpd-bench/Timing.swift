#if canImport(Glibc)
import Glibc
#endif

/// How long to time one case: a few warm-up calls, then as many calls as fill `budgetSeconds` (at least
/// `minimumRepetitions`), each timed on its own — the procedure of `torch_kernels.py`.
struct TimingBudget {
    var warmupCalls = 3
    var budgetSeconds = 0.5
    var minimumRepetitions = 7
    var maximumRepetitions = 200_000

    /// The default budget (0.5 s per case), or a short one for smoke runs (0.02 s, 3 repetitions).
    static func standard(quick: Bool, budgetSeconds: Double?) -> TimingBudget {
        var budget = quick ? TimingBudget(warmupCalls: 2, budgetSeconds: 0.02, minimumRepetitions: 3) : TimingBudget()
        if let budgetSeconds { budget.budgetSeconds = budgetSeconds }
        return budget
    }
}

/// Per-call times of one case, in microseconds.
struct TimingSample {
    /// The median call time.
    let medianMicroseconds: Double
    /// The fastest call.
    let minimumMicroseconds: Double
    /// The number of timed calls.
    let repetitions: Int

    /// Warms `call` up, picks a repetition count that fills the budget, and times every call.
    static func measure(_ call: () -> Void, budget: TimingBudget) -> TimingSample {
        for _ in 0..<budget.warmupCalls { call() }
        let probeStart = monotonicNanoseconds()
        var probeCalls = 0
        while probeCalls < 3
            || (Double(monotonicNanoseconds() - probeStart) < 0.05e9 * budget.budgetSeconds && probeCalls < 10_000)
        {
            call()
            probeCalls += 1
        }
        let perCall = Double(monotonicNanoseconds() - probeStart) * 1e-9 / Double(probeCalls)
        let repetitions = Int(
            min(
                Double(budget.maximumRepetitions),
                max(Double(budget.minimumRepetitions), budget.budgetSeconds / max(perCall, 1e-9))))
        var samples = [Double](repeating: 0, count: repetitions)
        for index in 0..<repetitions {
            let start = monotonicNanoseconds()
            call()
            samples[index] = Double(monotonicNanoseconds() - start) * 1e-3
        }
        samples.sort()
        let middle = repetitions / 2
        let median = repetitions % 2 == 1 ? samples[middle] : (samples[middle - 1] + samples[middle]) / 2
        return TimingSample(medianMicroseconds: median, minimumMicroseconds: samples[0], repetitions: repetitions)
    }
}

/// Nanoseconds on the monotonic clock.
func monotonicNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

/// Consumes a value so the optimiser cannot drop the computation that produced it.
@inline(never) @_optimize(none)
func blackHole<Value>(_ value: Value) {}
