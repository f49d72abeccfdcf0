import Dispatch

/// Measures what the BLAS kernels deliver on this machine: the rate of single-precision matrix products (sgemm),
/// the yardstick of every "fraction of the FLOP limit" the benchmark reports.
public enum MatrixProductRate {
    /// GFLOP/s of an n×n·n×n sgemm (2n³ FLOPs), best of `repetitions` after one warm-up, on `threads` cores.
    ///
    /// With one thread: OpenBLAS single-threaded. With more: the higher of OpenBLAS's own multi-threaded sgemm and
    /// the sum of `threads` concurrent single-threaded sgemms (one per core, each on its own matrices) — the rate
    /// that independent agents on separate cores can reach together. OpenBLAS's thread count is restored after.
    public static func sgemmGigaflops(size: Int = 1024, threads: Int = 1, repetitions: Int = 5) -> Double {
        let saved = LinearAlgebraLibrary.threadCount
        defer { LinearAlgebraLibrary.threadCount = saved }
        LinearAlgebraLibrary.threadCount = max(1, threads)
        let together = singleProcessRate(size: size, repetitions: repetitions)
        guard threads > 1 else { return together }
        LinearAlgebraLibrary.threadCount = 1
        // `nonisolated(unsafe)`: iteration `index` writes only `rates[index]`, and `concurrentPerform` returns after
        // every iteration has finished, so no element is written twice or read while written.
        nonisolated(unsafe) let rates = UnsafeMutableBufferPointer<Double>.allocate(capacity: threads)
        defer { rates.deallocate() }
        DispatchQueue.concurrentPerform(iterations: threads) { index in
            rates[index] = singleProcessRate(size: size, repetitions: repetitions)
        }
        return max(together, rates.reduce(0, +))
    }

    private static func singleProcessRate(size: Int, repetitions: Int) -> Double {
        var generator = RandomGenerator(seed: UInt64(size))
        let a = Tensor.uniform([size, size], low: -1, high: 1, generator: &generator)
        let b = Tensor.uniform([size, size], low: -1, high: 1, generator: &generator)
        var c = Tensor.zeros([size, size])
        Tensor.matmul(a, b, into: &c)
        var best = Double.infinity
        for _ in 0..<max(1, repetitions) {
            let start = DispatchTime.now().uptimeNanoseconds
            Tensor.matmul(a, b, into: &c)
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
        }
        return 2 * Double(size) * Double(size) * Double(size) / best / 1e9
    }
}
