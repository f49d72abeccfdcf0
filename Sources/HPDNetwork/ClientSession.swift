#if Network
import Foundation
import Logging
import GRPCCore
import HPDFederation
import HPDRL
import HPDTensor
import HPDWireFormat

/// The client's side of one run, top to bottom:
///
///     register the hosted agents, wait for the run to start, fetch the public parts
///     for episode e = 1 … E:
///         every hosted agent plays one episode and takes one REINFORCE step; the returns go to the server
///         if schedule.isEventDue(afterEpisode: e): one `DistillationEvent`, its consensus from the server
///             (`ServerConsensus`); the digestion losses go to the server. DPA-FedRL: one round per event on the
///             server environment's state (`roundStates(at:)`), digested with the squared error
///     Finish: wait for the server to write the run folder
final class Session {
    let configuration: NetworkClientConfiguration
    let connection: Connection
    let agents: [ReinforceAgent]
    let indices: [Int]
    let logger: Logger
    var sessionID = ""
    var schedule = Fedhpd_Network_V1_Schedule()
    var heartbeat: Task<Void, Never>?
    var missedDigestions = 0
    /// The latest background Report (each waits for the one before).
    var pendingReports: Task<Void, Error>?

    init(configuration: NetworkClientConfiguration, connection: Connection, agents: [ReinforceAgent], logger: Logger) {
        self.configuration = configuration
        self.connection = connection
        self.agents = agents
        indices = configuration.agents.map(\.index)
        self.logger = logger
    }

    var deadline: Double { Double(schedule.deadlineMs) / 1000 }

    /// The server's schedule as the one `DistillationSchedule` every trainer uses.
    func distillationSchedule() throws -> DistillationSchedule {
        guard schedule.episodes > 0, schedule.interval > 0, schedule.loops > 0, schedule.partCount > 0 else {
            throw NetworkError.runFailed(
                "the server sent an invalid schedule (episodes \(schedule.episodes), interval \(schedule.interval), "
                    + "loops \(schedule.loops), parts \(schedule.partCount))")
        }
        return DistillationSchedule(
            episodes: Int(schedule.episodes), interval: Int(schedule.interval), loops: Int(schedule.loops),
            partCount: Int(schedule.partCount))
    }

    func run() throws -> NetworkClient.Report {
        defer {
            heartbeat?.cancel()
            pendingReports?.cancel()
        }
        let checkpoints = configuration.checkpointRoot.map {
            ClientCheckpoint.folder(root: $0, agentIndices: indices)
        }
        var resumedAfter = 0
        if configuration.resume {
            guard let checkpoints else { throw NetworkError.configuration("--resume needs the checkpoints' --out") }
            resumedAfter = try ClientCheckpoint.restoreNewest(into: self, from: checkpoints)
            logger.info(
                Logger.Message(
                    stringLiteral:
                        "resuming agents \(agentList(indices)) after episode \(resumedAfter) from \(checkpoints.checkpointsURL.path); "
                        + "re-attaching to session \(sessionID.prefix(8))… at \(connection.address)"))
            startHeartbeat()
            try waitForStart(resuming: true)
        } else {
            try register()
            try waitForStart(resuming: false)
        }
        let parts = try fetchParts()
        let plan = try distillationSchedule()
        LinearAlgebraLibrary.threadCount = 1
        MemoryPolicy.retainFreedMemory()
        let executor = ParallelExecutor(threadCount: configuration.threads)
        let adversaries = Set(indices.indices.filter { configuration.adversarialAgents.contains(indices[$0]) })
        let start = now()
        for episode in stride(from: resumedAfter + 1, through: plan.episodes, by: 1) {
            let reports = executor.trainOneEpisode(agents)
            var request = Fedhpd_Network_V1_ReportRequest()
            request.returns = zip(indices, reports).map { index, report in
                var entry = Fedhpd_Network_V1_EpisodeReturn()
                entry.agentIndex = UInt32(index)
                entry.episode = UInt32(episode)
                entry.value = report.episodeReturn
                return entry
            }
            sendInBackground(request)
            if episode == plan.episodes { try flushReports() }
            try configuration.faultInjectionForTesting?.crashIfDue(afterEpisode: episode, logger: logger) {
                try flushReports()
            }
            if episode % 10 == 0 || episode == plan.episodes {
                logger.info("\(String(format: "episode %d/%d (%.1f s)", episode, plan.episodes, now() - start))")
            }
            if plan.isEventDue(afterEpisode: episode) {
                try distill(
                    afterEpisode: episode, plan: plan, parts: parts, executor: executor, adversaries: adversaries)
            }
            if let checkpoints, configuration.checkpointEvery > 0,
                episode % configuration.checkpointEvery == 0 || episode == plan.episodes
            {
                // Everything up to this episode reaches the server before the checkpoint says it is done.
                try flushReports()
                try ClientCheckpoint.write(self, episode: episode, to: checkpoints)
            }
        }
        try flushReports()
        return try finish(episodes: plan.episodes)
    }

    /// One distillation event after `episode`: every part's consensus from the server, the digestion losses back.
    func distill(
        afterEpisode episode: Int, plan: DistillationSchedule, parts: [Tensor], executor: ParallelExecutor,
        adversaries: Set<Int>
    ) throws {
        let loss = try digestionLoss()
        var steps: [DistillationStep] = []
        var source = ServerConsensus(session: self)
        if try usesServerStates() {
            // DPA-FedRL: each round on the state the server's environment is in when the round opens.
            for position in plan.positions(afterEpisode: episode) {
                let event = DistillationEvent(
                    agents: agents, parts: [try roundStates(at: position)], positions: [position],
                    adversarialAgents: adversaries, loss: loss)
                steps += try event.run(source: &source, executor: executor).steps
            }
        } else {
            let event = DistillationEvent(
                agents: agents, parts: parts, positions: plan.positions(afterEpisode: episode),
                adversarialAgents: adversaries, loss: loss)
            steps = try event.run(source: &source, executor: executor).steps
        }
        var lossReport = Fedhpd_Network_V1_ReportRequest()
        for step in steps {
            // NaN: the agent did not digest this part (the server records it as missing).
            for (position, loss) in step.losses.enumerated() where !loss.isNaN {
                var entry = Fedhpd_Network_V1_DigestionLoss()
                entry.agentIndex = UInt32(indices[position])
                entry.episode = UInt32(episode)
                entry.loop = UInt32(step.loop)
                entry.part = UInt32(step.part)
                entry.loss = loss
                lossReport.losses.append(entry)
            }
        }
        sendInBackground(lossReport)
    }

    /// Finish: waits for the server to write the run folder.
    func finish(episodes: Int) throws -> NetworkClient.Report {
        var finish = Fedhpd_Network_V1_FinishRequest()
        finish.sessionID = sessionID
        let finishRequest = finish
        logger.info("all \(episodes) episodes done; waiting for the server to write the run folder")
        let response: Fedhpd_Network_V1_FinishResponse
        do {
            response = try connection.call("Finish", timeout: deadline + 60, window: configuration.retryTimeout) {
                try await $0.finish(finishRequest, metadata: $1, options: $2)
            }
        } catch let error as RPCError {
            throw NetworkError.runFailed("the server could not complete the run: \(error.message)")
        }
        return NetworkClient.Report(
            runFolder: response.runFolder, exclusions: response.exclusions, missedDigestions: missedDigestions)
    }

    /// Sends a Report in the background, after the ones before it (in order); the next sync point waits for them,
    /// so a lost server still surfaces, but training does not wait for every round trip.
    func sendInBackground(_ request: Fedhpd_Network_V1_ReportRequest) {
        var message = request
        message.sessionID = sessionID
        let report = message
        let connection = self.connection
        let window = configuration.retryTimeout
        let previous = pendingReports
        pendingReports = Task {
            try await previous?.value
            try await connection.callAsync("Report", timeout: 10, window: window) {
                try await $0.report(report, metadata: $1, options: $2)
            }
        }
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
        request.configurationFingerprint = configuration.configurationFingerprint ?? ""
        request.agents = zip(indices, agents).map { index, agent in
            var registration = Fedhpd_Network_V1_AgentRegistration()
            registration.agentIndex = UInt32(index)
            registration.family = WireFormat.family(agent.distributionFamily)
            return registration
        }
        let registration = request
        let response: Fedhpd_Network_V1_RegisterResponse
        do {
            response = try connection.call(
                "Register", timeout: 10, window: configuration.connectTimeout, firstContact: true
            ) {
                try await $0.register(registration, metadata: $1, options: $2)
            }
        } catch let error as RPCError {
            throw NetworkError.refused("the server at \(connection.address) refused the registration: \(error.message)")
        }
        sessionID = response.sessionID
        schedule = response.schedule
        logger.info(
            Logger.Message(
                stringLiteral:
                    "registered agents \(agentList(indices)) with \(connection.address): \(schedule.environment), \(schedule.episodes) episodes, "
                    + "d=\(schedule.interval), \(schedule.loops) loops × \(schedule.partCount) parts, deadline \(seconds(deadline)), "
                    + "configuration \(schedule.configurationFingerprint)"))
        startHeartbeat()
    }

    /// Heartbeats every `schedule.heartbeatIntervalMs` for the session, in the background, until the run ends.
    func startHeartbeat() {
        let connection = self.connection
        let sessionID = self.sessionID
        let interval = UInt64(max(100, schedule.heartbeatIntervalMs)) * 1_000_000
        heartbeat = Task.detached {
            var request = Fedhpd_Network_V1_HeartbeatRequest()
            request.sessionID = sessionID
            let message = request
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: interval)
                _ = try? await connection.federation.heartbeat(
                    message, metadata: connection.metadata, options: connection.options(timeout: 5))
            }
        }
    }

    /// Waits until the run has started. A resumed client's first call re-attaches it to its session (the server
    /// takes it back); a server that does not know the session refuses with the reason.
    func waitForStart(resuming: Bool) throws {
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
                if resuming {
                    throw NetworkError.refused(
                        "the server at \(connection.address) does not take this client back (session "
                            + "\(sessionID.prefix(8))… from its checkpoint): \(error.message)")
                }
                throw NetworkError.runFailed("the server gave up before the start: \(error.message)")
            }
            if response.started { return }
            if now() - lastLog >= 10 {
                lastLog = now()
                logger.info(
                    "waiting for the run to start: agents \(agentList(response.missingAgents.map(Int.init))) not registered yet"
                )
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
            throw NetworkError.runFailed(
                "the server's public states have \(states.columns) columns, expected \(configuration.environment.observationSize)"
            )
        }
        let set = PublicStateSet(states: states, source: "server \(connection.address)")
        guard set.checksum == response.checksum else {
            throw NetworkError.runFailed(
                "the public states arrived corrupted (checksum \(set.checksum), expected \(response.checksum))")
        }
        let parts = set.parts(partSize: Int(response.partSize))
        guard parts.count == Int(schedule.partCount) else {
            throw NetworkError.runFailed(
                "the public states make \(parts.count) parts, the schedule says \(schedule.partCount)")
        }
        logger.info("received \(set.count) public states (\(parts.count) parts)")
        return parts
    }
}
#endif
