#if Network
import Foundation
import GRPCCore
import HPDFederation
import HPDTensor

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
    let log: NetworkLog
    let partRows: [Int]
    let agentCount: Int
    let expectedFamily: DistributionFamily
    let createdAt = now()

    private(set) var phase = Phase.registering
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

    init(configuration: NetworkServerConfiguration, log: NetworkLog) {
        self.configuration = configuration
        self.log = log
        partRows = configuration.publicStates.parts(partSize: configuration.run.partSize).map(\.rows)
        agentCount = configuration.agentsExpected
        expectedFamily = WireFormat.family(for: configuration.environment)
        returns = Array(repeating: Array(repeating: nil, count: configuration.agentsExpected), count: configuration.run.episodes)
    }

    // MARK: Schedule

    var loops: Int { configuration.run.loops }
    var partCount: Int { partRows.count }
    var interval: Int { configuration.run.interval }
    var episodes: Int { configuration.run.episodes }
    var roundsPerEvent: Int { loops * partCount }
    var eventCount: Int { episodes / interval }

    /// The round number of (event episode, loop, part), all 1-based; nil when it is not in the schedule.
    func sequence(episode: Int, loop: Int, part: Int) -> Int? {
        guard episode >= interval, episode <= episodes, episode % interval == 0, (1...loops).contains(loop),
            (1...partCount).contains(part)
        else { return nil }
        return ((episode / interval - 1) * loops + (loop - 1)) * partCount + (part - 1)
    }

    func position(of sequence: Int) -> (episode: Int, loop: Int, part: Int) {
        let event = sequence / roundsPerEvent
        let withinEvent = sequence % roundsPerEvent
        return ((event + 1) * interval, withinEvent / partCount + 1, withinEvent % partCount + 1)
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
        return schedule
    }

    // MARK: Sessions

    func session(_ id: String, for method: String) throws -> Session {
        guard var session = sessions[id] else {
            throw RPCError(code: .failedPrecondition, message: "\(method): unknown session '\(id)'; register first")
        }
        session.lastSeen = now()
        if !session.alive {
            session.alive = true
            log("client '\(session.name)' (agents \(agentList(session.agents))) is back")
        }
        sessions[id] = session
        return session
    }

    func requireRunning(_ method: String) throws {
        switch phase {
        case .running: return
        case .registering:
            throw RPCError(code: .failedPrecondition, message: "\(method): the run has not started (agents still registering)")
        case .finished:
            throw RPCError(code: .failedPrecondition, message: "\(method): the run is over")
        case .failed(let reason):
            throw RPCError(code: .aborted, message: "\(method): the run failed: \(reason)")
        }
    }

    func register(_ request: Fedhpd_Network_V1_RegisterRequest, peer: String) throws -> Fedhpd_Network_V1_RegisterResponse {
        let name = request.clientName.isEmpty ? peer : String(request.clientName.prefix(64))
        func refuse(_ code: RPCError.Code, _ message: String) -> RPCError {
            log("refused registration from '\(name)' (\(peer)): \(message)")
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
            throw refuse(.failedPrecondition, "observation size \(request.observationSize), expected \(environment.observationSize)")
        }
        guard (try? WireFormat.family(request.actionShape)) == expectedFamily else {
            throw refuse(.failedPrecondition, "action shape differs from \(environment.id)'s (\(expectedFamily))")
        }
        guard request.runSeed == configuration.run.seed else {
            throw refuse(
                .failedPrecondition,
                "run seed \(request.runSeed) differs from the server's \(configuration.run.seed) (agent k's streams derive from (seed, k))")
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
        let id = UUID().uuidString
        sessions[id] = Session(id: id, name: name, peer: peer, agents: indices, lastSeen: now())
        for index in indices { owner[index] = id }
        let missing = missingAgents
        log("client '\(name)' (\(peer)) registered agents \(agentList(indices))"
            + (missing.isEmpty ? "" : "; waiting for agents \(agentList(missing))"))
        if missing.isEmpty { start() }
        var response = Fedhpd_Network_V1_RegisterResponse()
        response.sessionID = id
        response.schedule = schedule
        return response
    }

    var missingAgents: [Int] { (0..<agentCount).filter { owner[$0] == nil } }

    func start() {
        phase = .running
        startedAt = now()
        lastProgressLog = now()
        let clients = sessions.values.sorted { $0.agents.min()! < $1.agents.min()! }
            .map { "'\($0.name)' (\(agentList($0.agents)))" }.joined(separator: ", ")
        log("all \(agentCount) agents registered: \(clients); the run starts (\(episodes) episodes, d=\(interval), "
            + "\(eventCount) events × \(loops) loops × \(partCount) parts)")
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

    // MARK: Reports

    func report(_ request: Fedhpd_Network_V1_ReportRequest) throws {
        let session = try session(request.sessionID, for: "Report")
        if case .failed(let reason) = phase { throw RPCError(code: .aborted, message: "the run failed: \(reason)") }
        guard phase == .running else { return }  // late reports after the results were written are ignored
        let hosted = Set(session.agents)
        for entry in request.returns {
            let agent = Int(entry.agentIndex)
            let episode = Int(entry.episode)
            guard hosted.contains(agent) else {
                throw RPCError(code: .permissionDenied, message: "agent \(agent + 1) is not hosted by this session")
            }
            guard (1...episodes).contains(episode) else {
                throw RPCError(code: .invalidArgument, message: "episode \(episode) is outside 1...\(episodes)")
            }
            guard entry.value.isFinite else {
                throw RPCError(code: .invalidArgument, message: "agent \(agent + 1) episode \(episode): return \(entry.value) is not finite")
            }
            if returns[episode - 1][agent] == nil { returns[episode - 1][agent] = entry.value }
        }
        for entry in request.losses {
            let agent = Int(entry.agentIndex)
            guard hosted.contains(agent) else {
                throw RPCError(code: .permissionDenied, message: "agent \(agent + 1) is not hosted by this session")
            }
            guard let sequence = sequence(episode: Int(entry.episode), loop: Int(entry.loop), part: Int(entry.part)) else {
                throw RPCError(code: .invalidArgument, message: "episode \(entry.episode) loop \(entry.loop) part \(entry.part) is not in the schedule")
            }
            var row = losses[sequence] ?? Array(repeating: nil, count: agentCount)
            if row[agent] == nil { row[agent] = entry.loss }
            losses[sequence] = row
        }
        // A client still training its way to the current sync point is slow, not lost: its reports extend the
        // deadline that waits for it.
        if let round = rounds[closedThrough + 1], round.deadline != nil, !Set(session.agents).isSubset(of: round.answered) {
            rounds[closedThrough + 1]!.deadline = now() + configuration.deadline
        }
        if finishDeadline != nil && !session.finished { finishDeadline = now() + configuration.deadline }
        logProgress()
    }

    /// A progress line at most every 10 s: episodes every agent has reported.
    func logProgress() {
        guard now() - lastProgressLog >= 10 else { return }
        lastProgressLog = now()
        let complete = returns.prefix { row in row.allSatisfy { $0 != nil } }.count
        log("progress: \(complete)/\(episodes) episodes reported by every agent, \(closedThrough + 1)/\(eventCount * roundsPerEvent) rounds aggregated")
    }

    // MARK: Rounds

    func submit(_ request: Fedhpd_Network_V1_SubmitRequest) async throws -> RoundResult {
        let session = try session(request.sessionID, for: "Submit")
        try requireRunning("Submit")
        let agent = Int(request.agentIndex)
        guard session.agents.contains(agent) else {
            throw RPCError(code: .permissionDenied, message: "agent \(agent + 1) is not hosted by this session")
        }
        let (episode, loop, part) = (Int(request.episode), Int(request.loop), Int(request.part))
        guard let sequence = sequence(episode: episode, loop: loop, part: part) else {
            throw RPCError(code: .invalidArgument, message: "episode \(episode) loop \(loop) part \(part) is not a round of this run")
        }
        let label = "episode \(episode) loop \(loop) part \(part)"
        if sequence <= closedThrough {
            // Already aggregated: a retry after a lost answer gets the same consensus; a straggler is told it is late.
            if let closed = closedRounds[sequence], let consensus = closed.consensus, closed.included.contains(agent) {
                return .included(consensus: consensus, contributors: closed.included.count)
            }
            log("agent \(agent + 1) late for \(label): aggregated without it")
            return .late("\(label) was aggregated without agent \(agent + 1) (past the deadline)")
        }
        if sequence % roundsPerEvent == 0 && eventStarts[sequence / roundsPerEvent] == nil {
            eventStarts[sequence / roundsPerEvent] = now()
        }
        var round = rounds[sequence] ?? Round(sequence: sequence, episode: episode, loop: loop, part: part)
        if round.answered.contains(agent) {
            if round.rejected[agent] != nil {
                throw RPCError(code: .invalidArgument, message: "agent \(agent + 1), \(label): already rejected: \(round.rejected[agent]!)")
            }
        } else {
            do {
                let distribution: ActionDistribution
                do { distribution = try WireFormat.distribution(request.distribution) } catch {
                    throw FederationError.invalidDistribution(error.description)
                }
                try distribution.validate(expectedFamily: expectedFamily, stateCount: partRows[part - 1])
                round.accepted[agent] = distribution
            } catch {
                let reason = "rejected upload: \(error)"
                round.rejected[agent] = reason
                rounds[sequence] = round
                log("agent \(agent + 1) (client '\(session.name)'), \(label): \(reason)")
                advance()
                throw RPCError(code: .invalidArgument, message: "agent \(agent + 1), \(label): \(error)")
            }
        }
        rounds[sequence] = round
        return await withCheckedContinuation { continuation in
            rounds[sequence]!.waiters.append((agent, continuation))
            advance()
        }
    }

    /// The agents whose client is alive.
    var liveAgents: Set<Int> {
        Set(sessions.values.filter(\.alive).flatMap(\.agents))
    }

    /// Closes every round that can close, oldest first; arms the deadline of the oldest open one.
    func advance() {
        while var round = rounds[closedThrough + 1] {
            let waitingFor = liveAgents.subtracting(round.answered)
            if waitingFor.isEmpty || (round.deadline.map { now() >= $0 } ?? false) {
                close(round)
                continue
            }
            if round.deadline == nil {
                let deadline = now() + configuration.deadline
                round.deadline = deadline
                rounds[round.sequence] = round
                let sequence = round.sequence
                let first = configuration.deadline
                Task { [weak self] in
                    var wait = first
                    while true {
                        try? await Task.sleep(nanoseconds: UInt64(wait * 1e9) + 1_000_000)
                        guard let remaining = await self?.remainingTime(sequence) else { return }
                        wait = remaining
                    }
                }
            }
            break
        }
    }

    /// Seconds until round `sequence`'s (possibly extended) deadline; nil once it has closed.
    func remainingTime(_ sequence: Int) -> Double? {
        guard let deadline = rounds[sequence]?.deadline else { return nil }
        if now() < deadline { return deadline - now() }
        advance()
        return rounds[sequence] == nil ? nil : 0.05
    }

    func close(_ round: Round) {
        let included = round.accepted.keys.sorted()
        let label = "episode \(round.episode): loop \(round.loop) part \(round.part)"
        var reasons: [Int: String] = round.rejected
        for agent in 0..<agentCount where !round.answered.contains(agent) {
            if let id = owner[agent], let session = sessions[id], !session.alive {
                reasons[agent] = "client '\(session.name)' lost"
            } else {
                reasons[agent] = "no distributions within the \(seconds(configuration.deadline)) deadline"
            }
        }
        var result: RoundResult
        var closed = ClosedRound(consensus: nil, included: [], note: "")
        if included.count >= configuration.quorum {
            // Weighted strategies see each agent's recent returns over the episodes every agent has reported.
            let reported = returns.prefix(round.episode).prefix { row in row.allSatisfy { $0 != nil } }
            let context = AggregationContext(returns: reported.map { row in row.map { $0! } })
            let consensus = configuration.aggregation.aggregate(
                included.map { round.accepted[$0]! }, agentIndices: included, context: context)
            result = .included(consensus: consensus, contributors: included.count)
            closed = ClosedRound(consensus: consensus, included: Set(included), note: "")
        } else {
            let note = "no consensus: \(included.count) of \(agentCount) agents' distributions accepted, quorum \(configuration.quorum)"
            result = .noQuorum("\(label): \(note)")
            closed.note = note
        }
        if !reasons.isEmpty {
            var groups: [String: [Int]] = [:]
            for (agent, reason) in reasons { groups[reason, default: []].append(agent) }
            let details = groups.sorted { $0.value.min()! < $1.value.min()! }.map { reason, agents in
                "agent\(agents.count > 1 ? "s" : "") \(agentList(agents)) excluded: \(reason)"
            }
            let line = included.count >= configuration.quorum
                ? "\(label): aggregated over \(included.count) of \(agentCount) agents; " + details.joined(separator: "; ")
                : "\(label): \(closed.note); " + details.joined(separator: "; ")
            exclusionLines.append(line)
            for (agent, reason) in reasons.sorted(by: { $0.key < $1.key }) {
                exclusionRows.append(ExclusionRecord(episode: round.episode, loop: round.loop, part: round.part, agent: agent, reason: reason))
            }
            log(line)
        }
        for waiter in round.waiters {
            switch result {
            case .included where !closed.included.contains(waiter.agent):
                waiter.continuation.resume(returning: .late("\(label): aggregated without agent \(waiter.agent + 1)"))
            default:
                waiter.continuation.resume(returning: result)
            }
        }
        closedRounds[round.sequence] = closed
        closedRounds[round.sequence - 2 * roundsPerEvent] = nil
        rounds[round.sequence] = nil
        closedThrough = round.sequence
        if round.sequence % roundsPerEvent == roundsPerEvent - 1 {
            if let start = eventStarts[round.sequence / roundsPerEvent] { roundSeconds += now() - start }
            logProgress()
        }
    }

    // MARK: Liveness and the end of the run

    /// Called every half second: lost clients, the registration deadline, the end-of-run deadline.
    func tick() {
        let time = now()
        for (id, session) in sessions where session.alive && time - session.lastSeen > configuration.heartbeatTimeout {
            sessions[id]!.alive = false
            switch phase {
            case .registering:
                log("client '\(session.name)' (agents \(agentList(session.agents))) lost before the start: "
                    + "no call for \(seconds(configuration.heartbeatTimeout)); its agents are unregistered")
                for agent in session.agents { owner[agent] = nil }
                sessions[id] = nil
            case .running:
                log("client '\(session.name)' (agents \(agentList(session.agents))) lost: no call for "
                    + "\(seconds(configuration.heartbeatTimeout)); no longer waiting for its agents")
                advance()
            default: break
            }
        }
        switch phase {
        case .registering:
            let waited = time - createdAt
            if waited >= configuration.registrationTimeout {
                let registered = sessions.values.sorted { $0.agents.min()! < $1.agents.min()! }
                    .map { "\(agentList($0.agents)) from '\($0.name)'" }
                fail("gave up after \(seconds(configuration.registrationTimeout)) waiting for agents: missing \(agentList(missingAgents))"
                    + (registered.isEmpty ? " (none registered)" : " (registered: \(registered.joined(separator: ", ")))"))
            } else if time - lastProgressLog >= 5 {
                lastProgressLog = time
                log("waiting for agents \(agentList(missingAgents)) (\(sessions.isEmpty ? "none registered yet" : "\(agentCount - missingAgents.count) registered")); "
                    + "giving up in \(seconds((configuration.registrationTimeout - waited).rounded()))")
            }
        case .running:
            if sessions.values.allSatisfy({ !$0.alive }) {
                complete(failure: "every client was lost")
            } else if let finishDeadline, time >= finishDeadline {
                complete(failure: nil)
            } else {
                checkFinished()
            }
        default: break
        }
    }

    func finish(_ sessionID: String) async -> Result<Outcome, NetworkError> {
        guard let session = try? session(sessionID, for: "Finish") else {
            return .failure(.refused("Finish: unknown session"))
        }
        sessions[sessionID]!.finished = true
        if let outcome {
            released.insert(sessionID)
            return outcome.failure.map { .failure(.runFailed($0)) } ?? .success(outcome)
        }
        if case .failed(let reason) = phase { return .failure(.runFailed(reason)) }
        let waitingFor = sessions.values.filter { $0.alive && !$0.finished }.map { "'\($0.name)' (agents \(agentList($0.agents)))" }
        log("client '\(session.name)' finished its \(episodes) episodes"
            + (waitingFor.isEmpty ? "" : "; waiting for \(waitingFor.sorted().joined(separator: ", "))"))
        if finishDeadline == nil { finishDeadline = now() + configuration.deadline }
        return await withCheckedContinuation { continuation in
            finishWaiters.append((sessionID, continuation))
            checkFinished()
        }
    }

    func checkFinished() {
        guard phase == .running else { return }
        let done = sessions.values.allSatisfy { $0.finished || !$0.alive }
        if done && sessions.values.contains(where: \.finished) { complete(failure: nil) }
    }

    /// Writes the run folder and releases the clients.
    func complete(failure: String?) {
        guard phase == .running else { return }
        phase = .finished
        // Rounds still open (a client lost mid-event) close now, so that every waiter is answered.
        while let round = rounds[closedThrough + 1] { close(round) }
        for round in rounds.values.sorted(by: { $0.sequence < $1.sequence }) {
            for waiter in round.waiters { waiter.continuation.resume(returning: .late("the run is over")) }
        }
        rounds.removeAll()
        var matrix: [[Double]] = []
        for row in returns { matrix.append(row.map { $0 ?? .nan }) }
        for agent in 0..<agentCount {
            let missing = (0..<episodes).filter { returns[$0][agent] == nil }
            guard !missing.isEmpty else { continue }
            let client = owner[agent].flatMap { sessions[$0] }
            let why = client.map { $0.alive ? "client '\($0.name)' did not report them in time" : "client '\($0.name)' lost" } ?? "never registered"
            let line = "agent \(agent + 1): no return for episode\(missing.count > 1 ? "s" : "") \(agentList(missing)) (\(why)); recorded as nan"
            exclusionLines.append(line)
            log(line)
        }
        if let failure { exclusionLines.append("run incomplete: \(failure)") }
        var records: [LossRecord] = []
        for sequence in 0...max(closedThrough, -1) where closedThrough >= 0 {
            let (episode, loop, part) = position(of: sequence)
            let row = losses[sequence] ?? Array(repeating: nil, count: agentCount)
            records.append(LossRecord(episode: episode, loop: loop, part: part, losses: row.map { $0 ?? .nan }))
        }
        let wall = now() - (startedAt ?? createdAt)
        let folder = configuration.folder
        var writeFailure: String?
        do {
            try RunFolderWriter.write(
                folder: folder, configuration: configuration.run, returns: matrix, records: records,
                exclusions: exclusionLines, exclusionRows: exclusionRows, thresholds: configuration.thresholds,
                timings: NetworkTimings(
                    wallSeconds: wall, distillationSeconds: roundSeconds,
                    distillationEvents: (closedThrough + 1) / roundsPerEvent, rounds: closedThrough + 1,
                    clients: sessions.count, excludedRoundCount: Set(exclusionRows.map { "\($0.episode),\($0.loop),\($0.part)" }).count),
                log: log.lines)
        } catch {
            writeFailure = "cannot write the run folder \(folder.url.path): \(error)"
        }
        let result = Outcome(
            folder: folder.url, failure: writeFailure ?? failure.map { "\($0); partial results in \(folder.url.path)" },
            exclusions: exclusionLines, events: (closedThrough + 1) / max(1, roundsPerEvent), distillationSeconds: roundSeconds,
            wallSeconds: wall)
        outcome = result
        if let failure = result.failure { log("run failed: \(failure)") } else { log("run complete: \(folder.url.path)") }
        for waiter in finishWaiters {
            released.insert(waiter.session)
            waiter.continuation.resume(returning: result.failure.map { .failure(.runFailed($0)) } ?? .success(result))
        }
        finishWaiters.removeAll()
        for waiter in outcomeWaiters { waiter.resume(returning: result) }
        outcomeWaiters.removeAll()
    }

    func fail(_ reason: String) {
        guard outcome == nil else { return }
        phase = .failed(reason)
        log("run failed: \(reason)")
        for round in rounds.values {
            for waiter in round.waiters { waiter.continuation.resume(returning: .late("the run failed: \(reason)")) }
        }
        rounds.removeAll()
        for waiter in finishWaiters { waiter.continuation.resume(returning: .failure(.runFailed(reason))) }
        finishWaiters.removeAll()
        let result = Outcome(
            folder: configuration.folder.url, failure: reason, exclusions: exclusionLines, events: 0, distillationSeconds: 0,
            wallSeconds: now() - createdAt)
        outcome = result
        for waiter in outcomeWaiters { waiter.resume(returning: result) }
        outcomeWaiters.removeAll()
    }

    /// Suspends until the run has ended (written or failed).
    func waitForOutcome() async -> Outcome {
        if let outcome { return outcome }
        return await withCheckedContinuation { outcomeWaiters.append($0) }
    }

    /// Whether every live client has been answered its Finish.
    var everyLiveClientReleased: Bool {
        sessions.values.allSatisfy { !$0.alive || released.contains($0.id) }
    }
}
#endif
