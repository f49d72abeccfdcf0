#if Network
import Foundation
import Logging
import GRPCCore
import HPDFederation
import HPDTensor
import HPDWireFormat

/// The server's state machine: registration, the lock-step rounds of every distillation event (one round per
/// (event, loop, part)), episode returns and digestion losses, lost clients, and the end of the run.
///
/// A round closes when every agent of every live client has answered (an accepted or a rejected upload), or when
/// its deadline passes (counted from the moment it is the oldest open round and someone has answered). Its
/// consensus is the aggregation of the accepted distributions in agent-index order — so it never depends on arrival
/// order — provided at least `quorum` were accepted. Rounds close strictly in order.
actor FederationCoordinator {
    /// What a submitter learns when its round closes.
    enum RoundResult: Sendable {
        case included(consensus: ActionDistribution, contributors: Int)
        case late(String)
        case noQuorum(String)
    }

    struct Session {
        let id: String
        let name: String
        let peer: String
        var agents: [Int]
        var lastSeen: Double
        var alive = true
        var finished = false
    }

    struct Round {
        let sequence: Int
        let episode: Int
        let loop: Int
        let part: Int
        var accepted: [Int: ActionDistribution] = [:]
        var rejected: [Int: String] = [:]
        var waiters: [(agent: Int, continuation: CheckedContinuation<RoundResult, Never>)] = []
        var deadline: Double?
        var answered: Set<Int> { Set(accepted.keys).union(rejected.keys) }
    }

    struct ClosedRound {
        var consensus: ActionDistribution?
        var included: Set<Int>
        var note: String
    }

    enum Phase: Equatable {
        case registering
        case running
        case finished
        case failed(String)
    }

    /// How the run ended.
    struct Outcome: Sendable {
        var folder: URL
        var failure: String?
        var exclusions: [String]
        var events: Int
        var distillationSeconds: Double
        var wallSeconds: Double
    }

    let configuration: NetworkServerConfiguration
    /// The server's events: to the executable's log handler and to `serverLog` (server.log in the run folder).
    let logger: Logger
    let serverLog: ServerLogRecorder
    let partRows: [Int]
    /// When events happen and how their rounds are numbered (the one schedule every trainer uses).
    let plan: DistillationSchedule
    let agentCount: Int
    let expectedFamily: DistributionFamily
    /// `ServedTask.fingerprint` of the configuration given at launch: identifies the run to clients.
    let fingerprint: String
    let createdAt = now()

    /// The run as config.json records it: the launch configuration with every server-assigned place's agent
    /// replaced by `ServedTask.undisclosedAgent` when the run starts.
    var run: FederationConfiguration
    /// Places assigned by the server (their agents' architectures are undisclosed).
    var assignedPlaces: Set<Int> = []

    var phase = Phase.registering
    var sessions: [String: Session] = [:]
    var owner: [Int: String] = [:]
    var startedAt: Double?
    var returns: [[Double?]]
    var losses: [Int: [Float?]] = [:]
    var rounds: [Int: Round] = [:]
    var closedThrough = -1
    var closedRounds: [Int: ClosedRound] = [:]
    var roundSeconds = 0.0
    var exclusionLines: [String] = []
    var exclusionRows: [ExclusionRecord] = []
    var eventStarts: [Int: Double] = [:]
    var finishDeadline: Double?
    var finishWaiters: [(session: String, continuation: CheckedContinuation<Result<Outcome, NetworkError>, Never>)] = []
    var outcome: Outcome?
    var outcomeWaiters: [CheckedContinuation<Outcome, Never>] = []
    var lastProgressLog = 0.0
    var released: Set<String> = []
    /// What the server has acknowledged, line by line, for `fedhpd serve --resume` (nil: not kept).
    let journal: ServerJournal?
    var journalFailed = false
    /// DPA-FedRL only: the server's own environment, walked with the consensus of every closed round.
    let serverEnvironment: DPAFedRLServer?
    /// DPA-FedRL only: the states of recent rounds (by sequence), and the clients waiting for a round's states.
    var roundStates: [Int: Tensor] = [:]
    var roundStateWaiters: [Int: [CheckedContinuation<Tensor, Never>]] = [:]

    init(configuration: NetworkServerConfiguration, logger: Logger, journal: ServerJournal? = nil) {
        self.configuration = configuration
        let recorder = ServerLogRecorder()
        serverLog = recorder
        self.logger = recorder.recording(logger)
        self.journal = journal
        // NoFed: no event at all (the interval lies beyond the last episode); the clients still receive the schedule.
        // DPA-FedRL: one round per event, on one state of the server's environment.
        switch configuration.run.method {
        case .fedhpd:
            partRows = configuration.publicStates.parts(partSize: configuration.run.partSize).map(\.rows)
            plan = DistillationSchedule(configuration.run, partCount: max(1, partRows.count))
        case .nofed:
            partRows = [1]
            plan = DistillationSchedule(
                episodes: configuration.run.episodes, interval: configuration.run.episodes + 1,
                loops: configuration.run.loops, partCount: 1)
        case .dpa:
            partRows = [1]
            plan = DistillationSchedule(episodes: configuration.run.episodes, interval: configuration.run.interval)
        }
        // `NetworkServerConfiguration.validate` has checked that a DPA server can build its environment.
        serverEnvironment =
            configuration.run.method == .dpa
            ? try? DPAFedRLServer(
                environment: configuration.environment, aggregation: configuration.aggregation,
                runSeed: configuration.run.seed) : nil
        agentCount = configuration.agentsExpected
        expectedFamily = WireFormat.family(for: configuration.environment)
        fingerprint = ServedTask.fingerprint(of: configuration.run)
        run = configuration.run
        returns = Array(
            repeating: Array(repeating: nil, count: configuration.agentsExpected), count: configuration.run.episodes)
    }

    // MARK: Schedule

    var loops: Int { plan.loops }
    var partCount: Int { partRows.count }
    var interval: Int { plan.interval }
    var episodes: Int { plan.episodes }
    var roundsPerEvent: Int { plan.stepsPerEvent }
    var eventCount: Int { plan.eventCount }

    /// The round number of (event episode, loop, part), all 1-based; nil when it is not in the schedule.
    func sequence(episode: Int, loop: Int, part: Int) -> Int? {
        plan.sequence(episode: episode, loop: loop, part: part)
    }

    var schedule: Fedhpd_Network_V1_Schedule {
        var schedule = Fedhpd_Network_V1_Schedule()
        schedule.environment = configuration.environment.id
        schedule.interval = UInt32(interval)
        schedule.episodes = UInt32(episodes)
        schedule.loops = UInt32(loops)
        schedule.partCount = UInt32(partCount)
        schedule.partSize = UInt32(configuration.run.partSize)
        schedule.agentsExpected = UInt32(agentCount)
        schedule.deadlineMs = UInt32(configuration.deadline * 1000)
        schedule.runSeed = configuration.run.seed
        schedule.heartbeatIntervalMs = UInt32(max(200, configuration.heartbeatTimeout * 1000 / 5))
        schedule.maxMessageBytes = UInt32(configuration.maxMessageBytes)
        schedule.configurationFingerprint = fingerprint
        if serverEnvironment != nil {
            schedule.stateSource = .serverState
            schedule.digestion = .squaredError
        }
        return schedule
    }

    // MARK: Sessions

    func session(_ id: String, for method: String) throws -> Session {
        guard var session = sessions[id] else {
            logger.info("refused a call to \(method): unknown session '\(id.prefix(64))'")
            throw RPCError(code: .failedPrecondition, message: "\(method): unknown session '\(id)'; register first")
        }
        session.lastSeen = now()
        if !session.alive {
            session.alive = true
            logger.info("client '\(session.name)' (agents \(agentList(session.agents))) is back")
        }
        sessions[id] = session
        return session
    }

    func requireRunning(_ method: String) throws {
        switch phase {
        case .running: return
        case .registering:
            throw RPCError(
                code: .failedPrecondition, message: "\(method): the run has not started (agents still registering)")
        case .finished:
            throw RPCError(code: .failedPrecondition, message: "\(method): the run is over")
        case .failed(let reason):
            throw RPCError(code: .aborted, message: "\(method): the run failed: \(reason)")
        }
    }

    func register(
        _ request: Fedhpd_Network_V1_RegisterRequest, peer: String
    ) throws -> Fedhpd_Network_V1_RegisterResponse {
        let name = request.clientName.isEmpty ? peer : String(request.clientName.prefix(64))
        func refuse(_ code: RPCError.Code, _ message: String) -> RPCError {
            logger.info("refused registration from '\(name)' (\(peer)): \(message)")
            return RPCError(code: code, message: message)
        }
        switch phase {
        case .registering: break
        case .failed(let reason): throw refuse(.aborted, "the run failed: \(reason)")
        default: throw refuse(.failedPrecondition, "the run has already started; agents can only join before it starts")
        }
        let environment = configuration.environment
        guard request.environment == environment.id else {
            throw refuse(.failedPrecondition, "the server runs \(environment.id), the client \(request.environment)")
        }
        guard request.observationSize == environment.observationSize else {
            throw refuse(
                .failedPrecondition,
                "observation size \(request.observationSize), expected \(environment.observationSize)")
        }
        guard (try? WireFormat.family(request.actionShape)) == expectedFamily else {
            throw refuse(.failedPrecondition, "action shape differs from \(environment.id)'s (\(expectedFamily))")
        }
        guard request.runSeed == configuration.run.seed else {
            throw refuse(
                .failedPrecondition,
                "run seed \(request.runSeed) differs from the server's \(configuration.run.seed) (agent k's streams derive from (seed, k))"
            )
        }
        guard request.configurationFingerprint.isEmpty || request.configurationFingerprint == fingerprint else {
            throw refuse(
                .failedPrecondition,
                "the client belongs to another run (configuration fingerprint \(request.configurationFingerprint)); "
                    + "this server runs configuration \(fingerprint)")
        }
        let indices = try places(request, refuse: refuse)
        let id = UUID().uuidString
        record(
            ServerJournal.Entry(
                registration: .init(id: id, name: name, peer: peer, agents: indices, assigned: request.placeCount > 0)))
        sessions[id] = Session(id: id, name: name, peer: peer, agents: indices, lastSeen: now())
        for index in indices { owner[index] = id }
        let missing = missingAgents
        logger.info(
            Logger.Message(
                stringLiteral:
                    "client '\(name)' (\(peer)) registered agents \(agentList(indices))"
                    + (request.placeCount > 0 ? " (places assigned by the server; architectures undisclosed)" : "")
                    + (missing.isEmpty ? "" : "; waiting for agents \(agentList(missing))")))
        if missing.isEmpty { start() }
        var response = Fedhpd_Network_V1_RegisterResponse()
        response.sessionID = id
        response.schedule = schedule
        response.agentIndices = indices.map(UInt32.init)
        return response
    }

    /// The places a registration claims: the listed ones (each in range, listed once, free, of the task's family),
    /// or — when it asks for `place_count` places — the lowest free ones, whose architectures stay undisclosed.
    func places(
        _ request: Fedhpd_Network_V1_RegisterRequest, refuse: (RPCError.Code, String) -> RPCError
    ) throws -> [Int] {
        let requested = Int(request.placeCount)
        if requested > 0 {
            guard request.agents.isEmpty else {
                throw refuse(.invalidArgument, "give either explicit agents or a number of places to assign, not both")
            }
            let free = missingAgents
            guard requested <= free.count else {
                throw refuse(
                    .resourceExhausted,
                    "asked for \(requested) places but only \(free.count) of \(agentCount) are free"
                        + (free.isEmpty ? "" : " (\(agentList(free)))"))
            }
            let assigned = Array(free.prefix(requested))
            assignedPlaces.formUnion(assigned)
            return assigned
        }
        guard !request.agents.isEmpty else { throw refuse(.invalidArgument, "no agents to register") }
        var indices: [Int] = []
        for agent in request.agents {
            let index = Int(agent.agentIndex)
            guard index < agentCount else {
                throw refuse(.invalidArgument, "agent \(index + 1) is out of range: the run has \(agentCount) agents")
            }
            guard !indices.contains(index) else { throw refuse(.invalidArgument, "agent \(index + 1) is listed twice") }
            if let holder = owner[index], let session = sessions[holder] {
                throw refuse(.alreadyExists, "agent \(index + 1) is already hosted by client '\(session.name)'")
            }
            guard let family = try? WireFormat.family(agent.family), family == expectedFamily else {
                throw refuse(.invalidArgument, "agent \(index + 1): distribution family must be \(expectedFamily)")
            }
            indices.append(index)
        }
        return indices
    }

    var missingAgents: [Int] { (0..<agentCount).filter { owner[$0] == nil } }

    /// Starts the run: config.json is written, the schedule runs (`replaying`: rebuilt from the journal, not
    /// recorded again).
    func start(replaying: Bool = false) {
        phase = .running
        startedAt = now()
        lastProgressLog = now()
        if !replaying { record(ServerJournal.Entry(started: true)) }
        for place in assignedPlaces { run.agents[place] = ServedTask.undisclosedAgent(for: configuration.environment) }
        do { try configuration.folder.writeConfiguration(run) } catch {
            logger.warning("cannot write \(configuration.folder.configurationURL.path): \(error)")
        }
        let clients = sessions.values.sorted { $0.agents.min()! < $1.agents.min()! }
            .map { "'\($0.name)' (\(agentList($0.agents)))" }.joined(separator: ", ")
        logger.info(
            Logger.Message(
                stringLiteral:
                    "all \(agentCount) agents registered: \(clients); the run starts (\(episodes) episodes, d=\(interval), "
                    + "\(eventCount) events × \(loops) loops × \(partCount) parts)"))
    }

    func waitForStartStatus(_ sessionID: String) throws -> (started: Bool, missing: [Int]) {
        _ = try session(sessionID, for: "WaitForStart")
        switch phase {
        case .registering: return (false, missingAgents)
        case .failed(let reason): throw RPCError(code: .aborted, message: "the run failed: \(reason)")
        default: return (true, [])
        }
    }

    func heartbeat(_ sessionID: String) throws {
        _ = try session(sessionID, for: "Heartbeat")
    }

    func publicStates(_ sessionID: String) throws -> Fedhpd_Network_V1_PublicStatesResponse {
        _ = try session(sessionID, for: "GetPublicStates")
        var response = Fedhpd_Network_V1_PublicStatesResponse()
        response.states = WireFormat.matrix(configuration.publicStates.states)
        response.partSize = UInt32(configuration.run.partSize)
        response.checksum = configuration.publicStates.checksum
        return response
    }
}
#endif
