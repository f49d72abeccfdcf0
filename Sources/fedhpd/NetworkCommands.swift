import ArgumentParser

/// Placeholder for the gRPC server; the network layer is not part of this build.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve a federation over gRPC (needs the Network package trait).")

    @Argument(parsing: .allUnrecognized) var arguments: [String] = []

    func run() throws {
        throw ValidationError(
            "this build has no network layer. Multi-process federation over gRPC is planned behind the package trait "
                + "'Network' (swift build --traits Network); it is not implemented yet. Use 'fedhpd train' for in-process federation.")
    }
}

/// Placeholder for the gRPC client.
struct JoinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "join", abstract: "Join a federation over gRPC (needs the Network package trait).")

    @Argument(parsing: .allUnrecognized) var arguments: [String] = []

    func run() throws {
        throw ValidationError(
            "this build has no network layer. Multi-process federation over gRPC is planned behind the package trait "
                + "'Network' (swift build --traits Network); it is not implemented yet. Use 'fedhpd train' for in-process federation.")
    }
}
