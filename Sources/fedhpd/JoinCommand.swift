import ArgumentParser
import Foundation
import HPDFederation
import Logging

#if Network
import HPDNetwork

/// `fedhpd join`: a client process hosting some agents of a federation.
struct JoinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "join",
        abstract: "Join a FedHPD federation over gRPC with some of the agents (each trained locally).",
        discussion: """
            Hosts agents SOURCE[:RANGES] — 'paper' (the preset for --env) or a JSON file, restricted to the 1-based
            agent numbers in RANGES (e.g. paper:1-5, agents.json:2,4,6-8). Agent k is built and seeded from (--seed, k)
            exactly as `fedhpd train` builds it, so results do not depend on where it is hosted. A client started
            before the server retries for --connect-timeout seconds; a server lost mid-run is retried for
            --retry-timeout seconds. See docs/NETWORK.md.
            """)

    @Option(help: "The server, HOST:PORT.")
    var server = "127.0.0.1:50051"
    @Option(help: "Environment id (must match the server's).")
    var env = "CartPole-v1"
    @Option(help: "SOURCE[:RANGES]: 'paper' or a JSON file of agents, optionally restricted to 1-based agent numbers.")
    var agents = "paper"
    @Option(help: "The run seed (must match the server's).")
    var seed: UInt64 = 20
    @Option(help: "Worker threads for the hosted agents (default: the core count). Results do not depend on it.")
    var threads = ParallelExecutor.coreCount
    @Option(help: "A name for the server's logs (default: host-pid).")
    var name: String?
    @OptionGroup var secret: SharedSecretOptions
    @Flag(help: "Connect with TLS (system trust roots unless --tls-ca).")
    var tls = false
    @Option(name: .customLong("tls-ca"), help: "PEM file of CA certificates to trust (implies --tls).")
    var tlsCA: String?
    @Option(name: .customLong("connect-timeout"), help: "Seconds to retry the first connection.")
    var connectTimeout = 60.0
    @Option(name: .customLong("retry-timeout"), help: "Seconds to retry a lost server before giving up.")
    var retryTimeout = 60.0
    @Option(
        name: .customLong("inject-fault"),
        help: ArgumentHelp("Testing: KIND:AGENT@EPISODE or crash@EPISODE.", visibility: .hidden))
    var injectFault: [String] = []
    @Option(
        help:
            "Keep the hosted agents' trained policies under OUT/<run name>/policies/ (weights never leave this process)."
    )
    var out = "runs"
    @Option(
        name: .customLong("run-fingerprint"),
        help:
            "Join only the run with this configuration fingerprint (fedhpd serve logs it); another run refuses this client."
    )
    var runFingerprint: String?
    @Flag(
        help:
            "Every hosted agent uploads confidently wrong distributions (all mass on its least likely action): a remote adversary for robustness experiments."
    )
    var adversarial = false
    @Flag(help: "Print only errors and the result.")
    var quiet = false
    @Option(
        name: .customLong("checkpoint-every"),
        help:
            "Keep a checkpoint of the hosted agents under OUT/client-checkpoints/ every N episodes (0: none; the last episode always)."
    )
    var checkpointEvery = 1
    @Flag(
        help:
            "Continue after this client was killed: restore the agents from their newest checkpoint under --out and rejoin the run with the session the server gave them (same --agents, --env, --seed)."
    )
    var resume = false
    @OptionGroup var kernels: KernelOptions

    func run() throws {
        try kernels.apply()
        guard checkpointEvery >= 0 else { throw CommandError("--checkpoint-every must be 0 or positive") }
        let environment = try Catalog.all.specification(for: env)
        let (host, port) = try NetworkOptions.address(server)
        let (source, numbers) = try NetworkOptions.agentSelection(agents)
        let roster = try RunSetup(quiet: true).loadAgents(source, environment: environment)
        let selected = numbers ?? Array(1...roster.count)
        for number in selected where number > roster.count {
            throw CommandError("--agents \(agents): agent \(number) does not exist (\(source) has \(roster.count))")
        }
        guard threads > 0 else { throw CommandError("--threads must be positive") }
        var configuration = NetworkClientConfiguration(
            host: host, port: port, environment: environment,
            agents: selected.map { (index: $0 - 1, specification: roster[$0 - 1]) }, runSeed: seed,
            name: name ?? "\(ProcessInfo.processInfo.hostName)-\(getpid())")
        configuration.threads = threads
        configuration.token = try secret.resolvedToken()
        configuration.tls = tls || tlsCA != nil
        configuration.tlsTrustRoots = tlsCA
        configuration.connectTimeout = connectTimeout
        configuration.retryTimeout = retryTimeout
        configuration.policiesRoot = URL(fileURLWithPath: out)
        configuration.checkpointRoot = checkpointEvery > 0 || resume ? URL(fileURLWithPath: out) : nil
        configuration.checkpointEvery = checkpointEvery
        configuration.resume = resume
        configuration.configurationFingerprint = runFingerprint
        if adversarial { configuration.adversarialAgents = Set(selected.map { $0 - 1 }) }
        do {
            if !injectFault.isEmpty {
                configuration.faultInjectionForTesting = FaultInjection(
                    faults: try injectFault.map { try InjectedFault(parsing: $0) })
            }
            var logger = Logger(label: "fedhpd.network.join")
            if quiet { logger.logLevel = .error }
            let report = try NetworkClient.run(configuration, logger: logger)
            print(
                "run complete: \(report.runFolder) (on the server); this client's policies under \(out)/"
                    + (report.missedDigestions > 0
                        ? "; this client's agents skipped \(report.missedDigestions) digestion(s)" : ""))
        } catch let error as NetworkError {
            throw CommandError(error.description)
        }
    }
}

#else

/// Without the `Network` trait: says how to get the gRPC client.
struct JoinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "join", abstract: "Join a federation over gRPC (needs the Network package trait).")

    @Argument(parsing: .allUnrecognized) var arguments: [String] = []

    func run() throws {
        throw ValidationError(NetworkUnavailable.message)
    }
}

#endif
