import ArgumentParser
import Foundation
import HPDFederation
import HPDTensor

/// `fedhpd info`: the machine, the BLAS library, and a quick sgemm timing.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Print the BLAS library, core count, known environments and a quick sgemm GFLOP/s.")

    @Option(help: "Matrix size n of the n×n·n×n sgemm timing.")
    var size = 1024

    func run() throws {
        print("BLAS: \(LinearAlgebraLibrary.description)")
        print("cores: \(ParallelExecutor.coreCount)")
        print("environments: \(Catalog.all.specifications.map(\.id).joined(separator: ", "))")
        var generator = RandomGenerator(seed: 1)
        let a = Tensor.uniform([size, size], low: -1, high: 1, generator: &generator)
        let b = Tensor.uniform([size, size], low: -1, high: 1, generator: &generator)
        var c = Tensor.zeros([size, size])
        for threads in Array(Set([1, ParallelExecutor.coreCount])).sorted() {
            LinearAlgebraLibrary.threadCount = threads
            Tensor.matmul(a, b, into: &c)
            var best = Double.infinity
            for _ in 0..<5 {
                let start = monotonicSeconds()
                Tensor.matmul(a, b, into: &c)
                best = min(best, monotonicSeconds() - start)
            }
            print(String(format: "sgemm %d×%d·%d×%d, %d BLAS thread(s): %.1f GFLOP/s (best of 5)", size, size, size, size, threads, 2 * pow(Double(size), 3) / best / 1e9))
        }
    }
}
