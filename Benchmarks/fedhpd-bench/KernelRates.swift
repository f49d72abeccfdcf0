import Foundation
import HPDFederation
import HPDTensor

/// The kernel set of the run and sgemm 1024³ rates, measured at start with the run's kernels and with the best set
/// the CPU supports, keyed by thread count ("1" and the core count): `meta.sgemm_gflops` and
/// `meta.best_core_sgemm_gflops`, and the yardstick of every `event_limit_fraction`.
struct KernelRates {
    var status: BLASKernelStatus
    var rates: [String: Double]
    var bestRates: [String: Double]

    /// Rates at 1 thread, the core count and `extraThreadCounts` (the end-to-end runs' worker counts).
    static func measure(extraThreadCounts: [Int] = []) -> KernelRates {
        let status = LinearAlgebraLibrary.kernelStatus
        let threadCounts = [1, ParallelExecutor.coreCount] + extraThreadCounts
        func measured() -> [String: Double] {
            Dictionary(
                uniqueKeysWithValues: SgemmRate.measure(threadCounts: threadCounts).map { threads, rate in
                    ("\(threads)", (rate * 10).rounded() / 10)
                })
        }
        let rates = measured()
        let bestRates =
            status.bestCore.lowercased() == status.core.lowercased()
            ? rates : ((try? LinearAlgebraLibrary.withKernels(status.bestCore, measured)) ?? [:])
        return KernelRates(status: status, rates: rates, bestRates: bestRates)
    }

    /// The rate (with the run's kernels) for `threads` worker threads.
    func rate(threads: Int) -> Double? {
        rates["\(threads)"]
    }

    /// "kernels Haswell (…); sgemm 1024³ GFLOP/s 1: 80.1, 2: 158.3; best set Haswell: the same".
    var summary: String {
        func text(_ values: [String: Double]) -> String {
            values.keys.sorted { Int($0)! < Int($1)! }.map { "\($0) thread(s) \(values[$0]!)" }.joined(separator: ", ")
        }
        let best =
            status.bestCore.lowercased() == status.core.lowercased()
            ? "the set in use is the best"
            : "best set \(status.bestCore): \(bestRates.isEmpty ? "not measurable" : text(bestRates))"
        return "kernels \(status.summary); sgemm 1024³ GFLOP/s \(text(rates)); \(best)"
    }
}
