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
            "Serve a FedHPD (or NoFed, DPA-FedRL) federation over gRPC: own the schedule, aggregate, write the run folder.",
        discussion: """
            Waits for --agents-expected agents (hosted by `fedhpd join` clients), then for every distillation event and
            part collects their action distributions, aggregates them in agent-index order and returns the consensus.
            Clients report each episode's return; after the last episode the server writes the same run folder as
            `fedhpd train` (plus exclusions.csv and server.log) under --out and exits 0. With --method dpa (and --env of a
            task this program simulates) the server steps its own environment and the clients align on its states with
            the squared error, one round per event. See docs/NETWORK.md.
            """)

    @OptionGroup var task: TaskOptions
    @OptionGroup var servedTask: ServedTaskOptions
    @OptionGroup var setting: SettingOptions
    @Option(name: .customLong("agents-expected"), help: "How many agents the run waits for (required).")
    var agentsExpected: Int?
    @OptionGroup var publicStateOptions: PublicStateOptions
    @OptionGroup var digestion: DigestionOptions
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
        let arguments: [String]
        do { arguments = try launch.arguments(resumingWith: secret) } catch {
            throw CommandError("--resume \(resume): \(error)")
        }
        do { launched = try ServeCommand.parse(arguments) } catch {
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
        // One setting: the shared options' lists must hold one value each.
        let chosen =
            try setting.method?.single("--method", in: "fedhpd serve") ?? RunChoices.Defaults.methods.items[0]
        let interval =
            try setting.interval?.single("--interval", in: "fedhpd serve") ?? RunChoices.Defaults.intervals.items[0]
        let seed = try setting.seeds?.single("--seed", in: "fedhpd serve") ?? RunChoices.Defaults.seeds.items[0]
        let publicStates = publicStateOptions.publicStates ?? RunChoices.Defaults.publicStates
        try ServedMethod.check(chosen, env: task.env)
        let environment = try servedTask.environment(id: task.env ?? RunChoices.Defaults.env)
        let simulated = !environment.presetAgents.isEmpty
        let setup = RunSetup(quiet: quiet)
        let rosterSource = task.agents ?? (simulated ? "paper" : "undisclosed")
        let roster =
            rosterSource == "undisclosed"
            ? Array(repeating: ServedTask.undisclosedAgent(for: environment), count: agentsExpected)
            : try setup.loadAgents(rosterSource, environment: environment)
        guard roster.count == agentsExpected else {
            throw CommandError(
                "--agents \(rosterSource) lists \(roster.count) agents but --agents-expected is \(agentsExpected)")
        }
        guard simulated || publicStates != "auto" || chosen != .fedhpd else {
            throw CommandError(
                "--env \(environment.id) is not simulated here, so the server cannot build its public states: give "
                    + "--public-states FILE (e.g. python -m fedhpd_client public-states --gym \(environment.id) …)")
        }
        let root = URL(fileURLWithPath: out)
        let states =
            chosen != .fedhpd
            ? ServedMethod.placeholderStates(for: environment)
            : try setup.resolvePublicStates(
                publicStates, method: publicStateOptions.publicStatesMethod ?? RunChoices.Defaults.publicStatesMethod,
                environment: environment, seed: seed, root: root)
        var run = FederationConfiguration(
            environment: environment.id, method: chosen, interval: chosen == .nofed ? 1 : interval,
            episodes: setting.episodes ?? environment.defaultEpisodes, seed: seed,
            loops: digestion.loops ?? RunChoices.Defaults.loops,
            partSize: digestion.partSize ?? RunChoices.Defaults.partSize,
            agents: roster,
            publicStates: chosen != .fedhpd ? nil : PublicStatesRecord(states))
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

#endif
