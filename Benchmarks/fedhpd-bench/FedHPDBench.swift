import ArgumentParser
import HPDTensor
import Logging

/// `fedhpd-bench`: kernel timings against the BLAS roofline, heap allocations per call, end-to-end FedHPD
/// throughput, and side-by-side comparison with the PyTorch reference (`Benchmarks/Reference`).
@main
struct FedHPDBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fedhpd-bench",
        abstract: "FedHPD-Swift benchmarks: kernels vs the sgemm roofline, allocations, end-to-end training.",
        discussion: """
            `fedhpd-bench` (or `fedhpd-bench run`) measures; `fedhpd-bench compare ours.json torch.json …` prints \
            speed ratios against the PyTorch reference and the status of the performance targets.
            """,
        subcommands: [RunCommand.self, CompareCommand.self, BalanceCommand.self, LayersCommand.self],
        defaultSubcommand: RunCommand.self)

    /// Sends the libraries' log messages (the BLAS kernel choice's notes) to stderr as `warning: …` lines, then
    /// parses and runs the command line.
    static func main() {
        LoggingSystem.bootstrap(StandardErrorLogHandler.init)
        main(nil)
    }
}
