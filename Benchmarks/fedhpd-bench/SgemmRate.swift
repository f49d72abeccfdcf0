import Dispatch
import Foundation
import HPDTensor

/// The machine's matrix-product FLOP rate: sgemm C = A·B at 1024³ (2·1024³ FLOP per call) through the engine's own
/// `Tensor.matmul`, i.e. whatever OpenBLAS kernel set is active in this process.
///
/// Wall-clock rates by thread count come from `MatrixProductRate` (at N threads the higher of OpenBLAS's N-thread
/// sgemm and N concurrent single-threaded sgemms summed); `bestCPURate` counts one thread's CPU time instead, for
/// the `balance` command on a shared machine.
enum SgemmRate {
    /// The matrix size n of the n³ product.
    static let size = 1024

    /// GFLOP/s at each thread count in `threadCounts` (keys are the counts), measured by the engine's
    /// `MatrixProductRate` (the same figure `fedhpd info` and timings.json report). Restores OpenBLAS's thread count.
    static func measure(threadCounts: [Int], repetitions: Int = 4) -> [Int: Double] {
        Dictionary(
            uniqueKeysWithValues: Set(threadCounts).filter { $0 > 0 }.map { threads in
                (threads, MatrixProductRate.sgemmGigaflops(size: size, threads: threads, repetitions: repetitions))
            })
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
