import ArgumentParser
import HPDTensor
import Logging

/// `fedhpd`: heterogeneous federated reinforcement learning via policy distillation.
@main
struct FedHPDCommand: ParsableCommand {
    /// The package's version (bumped with every release; printed by `fedhpd --version`).
    static let packageVersion = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "fedhpd",
        abstract: "FedHPD — heterogeneous federated reinforcement learning via policy distillation.",
        subcommands: [
            TrainCommand.self, EvaluateCommand.self, WatchCommand.self, CompareCommand.self, PublicStatesCommand.self,
            ReproduceCommand.self, InfoCommand.self, ServeCommand.self, JoinCommand.self,
        ])

    @Flag(help: "Print the package version and the BLAS kernel set in use, then exit.")
    var version = false

    /// Sends the libraries' log messages (the BLAS kernel choice's notes, excluded reports, checkpoint fall-backs)
    /// to stderr as `warning: …` lines, then parses and runs the command line. Only the executables bootstrap logging.
    static func main() {
        LoggingSystem.bootstrap(StandardErrorLogHandler.init)
        main(nil)
    }

    /// `fedhpd --version`: `fedhpd <version>` and the kernel line; without a subcommand otherwise, the help.
    func run() throws {
        guard version else { throw CleanExit.helpRequest(self) }
        print("fedhpd \(Self.packageVersion)")
        print("BLAS kernels: \(LinearAlgebraLibrary.kernelStatus.summary)")
    }
}
