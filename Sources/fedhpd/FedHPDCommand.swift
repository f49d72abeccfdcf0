import ArgumentParser

/// `fedhpd`: heterogeneous federated reinforcement learning via policy distillation.
@main
struct FedHPDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fedhpd",
        abstract: "FedHPD — heterogeneous federated reinforcement learning via policy distillation.",
        subcommands: [TrainCommand.self, EvaluateCommand.self, WatchCommand.self, CompareCommand.self, PublicStatesCommand.self, ReproduceCommand.self, InfoCommand.self, ServeCommand.self, JoinCommand.self])
}
