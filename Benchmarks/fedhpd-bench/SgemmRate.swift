import Dispatch
import Foundation
import HPDTensor

/// The machine's matrix-product FLOP rate: sgemm C = A·B at 1024³ (2·1024³ FLOP per call) through the engine's own
/// `Tensor.matmul`, i.e. whatever OpenBLAS kernel set is active in this process.
///
/// The rate at N threads is the higher of (a) OpenBLAS's own N-thread sgemm and (b) N concurrent single-threaded
/// sgemms, one per thread, summed — the cores are independent, and the engine's training runs one single-threaded
/// BLAS per worker thread, so (b) is the rate it can reach. Each figure is the best of a few timed calls.
enum SgemmRate {
    /// The matrix size n of the n³ product.
    static let size = 1024

    /// GFLOP/s at each thread count in `threadCounts` (keys are the counts). Restores OpenBLAS's thread count.
    static func measure(threadCounts: [Int], repetitions: Int = 4) -> [Int: Double] {
        let previous = LinearAlgebraLibrary.threadCount
        defer { LinearAlgebraLibrary.threadCount = previous }
        var rates: [Int: Double] = [:]
        for threads in Set(threadCounts).sorted() where threads > 0 {
            LinearAlgebraLibrary.threadCount = threads
            let library = bestRate(repetitions: repetitions)
            var concurrent = 0.0
            if threads > 1 {
                LinearAlgebraLibrary.threadCount = 1
                concurrent = concurrentSingleThreadedRate(threads: threads, repetitions: repetitions)
            }
            rates[threads] = max(library, concurrent)
        }
        return rates
    }

    /// The best single-call GFLOP/s on the calling thread, with OpenBLAS's current thread count.
    static func bestRate(repetitions: Int) -> Double {
        var operands = Operands()
        operands.multiply()  // warm-up: page faults, OpenBLAS buffers
        var best = Double.infinity
        for _ in 0..<repetitions {
            let start = monotonicNanoseconds()
            operands.multiply()
            best = min(best, Double(monotonicNanoseconds() - start) * 1e-9)
        }
        return Operands.floatingPointOperations / best / 1e9
    }

    /// The best single-call GFLOP/s on one thread counted in the thread's **CPU time** (robust to other processes
    /// sharing the core), with OpenBLAS single-threaded.
    static func bestCPURate(repetitions: Int) -> Double {
        let previous = LinearAlgebraLibrary.threadCount
        defer { LinearAlgebraLibrary.threadCount = previous }
        LinearAlgebraLibrary.threadCount = 1
        var operands = Operands()
        operands.multiply()
        var best = Double.infinity
        for _ in 0..<repetitions {
            let start = threadCPUSeconds()
            operands.multiply()
            best = min(best, threadCPUSeconds() - start)
        }
        return Operands.floatingPointOperations / best / 1e9
    }

    /// The sum over `threads` concurrent single-threaded sgemm loops of each one's best GFLOP/s.
    static func concurrentSingleThreadedRate(threads: Int, repetitions: Int) -> Double {
        let rates = RateSlots(count: threads)
        DispatchQueue.concurrentPerform(iterations: threads) { index in
            rates.store(bestRate(repetitions: repetitions), at: index)
        }
        return rates.total
    }

    /// A, B and C for one 1024³ product.
    private struct Operands {
        static let floatingPointOperations = 2 * Double(size) * Double(size) * Double(size)
        var generator = RandomGenerator(seed: 1024)
        let left: Tensor
        let right: Tensor
        var output = Tensor.zeros([size, size])

        init() {
            left = Tensor.uniform([size, size], low: -1, high: 1, generator: &generator)
            right = Tensor.uniform([size, size], low: -1, high: 1, generator: &generator)
        }

        mutating func multiply() {
            Tensor.matmul(left, right, into: &output)
            blackHole(output.scalars[0])
        }
    }
}

/// CPU seconds used by the calling thread so far.
func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

/// Per-thread results written from `concurrentPerform`, each thread to its own slot.
private final class RateSlots: @unchecked Sendable {
    private var values: [Double]
    private let lock = NSLock()

    init(count: Int) { values = Array(repeating: 0, count: count) }

    func store(_ value: Double, at index: Int) { lock.withLock { values[index] = value } }

    var total: Double { lock.withLock { values.reduce(0, +) } }
}
