import ArgumentParser
import Foundation
import HPDFederation
import HPDTensor

/// `fedhpd info`: the CPU, the BLAS kernel set in use (and whether it is the best the CPU supports), and sgemm rates.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Print the CPU, the BLAS kernel set in use, core count, known environments and sgemm GFLOP/s.")

    @Option(help: "Matrix size n of the n×n·n×n sgemm timing.")
    var size = 1024
    @OptionGroup var kernels: KernelOptions

    func run() throws {
        try kernels.apply()
        let status = LinearAlgebraLibrary.kernelStatus
        print("CPU: \(LinearAlgebraLibrary.cpu.summary)")
        print("BLAS: \(LinearAlgebraLibrary.description)")
        print("kernels: \(status.summary)")
        if status.isBelowCapability {
            print(
                "warning: the \(status.core) kernels are below what this CPU supports (\(status.bestCore))"
                    + (status.origin == .environment ? "; OPENBLAS_CORETYPE is set in the environment" : ""))
        }
        print(
            "self-check of each kernel set (in a child process): "
                + BLASKernelSet.ladder.map { "\($0.name) \(LinearAlgebraLibrary.selfCheck($0.name).explanation)" }
                .joined(separator: "; "))
        print(
            "small-layer kernels: \(SmallLayerKernels.summary) (\(SmallLayerKernels.environmentVariable)=blas runs every "
                + "layer through BLAS, as before the kernels existed)")
        for note in SmallLayerKernels.notes { print("warning: \(note)") }
        print("cores: \(ParallelExecutor.coreCount)")
        print("environments: \(Catalog.all.specifications.map(\.id).joined(separator: ", "))")
        let threadCounts = Array(Set([1, ParallelExecutor.coreCount])).sorted()
        func rates() -> String {
            threadCounts.map { threads in
                String(
                    format: "%d thread%@ %.1f", threads, threads == 1 ? "" : "s",
                    MatrixProductRate.sgemmGigaflops(size: size, threads: threads))
            }.joined(separator: ", ")
        }
        print("sgemm \(size)³ GFLOP/s (best of 5) with \(status.core): \(rates())")
        if status.bestCore.lowercased() != status.core.lowercased() {
            do {
                let best = try LinearAlgebraLibrary.withKernels(status.bestCore) { rates() }
                print("sgemm \(size)³ GFLOP/s (best of 5) with \(status.bestCore): \(best)")
            } catch {
                print("the \(status.bestCore) kernels cannot be measured: \(error)")
            }
        }
    }
}
