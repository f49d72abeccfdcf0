import ArgumentParser
import Foundation
import HPDFederation
import Logging

#if Network
import HPDNetwork

/// `fedhpd serve`: the FedHPD server of a multi-process federation over gRPC.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract:
            "Serve a FedHPD federation over gRPC: own the public states and the schedule, aggregate, write the run folder.",
        discussion: """
            Waits for --agents-expected agents (hosted by `fedhpd join` clients), then for every distillation event and
            part collects their action distributions, aggregates them in agent-index order and returns the consensus.
            Clients report each episode's return; after the last episode the server writes the same run folder as
            `fedhpd train` (plus exclusions.csv and server.log) under --out and exits 0. See docs/NETWORK.md.
            """)

    @Option(
        help:
            "Environment id: CartPole-v1, LunarLander-v3, InvertedPendulum-v4, or any id with --observation-size and --actions/--action-dimensions."
    )
    var env = "CartPole-v1"
    @OptionGroup var task: ServedTaskOptions
    @Option(
        help:
            "fedhpd, or nofed (independent learners: no distillation events; no public states needed). DPA-FedRL is not served (its server steps the task)."
    )
    var method = "fedhpd"
    @Option(help: "Distillation interval d (episodes between events).")
    var interval = 5
    @Option(help: "Episodes per agent (default: the paper's for the environment).")
    var episodes: Int?
    @Option(help: "The run seed (clients must use the same).")
    var seed: UInt64 = 20
    @Option(name: .customLong("agents-expected"), help: "How many agents the run waits for (required).")
    var agentsExpected: Int?
    @Option(
        help:
            "The roster written to config.json/summary.json: 'paper' (default for a simulated task), 'undisclosed' (default otherwise) or a JSON file (as for train); it must list --agents-expected agents. Places assigned by the server are recorded as undisclosed."
    )
    var agents: String?
    @Option(name: .customLong("public-states"), help: "'auto' (build and cache) or a CSV file.")
    var publicStates = "auto"
    @Option(name: .customLong("public-states-method"), help: "For auto: cluster or random.")
    var publicStatesMethod = "cluster"
    @Option(help: "Digestion loops per distillation event.")
    var loops = 5
    @Option(name: .customLong("part-size"), help: "States per part of the public state set.")
    var partSize = 2500
    @Option(help: "Address to listen on (0.0.0.0 for every interface).")
    var host = "127.0.0.1"
    @Option(help: "Port to listen on (0: any free port, see --port-file).")
    var port = 50051
    @Option(name: .customLong("port-file"), help: "Write the bound port to this file once listening.")
    var portFile: String?
    @Option(help: "Root folder for the run folder.")
    var out = "runs"
    @Option(help: "Seconds a part (or the end of the run) waits for stragglers before going on without them.")
    var deadline = 60.0
    @Option(help: "Minimum number of accepted distributions for a part's consensus (otherwise nobody digests it).")
    var quorum = 1
    @Option(name: .customLong("wait-for-agents"), help: "Seconds to wait for every expected agent to register.")
    var waitForAgents = 600.0
    @Option(name: .customLong("heartbeat-timeout"), help: "Seconds without a call after which a client counts as lost.")
    var heartbeatTimeout = 15.0
    @Option(name: .customLong("max-message-bytes"), help: "Largest request accepted.")
    var maxMessageBytes = 4 * 1024 * 1024
    @OptionGroup var secret: SharedSecretOptions
    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain: serve over TLS (with --tls-key).")
    var tlsCert: String?
    @Option(name: .customLong("tls-key"), help: "PEM private key for --tls-cert.")
    var tlsKey: String?
    @Flag(help: "Print only errors and the result.")
    var quiet = false
    @OptionGroup var kernels: KernelOptions
    @OptionGroup var federation: FederationChoiceOptions
    @Option(
        help: ArgumentHelp(
            "Continue the run in this run folder after the server was killed: its launch options (serve-launch.json), its journal (server-journal.jsonl) and its port; the clients reconnect.",
            valueName: "run-dir"))
    var resume: String?

    func run() throws {
        guard let resume else { return try serve(resumingIn: nil) }
        let folder = URL(fileURLWithPath: resume).standardizedFileURL
        let launch = try ServeLaunch.read(from: folder)
        guard FileManager.default.changeCurrentDirectoryPath(launch.directory) else {
            throw CommandError("--resume \(resume): cannot enter the launch directory \(launch.directory)")
        }
        let launched: ServeCommand
        do { launched = try ServeCommand.parse(launch.arguments) } catch {
            throw CommandError("--resume \(resume): the saved launch options do not parse: \(error)")
        }
        try launched.serve(resumingIn: folder)
    }

    /// Serves the run (`folder`: continues the run there from its journal).
    func serve(resumingIn resumed: URL?) throws {
        try kernels.apply()
        guard federation.participation == nil, federation.dropoutProbability == nil, federation.adversarialAgents == nil
        else {
            throw CommandError(
                "fedhpd serve takes --aggregation only; a remote adversary is a client started with fedhpd join --adversarial"
            )
        }
        guard let agentsExpected else {
            throw CommandError(
                "fedhpd serve (Network): give --agents-expected N, the number of agents the federation waits for")
        }
        guard agentsExpected > 0 else { throw CommandError("--agents-expected must be positive") }
        let chosen = try ServedMethod.parse(method)
        let environment = try task.environment(id: env)
        let simulated = !environment.presetAgents.isEmpty
        let setup = RunSetup(quiet: quiet)
        let rosterSource = agents ?? (simulated ? "paper" : "undisclosed")
        let roster =
            rosterSource == "undisclosed"
            ? Array(repeating: ServedTask.undisclosedAgent(for: environment), count: agentsExpected)
            : try setup.loadAgents(rosterSource, environment: environment)
        guard roster.count == agentsExpected else {
            throw CommandError(
                "--agents \(rosterSource) lists \(roster.count) agents but --agents-expected is \(agentsExpected)")
        }
        guard simulated || publicStates != "auto" || chosen == .nofed else {
            throw CommandError(
                "--env \(environment.id) is not simulated here, so the server cannot build its public states: give "
                    + "--public-states FILE (e.g. python -m fedhpd_client public-states --gym \(environment.id) …)")
        }
        let root = URL(fileURLWithPath: out)
        let states =
            chosen == .nofed
            ? ServedMethod.placeholderStates(for: environment)
            : try setup.resolvePublicStates(
                publicStates, method: publicStatesMethod, environment: environment, seed: seed, root: root)
        var run = FederationConfiguration(
            environment: environment.id, method: chosen, interval: chosen == .nofed ? 1 : interval,
            episodes: episodes ?? environment.defaultEpisodes, seed: seed, loops: loops, partSize: partSize,
            agents: roster,
            publicStates: chosen == .nofed ? nil : PublicStatesRecord(states))
        try federation.apply(to: &run)
        do { try run.validate() } catch { throw CommandError("\(error)") }
        let folder = RunFolder(root: root, configuration: run)
        if let resumed {
            guard folder.url.standardizedFileURL.path == resumed.path else {
                throw CommandError("--resume \(resumed.path): the saved launch serves \(folder.url.path)")
            }
            guard !folder.isComplete else { throw CommandError("\(folder.url.path) is already complete") }
        } else {
            // config.json is written when the run starts (places assigned by the server are then undisclosed).
            switch try setup.existingRun(in: folder, configuration: run) {
            case .none, .incomplete: break
            case .complete:
                throw CommandError("\(folder.url.path) is already complete; choose another --out or remove it")
            }
            try ServeLaunch(
                arguments: ServeLaunch.currentArguments(), directory: FileManager.default.currentDirectoryPath
            )
            .write(to: folder.url)
        }
        var configuration = NetworkServerConfiguration(
            run: run, environment: environment, publicStates: states, folder: folder)
        configuration.aggregation = try AggregationChoice.strategy(named: run.aggregation)
        configuration.host = host
        configuration.port = port
        configuration.portFile = portFile
        configuration.deadline = deadline
        configuration.quorum = quorum
        configuration.registrationTimeout = waitForAgents
        configuration.heartbeatTimeout = heartbeatTimeout
        configuration.maxMessageBytes = maxMessageBytes
        configuration.token = try secret.resolvedToken()
        configuration.tlsCertificatePath = tlsCert
        configuration.tlsKeyPath = tlsKey
        configuration.resume = resumed != nil
        var logger = Logger(label: "fedhpd.network.serve")
        if quiet { logger.logLevel = .error }
        do {
            let report = try NetworkServer.run(configuration, logger: logger)
            let summary = String(
                format: "%@: %d events over the network, %.1f s wall; %d exclusion note(s)",
                folder.url.path, report.events, report.wallSeconds, report.exclusions.count)
            print(summary)
        } catch let error as NetworkError {
            throw CommandError(error.description)
        }
    }
}

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

/// `--token` / `--token-file`, declared once for serve and join: the federation's shared secret.
struct SharedSecretOptions: ParsableArguments {
    @Option(help: "The federation's shared secret: the server and every client must give the same.")
    var token: String?
    @Option(name: .customLong("token-file"), help: "Read the shared secret from this file.")
    var tokenFile: String?

    /// The secret (nil: none); an empty one, or an unreadable or empty file, is an error naming the option.
    func resolvedToken() throws -> String? {
        if let file = tokenFile {
            do {
                let text = try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(
                    in: .whitespacesAndNewlines)
                guard !text.isEmpty else { throw CommandError("--token-file \(file) is empty") }
                return text
            } catch let error as CommandError { throw error } catch {
                throw CommandError("--token-file \(file): cannot be read (\(error.localizedDescription))")
            }
        }
        if let token, token.isEmpty { throw CommandError("--token must not be empty") }
        return token
    }
}

/// Option parsing shared by serve and join.
enum NetworkOptions {
    /// `HOST:PORT`, `[IPv6]:PORT`.
    static func address(_ text: String) throws -> (String, Int) {
        var host: Substring
        let portText: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(after: close)...].dropFirst()
        } else if let colon = text.lastIndex(of: ":") {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        } else {
            throw CommandError("--server '\(text)': expected HOST:PORT")
        }
        guard let port = Int(portText), (1...65_535).contains(port), !host.isEmpty else {
            throw CommandError("--server '\(text)': expected HOST:PORT with a port in 1...65535")
        }
        if host == "localhost" { host = "127.0.0.1" }
        return (String(host), port)
    }

    /// `SOURCE[:RANGES]` → the source and the 1-based agent numbers (nil: all).
    static func agentSelection(_ text: String) throws -> (String, [Int]?) {
        guard let colon = text.lastIndex(of: ":") else { return (text, nil) }
        let ranges = text[text.index(after: colon)...]
        guard !ranges.isEmpty, ranges.allSatisfy({ $0.isNumber || $0 == "," || $0 == "-" }) else { return (text, nil) }
        var numbers: [Int] = []
        for item in ranges.split(separator: ",") {
            guard let range = AgentSelection.range(item) else {
                throw CommandError("--agents \(text): '\(item)' is not an agent number or range such as 1-5")
            }
            numbers += Array(range)
        }
        guard Set(numbers).count == numbers.count else {
            throw CommandError("--agents \(text): an agent is listed twice")
        }
        return (String(text[..<colon]), numbers.sorted())
    }
}

#else

/// Without the `Network` trait: says how to get the gRPC server.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve a federation over gRPC (needs the Network package trait).")

    @Argument(parsing: .allUnrecognized) var arguments: [String] = []

    func run() throws {
        throw ValidationError(NetworkUnavailable.message)
    }
}

/// Without the `Network` trait: says how to get the gRPC client.
struct JoinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "join", abstract: "Join a federation over gRPC (needs the Network package trait).")

    @Argument(parsing: .allUnrecognized) var arguments: [String] = []

    func run() throws {
        throw ValidationError(NetworkUnavailable.message)
    }
}

enum NetworkUnavailable {
    static let message =
        "this build has no network layer. Multi-process federation over gRPC (fedhpd serve / fedhpd join) is behind "
        + "the package trait 'Network': rebuild with `swift build -c release --traits Network`. "
        + "Use 'fedhpd train' for in-process federation."
}
#endif
