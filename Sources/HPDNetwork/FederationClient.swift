#if Network
import Dispatch
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import HPDFederation
import HPDNN
import HPDRL
import HPDTensor

#if canImport(Glibc)
import Glibc
#endif

/// Everything `fedhpd join` needs.
public struct NetworkClientConfiguration: Sendable {
    /// `host:port` of the server.
    public var host: String
    public var port: Int
    public var environment: EnvironmentSpecification
    /// The hosted agents: 0-based index in the run's roster and specification.
    public var agents: [(index: Int, specification: AgentSpecification)]
    /// The run seed: agent k's streams derive from (seed, k), wherever it is hosted.
    public var runSeed: UInt64
    /// A name for the server's logs.
    public var name: String
    /// Worker threads for the hosted agents (results do not depend on it).
    public var threads = 2
    public var token: String?
    /// Use TLS; `tlsTrustRoots` is a PEM file of CA certificates (the system's roots otherwise).
    public var tls = false
    public var tlsTrustRoots: String?
    /// How long the first connection is retried (a client may start before the server).
    public var connectTimeout = 60.0
    /// How long a lost server is retried before the client gives up.
    public var retryTimeout = 60.0
    /// The largest message the client accepts (bytes).
    public var maxMessageBytes = 64 * 1024 * 1024
    /// Deliberate misbehaviour, for fault tests.
    public var faults: [InjectedFault] = []
    /// Hosted agents (0-based roster indices) that upload `ActionDistribution.confidentlyWrong()` instead of their
    /// honest distributions — a remote adversary, for robustness experiments (`fedhpd join --adversarial`).
    public var adversarialAgents: Set<Int> = []
    /// Where the hosted agents' trained policies are kept: `<root>/<the server's run folder name>/policies/
    /// agent-<k>.safetensors` (nil: not kept). Weights never leave the client.
    public var policiesRoot: URL?

    public init(
        host: String, port: Int, environment: EnvironmentSpecification, agents: [(index: Int, specification: AgentSpecification)],
        runSeed: UInt64, name: String
    ) {
        self.host = host
        self.port = port
        self.environment = environment
        self.agents = agents
        self.runSeed = runSeed
        self.name = name
    }
}

/// A deliberate fault injected by `fedhpd join --inject-fault` (for tests of the server's defences).
public struct InjectedFault: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// A NaN probability.
        case nan
        /// A negative probability (rows still sum to 1).
        case negative
        /// Rows summing to 2.
        case unnormalised
        /// One state too few.
        case shape
        /// A shape that does not match the values.
        case mismatch
        /// A message larger than the server's limit.
        case oversize
        /// The upload arrives after the server's deadline.
        case straggle
        /// The client process kills itself (SIGKILL) right after reporting that episode.
        case crash
    }

    public var kind: Kind
    /// 0-based agent index (ignored by `crash`).
    public var agent: Int
    /// The event's episode (1-based): the fault hits loop 1, part 1 of that event (`crash`: after that episode).
    public var episode: Int

    /// Parses `KIND:AGENT@EPISODE` (agent 1-based) or `crash@EPISODE`.
    public init(parsing text: String) throws {
        let pieces = text.split(separator: "@", maxSplits: 1).map(String.init)
        guard pieces.count == 2, let episode = Int(pieces[1]), episode > 0 else {
            throw NetworkError.configuration("--inject-fault '\(text)': expected KIND:AGENT@EPISODE or crash@EPISODE")
        }
        let head = pieces[0].split(separator: ":").map(String.init)
        guard let kind = Kind(rawValue: head[0]) else {
            throw NetworkError.configuration(
                "--inject-fault '\(text)': unknown kind; use \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var agent = 0
        if kind != .crash {
            guard head.count == 2, let number = Int(head[1]), number > 0 else {
                throw NetworkError.configuration("--inject-fault '\(text)': give the agent, e.g. \(kind.rawValue):3@\(episode)")
            }
            agent = number - 1
        }
        self.kind = kind
        self.agent = agent
        self.episode = episode
    }
}

/// `fedhpd join`: hosts some agents, trains them locally and takes part in every distillation event.
public enum NetworkClient {
    public struct Report: Sendable {
        /// The server's run folder.
        public var runFolder: String
        /// What the server recorded as excluded.
        public var exclusions: [String]
        /// Parts where one of this client's agents did not digest (rejected, late, no quorum).
        public var missedDigestions: Int
    }

    public static func run(_ configuration: NetworkClientConfiguration, log: NetworkLog) throws -> Report {
        guard !configuration.agents.isEmpty else { throw NetworkError.configuration("no agents to host") }
        // Build the agents first: agent k exactly as `fedhpd train` builds it.
        var agents: [ReinforceAgent] = []
        for (index, specification) in configuration.agents {
            agents.append(try FederatedTraining.makeAgent(
                index: index, specification: specification, environment: configuration.environment, runSeed: configuration.runSeed))
        }
        let connection = try Connection(configuration: configuration, log: log)
        defer { connection.close() }
        let report = try Session(configuration: configuration, connection: connection, agents: agents, log: log).run()
        if let root = configuration.policiesRoot {
            let folder = RunFolder(url: root.appendingPathComponent(URL(fileURLWithPath: report.runFolder).lastPathComponent))
            for (agent, hosted) in zip(agents, configuration.agents) {
                try SavedPolicy(
                    policy: agent.learner.policy, environment: configuration.environment.id,
                    actionSpace: configuration.environment.actionSpace, runSeed: configuration.runSeed, agentIndex: hosted.index + 1,
                    episodesTrained: agent.learner.episodesPlayed
                ).write(to: folder.policyURL(agent: hosted.index + 1))
            }
        }
        return report
    }
}

/// One gRPC client with deadlines, the token, and retries with backoff while the server is unreachable.
final class Connection: @unchecked Sendable {
    let client: GRPCClient<HTTP2ClientTransport.Posix>
    let federation: Fedhpd_Network_V1_Federation.Client<HTTP2ClientTransport.Posix>
    let metadata: Metadata
    let address: String
    let log: NetworkLog
    let configuration: NetworkClientConfiguration
    private let runner: Task<Void, Never>

    init(configuration: NetworkClientConfiguration, log: NetworkLog) throws {
        self.configuration = configuration
        self.log = log
        address = "\(configuration.host):\(configuration.port)"
        let security: HTTP2ClientTransport.Posix.TransportSecurity
        if configuration.tls || configuration.tlsTrustRoots != nil {
            security = .tls { tls in
                if let roots = configuration.tlsTrustRoots { tls.trustRoots = .certificates([.file(path: roots, format: .pem)]) }
            }
        } else {
            security = .plaintext
        }
        let host = configuration.host == "localhost" ? "127.0.0.1" : configuration.host
        let isIPv4 = host.split(separator: ".").count == 4 && host.allSatisfy { $0.isNumber || $0 == "." }
        let transport: HTTP2ClientTransport.Posix
        let config = HTTP2ClientTransport.Posix.Config.defaults { config in
            // Reconnect quickly: the client's own retry loop bounds how long it keeps trying.
            config.backoff = .init(initial: .milliseconds(200), max: .seconds(2), multiplier: 1.6, jitter: 0.2)
        }
        if isIPv4 {
            transport = try HTTP2ClientTransport.Posix(target: .ipv4(address: host, port: configuration.port), transportSecurity: security, config: config)
        } else if host.contains(":") {
            transport = try HTTP2ClientTransport.Posix(target: .ipv6(address: host, port: configuration.port), transportSecurity: security, config: config)
        } else {
            transport = try HTTP2ClientTransport.Posix(target: .dns(host: host, port: configuration.port), transportSecurity: security, config: config)
        }
        client = GRPCClient(transport: transport)
        federation = Fedhpd_Network_V1_Federation.Client(wrapping: client)
        metadata = configuration.token.map { ["authorization": "Bearer \($0)"] } ?? [:]
        let client = self.client
        runner = Task.detached { try? await client.runConnections() }
    }

    func close() {
        client.beginGracefulShutdown()
    }

    func options(timeout: Double) -> CallOptions {
        var options = CallOptions.defaults
        options.timeout = .milliseconds(Int64(timeout * 1000))
        options.waitForReady = false
        options.maxResponseMessageBytes = configuration.maxMessageBytes
        return options
    }

    /// Runs `body` until it succeeds; an unreachable server is retried with backoff for up to `window` seconds.
    @discardableResult
    func call<T: Sendable>(
        _ name: String, timeout: Double, window: Double, firstContact: Bool = false,
        _ body: @escaping @Sendable (Fedhpd_Network_V1_Federation.Client<HTTP2ClientTransport.Posix>, Metadata, CallOptions) async throws -> T
    ) throws -> T {
        try blockingAsync { try await self.callAsync(name, timeout: timeout, window: window, firstContact: firstContact, body) }
    }

    /// `call`, from async code.
    @discardableResult
    func callAsync<T: Sendable>(
        _ name: String, timeout: Double, window: Double, firstContact: Bool = false,
        _ body: @escaping @Sendable (Fedhpd_Network_V1_Federation.Client<HTTP2ClientTransport.Posix>, Metadata, CallOptions) async throws -> T
    ) async throws -> T {
        let options = options(timeout: timeout)
        var start = now()
        var delay = 0.2
        var attempts = 0
        while true {
            do {
                let result = try await body(federation, metadata, options)
                if attempts > 0 { log(firstContact ? "connected to \(address)" : "\(name): the server at \(address) answers again") }
                return result
            } catch let error as RPCError where error.code == .deadlineExceeded && timeout >= 30 {
                // A long wait (Finish): the server is waiting for slower clients. Ask again.
                log("\(name): no answer within \(seconds(timeout)) — the server is still waiting for other clients; asking again")
            } catch let error as RPCError where error.code == .unavailable || error.code == .deadlineExceeded {
                if attempts == 0 && !firstContact { start = now() }
                attempts += 1
                let waited = now() - start
                if waited + delay > window {
                    throw NetworkError.serverLost(
                        firstContact
                            ? "no server at \(address): \(attempts) attempts over \(seconds(waited.rounded())) failed (\(error.message)). Is `fedhpd serve` running there (with TLS: join --tls or --tls-ca)?"
                            : "lost the server at \(address): \(name) failed \(attempts) times over \(seconds(waited.rounded())) (\(error.message)); giving up")
                }
                if attempts == 1 {
                    log(firstContact
                        ? "no server at \(address) yet (\(error.message)); retrying for up to \(seconds(window))"
                        : "\(name): the server at \(address) does not answer (\(error.message)); retrying for up to \(seconds(window))")
                }
                try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
                delay = min(delay * 1.6, 2)
            } catch let error as RPCError where error.code == .unauthenticated {
                throw NetworkError.refused("the server at \(address) refused this client: \(error.message)")
            }
        }
    }
}

/// The client's side of one run.
final class Session {
    let configuration: NetworkClientConfiguration
    let connection: Connection
    let agents: [ReinforceAgent]
    let indices: [Int]
    let log: NetworkLog
    var sessionID = ""
    var schedule = Fedhpd_Network_V1_Schedule()
    var heartbeat: Task<Void, Never>?
    var missedDigestions = 0
    /// The latest background Report (each waits for the one before).
    var pendingReports: Task<Void, Error>?

    init(configuration: NetworkClientConfiguration, connection: Connection, agents: [ReinforceAgent], log: NetworkLog) {
        self.configuration = configuration
        self.connection = connection
        self.agents = agents
        indices = configuration.agents.map(\.index)
        self.log = log
    }

    var deadline: Double { Double(schedule.deadlineMs) / 1000 }

    func run() throws -> NetworkClient.Report {
        defer {
            heartbeat?.cancel()
            pendingReports?.cancel()
        }
        try register()
        try waitForStart()
        let parts = try fetchParts()
        LinearAlgebraLibrary.threadCount = 1
        MemoryPolicy.retainFreedMemory()
        let executor = ParallelExecutor(threadCount: configuration.threads)
        let episodes = Int(schedule.episodes)
        let interval = Int(schedule.interval)
        let loops = Int(schedule.loops)
        let retry = configuration.retryTimeout
        let start = now()
        for episode in 1...episodes {
            let reports = executor.map(agents.count) { self.agents[$0].trainOneEpisode() }
            var request = Fedhpd_Network_V1_ReportRequest()
            request.sessionID = sessionID
            request.returns = zip(indices, reports).map { index, report in
                var entry = Fedhpd_Network_V1_EpisodeReturn()
                entry.agentIndex = UInt32(index)
                entry.episode = UInt32(episode)
                entry.value = report.episodeReturn
                return entry
            }
            // Returns go out in the background (in order); the next sync point waits for them, so a lost server
            // still surfaces, but training does not wait for every round trip.
            let returnsRequest = request
            let connection = self.connection
            let previous = pendingReports
            pendingReports = Task {
                try await previous?.value
                try await connection.callAsync("Report", timeout: 10, window: retry) {
                    try await $0.report(returnsRequest, metadata: $1, options: $2)
                }
            }
            if episode == episodes { try flushReports() }
            if configuration.faults.contains(where: { $0.kind == .crash && $0.episode == episode }) {
                try flushReports()
                log("injected fault: killing this client (SIGKILL) after episode \(episode)")
                kill(getpid(), SIGKILL)
            }
            if episode % 10 == 0 || episode == episodes {
                log(String(format: "episode %d/%d (%.1f s)", episode, episodes, now() - start))
            }
            guard episode % interval == 0 else { continue }
            var losses: [Fedhpd_Network_V1_DigestionLoss] = []
            for loop in 1...loops {
                for (partIndex, part) in parts.enumerated() {
                    let distributions = executor.map(agents.count) { position -> ActionDistribution in
                        let honest = self.agents[position].actionDistribution(on: part)
                        return self.configuration.adversarialAgents.contains(self.indices[position])
                            ? honest.confidentlyWrong() : honest
                    }
                    let consensus = try submit(distributions, episode: episode, loop: loop, part: partIndex + 1)
                    let stepLosses = executor.map(agents.count) { position -> Float in
                        guard let target = consensus[position] else { return .nan }
                        return self.agents[position].digest(consensus: target, on: part, loss: .klDivergence)
                    }
                    for (position, loss) in stepLosses.enumerated() where consensus[position] != nil {
                        var entry = Fedhpd_Network_V1_DigestionLoss()
                        entry.agentIndex = UInt32(indices[position])
                        entry.episode = UInt32(episode)
                        entry.loop = UInt32(loop)
                        entry.part = UInt32(partIndex + 1)
                        entry.loss = loss
                        losses.append(entry)
                    }
                }
            }
            var lossReport = Fedhpd_Network_V1_ReportRequest()
            lossReport.sessionID = sessionID
            lossReport.losses = losses
            let lossRequest = lossReport
            let before = pendingReports
            pendingReports = Task {
                try await before?.value
                try await connection.callAsync("Report", timeout: 10, window: retry) {
                    try await $0.report(lossRequest, metadata: $1, options: $2)
                }
            }
        }
        try flushReports()
        var finish = Fedhpd_Network_V1_FinishRequest()
        finish.sessionID = sessionID
        let finishRequest = finish
        log("all \(episodes) episodes done; waiting for the server to write the run folder")
        let response: Fedhpd_Network_V1_FinishResponse
        do {
            response = try connection.call("Finish", timeout: deadline + 60, window: retry) {
                try await $0.finish(finishRequest, metadata: $1, options: $2)
            }
        } catch let error as RPCError {
            throw NetworkError.runFailed("the server could not complete the run: \(error.message)")
        }
        return NetworkClient.Report(runFolder: response.runFolder, exclusions: response.exclusions, missedDigestions: missedDigestions)
    }

    /// Waits until every background Report has been delivered.
    func flushReports() throws {
        guard let pending = pendingReports else { return }
        pendingReports = nil
        try blockingAsync { try await pending.value }
    }

    func register() throws {
        var request = Fedhpd_Network_V1_RegisterRequest()
        request.clientName = configuration.name
        request.environment = configuration.environment.id
        request.observationSize = UInt32(configuration.environment.observationSize)
        request.actionShape = WireFormat.family(WireFormat.family(for: configuration.environment))
        request.runSeed = configuration.runSeed
        request.agents = zip(indices, agents).map { index, agent in
            var registration = Fedhpd_Network_V1_AgentRegistration()
            registration.agentIndex = UInt32(index)
            registration.family = WireFormat.family(agent.distributionFamily)
            return registration
        }
        let registration = request
        let response: Fedhpd_Network_V1_RegisterResponse
        do {
            response = try connection.call("Register", timeout: 10, window: configuration.connectTimeout, firstContact: true) {
                try await $0.register(registration, metadata: $1, options: $2)
            }
        } catch let error as RPCError {
            throw NetworkError.refused("the server at \(connection.address) refused the registration: \(error.message)")
        }
        sessionID = response.sessionID
        schedule = response.schedule
        log("registered agents \(agentList(indices)) with \(connection.address): \(schedule.environment), \(schedule.episodes) episodes, "
            + "d=\(schedule.interval), \(schedule.loops) loops × \(schedule.partCount) parts, deadline \(seconds(deadline))")
        let connection = self.connection
        let sessionID = self.sessionID
        let interval = UInt64(max(100, schedule.heartbeatIntervalMs)) * 1_000_000
        heartbeat = Task.detached {
            var request = Fedhpd_Network_V1_HeartbeatRequest()
            request.sessionID = sessionID
            let message = request
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: interval)
                _ = try? await connection.federation.heartbeat(message, metadata: connection.metadata, options: connection.options(timeout: 5))
            }
        }
    }

    func waitForStart() throws {
        var request = Fedhpd_Network_V1_WaitForStartRequest()
        request.sessionID = sessionID
        let message = request
        var lastLog = now()
        while true {
            let response: Fedhpd_Network_V1_WaitForStartResponse
            do {
                response = try connection.call("WaitForStart", timeout: 15, window: configuration.retryTimeout) {
                    try await $0.waitForStart(message, metadata: $1, options: $2)
                }
            } catch let error as RPCError {
                throw NetworkError.runFailed("the server gave up before the start: \(error.message)")
            }
            if response.started { return }
            if now() - lastLog >= 10 {
                lastLog = now()
                log("waiting for the run to start: agents \(agentList(response.missingAgents.map(Int.init))) not registered yet")
            }
        }
    }

    func fetchParts() throws -> [Tensor] {
        var request = Fedhpd_Network_V1_PublicStatesRequest()
        request.sessionID = sessionID
        let message = request
        let response = try connection.call("GetPublicStates", timeout: 30, window: configuration.retryTimeout) {
            try await $0.getPublicStates(message, metadata: $1, options: $2)
        }
        let states: Tensor
        do { states = try WireFormat.tensor(response.states, field: "public states") } catch {
            throw NetworkError.runFailed("the server sent malformed public states: \(error)")
        }
        guard states.columns == configuration.environment.observationSize, response.partSize > 0 else {
            throw NetworkError.runFailed("the server's public states have \(states.columns) columns, expected \(configuration.environment.observationSize)")
        }
        let set = PublicStateSet(states: states, source: "server \(connection.address)")
        guard set.checksum == response.checksum else {
            throw NetworkError.runFailed("the public states arrived corrupted (checksum \(set.checksum), expected \(response.checksum))")
        }
        let parts = set.parts(partSize: Int(response.partSize))
        guard parts.count == Int(schedule.partCount) else {
            throw NetworkError.runFailed("the public states make \(parts.count) parts, the schedule says \(schedule.partCount)")
        }
        log("received \(set.count) public states (\(parts.count) parts)")
        return parts
    }

    /// Submits every hosted agent's distributions on one part (concurrently); returns each agent's consensus, or
    /// nil when it must not digest (rejected, late, no quorum).
    func submit(_ distributions: [ActionDistribution], episode: Int, loop: Int, part: Int) throws -> [ActionDistribution?] {
        var requests: [Fedhpd_Network_V1_SubmitRequest] = []
        var delays: [Double] = []
        var injected: [Bool] = []
        for (position, distribution) in distributions.enumerated() {
            var request = Fedhpd_Network_V1_SubmitRequest()
            request.sessionID = sessionID
            request.agentIndex = UInt32(indices[position])
            request.episode = UInt32(episode)
            request.loop = UInt32(loop)
            request.part = UInt32(part)
            request.distribution = WireFormat.distribution(distribution)
            var delay = 0.0
            var faulty = false
            for fault in configuration.faults
            where fault.agent == indices[position] && fault.episode == episode && loop == 1 && part == 1 && fault.kind != .crash {
                log("injected fault: \(fault.kind.rawValue) for agent \(fault.agent + 1) at episode \(episode) loop 1 part 1")
                if fault.kind == .straggle { delay = deadline + 1.5 } else { Self.corrupt(&request.distribution, fault.kind) }
                faulty = true
            }
            if !faulty && schedule.maxMessageBytes > 0 {
                // An honest client does not send what the server's transport would refuse.
                let size = (try? request.serializedBytes() as [UInt8])?.count ?? 0
                guard size <= Int(schedule.maxMessageBytes) else {
                    throw NetworkError.runFailed(
                        "agent \(indices[position] + 1)'s distributions on a part take \(size) bytes, over the server's "
                            + "--max-message-bytes \(schedule.maxMessageBytes); use a smaller --part-size or a larger limit")
                }
            }
            requests.append(request)
            delays.append(delay)
            injected.append(faulty)
        }
        let label = "episode \(episode) loop \(loop) part \(part)"
        let (uploads, pauses, noRetry) = (requests, delays, injected)
        let connection = self.connection
        let timeout = deadline + 30
        let window = configuration.retryTimeout
        let log = self.log
        // One call per agent, in parallel: each returns when the server has aggregated the part.
        let outcomes: [Result<Fedhpd_Network_V1_SubmitResponse, Error>] = try blockingAsync {
            try await withThrowingTaskGroup(of: (Int, Result<Fedhpd_Network_V1_SubmitResponse, Error>).self) { group in
                for (position, request) in uploads.enumerated() {
                    group.addTask {
                        if pauses[position] > 0 { try await Task.sleep(nanoseconds: UInt64(pauses[position] * 1e9)) }
                        do {
                            // A deliberately broken upload is not retried: the server refused it on purpose.
                            let response = try await Self.submitWithRetry(
                                request, connection: connection, timeout: timeout, window: noRetry[position] ? 0 : window, log: log)
                            return (position, .success(response))
                        } catch {
                            return (position, .failure(error))
                        }
                    }
                }
                var results = [Result<Fedhpd_Network_V1_SubmitResponse, Error>?](repeating: nil, count: uploads.count)
                for try await (position, result) in group { results[position] = result }
                return results.map { $0! }
            }
        }
        var consensus: [ActionDistribution?] = []
        for (position, outcome) in outcomes.enumerated() {
            let agent = indices[position] + 1
            switch outcome {
            case .success(let response):
                switch response.outcome {
                case .included:
                    do { consensus.append(try WireFormat.distribution(response.consensus)) } catch {
                        throw NetworkError.runFailed("the server sent a malformed consensus for \(label): \(error)")
                    }
                case .late:
                    log("agent \(agent), \(label): late — \(response.note); it does not digest this part")
                    consensus.append(nil)
                default:
                    log("agent \(agent), \(label): \(response.note.isEmpty ? "no consensus" : response.note); it does not digest this part")
                    consensus.append(nil)
                }
            case .failure(let error as RPCError) where [.invalidArgument, .resourceExhausted, .permissionDenied].contains(error.code):
                log("agent \(agent), \(label): the server rejected the upload (\(error.code)): \(error.message)")
                consensus.append(nil)
            case .failure(let error) where injected[position]:
                let reason = (error as? RPCError).map { "\($0.code): \($0.message)" } ?? "\(error)"
                log("agent \(agent), \(label): the server refused the deliberately broken upload (\(reason))")
                consensus.append(nil)
            case .failure(let error as RPCError):
                throw NetworkError.runFailed("agent \(agent), \(label): \(error.code): \(error.message)")
            case .failure(let error):
                throw error
            }
        }
        missedDigestions += consensus.filter { $0 == nil }.count
        return consensus
    }

    /// One Submit, retried with backoff while the server is unreachable (the server answers a repeated submission
    /// of an aggregated part with the same consensus).
    static func submitWithRetry(
        _ request: Fedhpd_Network_V1_SubmitRequest, connection: Connection, timeout: Double, window: Double, log: NetworkLog
    ) async throws -> Fedhpd_Network_V1_SubmitResponse {
        var start = now()
        var delay = 0.2
        var attempts = 0
        while true {
            do {
                return try await connection.federation.submit(request, metadata: connection.metadata, options: connection.options(timeout: timeout))
            } catch let error as RPCError where error.code == .deadlineExceeded {
                // The server holds a Submit until the part is aggregated; slower clients can make that long.
                log("agent \(request.agentIndex + 1), episode \(request.episode) loop \(request.loop) part \(request.part): "
                    + "no consensus within \(seconds(timeout)) — the server is still waiting for other agents; submitting again")
            } catch let error as RPCError where error.code == .unavailable {
                if window <= 0 { throw error }
                if attempts == 0 { start = now() }
                attempts += 1
                let waited = now() - start
                if waited + delay > window {
                    throw NetworkError.serverLost(
                        "lost the server at \(connection.address): Submit failed \(attempts) times over \(seconds(waited.rounded())) (\(error.message)); giving up")
                }
                if attempts == 1 {
                    log("Submit: the server at \(connection.address) does not answer (\(error.message)); retrying for up to \(seconds(window))")
                }
                try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
                delay = min(delay * 1.6, 2)
            } catch let error as RPCError where error.code == .unauthenticated {
                throw NetworkError.refused("the server at \(connection.address) refused this client: \(error.message)")
            }
        }
    }

    /// Damages an upload the way a buggy or hostile client might.
    static func corrupt(_ distribution: inout Fedhpd_Network_V1_ActionDistribution, _ kind: InjectedFault.Kind) {
        guard case .categorical(var categorical)? = distribution.distribution else { return }
        var matrix = categorical.probabilities
        let columns = Int(matrix.columns)
        switch kind {
        case .nan: matrix.values[0] = .nan
        case .negative:
            matrix.values[0] -= 0.75
            matrix.values[1] += 0.75
        case .unnormalised: matrix.values = matrix.values.map { $0 * 2 }
        case .shape:
            matrix.rows -= 1
            matrix.values.removeLast(columns)
        case .mismatch: matrix.rows += 1
        case .oversize: matrix.values += [Float](repeating: 0.5, count: 2_000_000)
        case .straggle, .crash: break
        }
        categorical.probabilities = matrix
        distribution.distribution = .categorical(categorical)
    }
}
#endif
