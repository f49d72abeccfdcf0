#if Network
import Foundation
import Logging
import GRPCCore
import HPDFederation
import HPDTensor

/// Liveness (lost clients, the registration deadline) and the end of the run: Finish, the run folder, failure.
extension FederationCoordinator {
    // MARK: Liveness and the end of the run

    /// Called every half second: lost clients, the registration deadline, the end-of-run deadline.
    func tick() {
        let time = now()
        for (id, session) in sessions where session.alive && time - session.lastSeen > configuration.heartbeatTimeout {
            sessions[id]!.alive = false
            switch phase {
            case .registering:
                logger.info(
                    Logger.Message(
                        stringLiteral:
                            "client '\(session.name)' (agents \(agentList(session.agents))) lost before the start: "
                            + "no call for \(seconds(configuration.heartbeatTimeout)); its agents are unregistered"))
                for agent in session.agents {
                    owner[agent] = nil
                    assignedPlaces.remove(agent)
                }
                sessions[id] = nil
            case .running:
                logger.info(
                    Logger.Message(
                        stringLiteral:
                            "client '\(session.name)' (agents \(agentList(session.agents))) lost: no call for "
                            + "\(seconds(configuration.heartbeatTimeout)); no longer waiting for its agents"))
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
                fail(
                    "gave up after \(seconds(configuration.registrationTimeout)) waiting for agents: missing \(agentList(missingAgents))"
                        + (registered.isEmpty
                            ? " (none registered)" : " (registered: \(registered.joined(separator: ", ")))"))
            } else if time - lastProgressLog >= 5 {
                lastProgressLog = time
                logger.info(
                    Logger.Message(
                        stringLiteral:
                            "waiting for agents \(agentList(missingAgents)) (\(sessions.isEmpty ? "none registered yet" : "\(agentCount - missingAgents.count) registered")); "
                            + "giving up in \(seconds((configuration.registrationTimeout - waited).rounded()))"))
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
        let waitingFor = sessions.values.filter { $0.alive && !$0.finished }.map {
            "'\($0.name)' (agents \(agentList($0.agents)))"
        }
        logger.info(
            Logger.Message(
                stringLiteral:
                    "client '\(session.name)' finished its \(episodes) episodes"
                    + (waitingFor.isEmpty ? "" : "; waiting for \(waitingFor.sorted().joined(separator: ", "))")))
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
            let why =
                client.map { $0.alive ? "client '\($0.name)' did not report them in time" : "client '\($0.name)' lost" }
                ?? "never registered"
            let line =
                "agent \(agent + 1): no return for episode\(missing.count > 1 ? "s" : "") \(agentList(missing)) (\(why)); recorded as nan"
            exclusionLines.append(line)
            logger.info("\(line)")
        }
        if let failure { exclusionLines.append("run incomplete: \(failure)") }
        var records: [LossRecord] = []
        for sequence in 0..<(closedThrough + 1) {
            let position = plan.position(ofSequence: sequence)
            let row = losses[sequence] ?? Array(repeating: nil, count: agentCount)
            records.append(
                LossRecord(
                    episode: position.episode, loop: position.loop, part: position.part, losses: row.map { $0 ?? .nan })
            )
        }
        let wall = now() - (startedAt ?? createdAt)
        let folder = configuration.folder
        var writeFailure: String?
        do {
            try RunFolderWriter.write(
                folder: folder, configuration: run, returns: matrix, records: records,
                exclusions: exclusionLines, exclusionRows: exclusionRows, thresholds: configuration.thresholds,
                timings: NetworkTimings(
                    wallSeconds: wall, distillationSeconds: roundSeconds,
                    distillationEvents: (closedThrough + 1) / roundsPerEvent, rounds: closedThrough + 1,
                    clients: sessions.count,
                    excludedRoundCount: Set(exclusionRows.map { "\($0.episode),\($0.loop),\($0.part)" }).count),
                log: serverLog.lines)
        } catch {
            writeFailure = "cannot write the run folder \(folder.url.path): \(error)"
        }
        let result = Outcome(
            folder: folder.url, failure: writeFailure ?? failure.map { "\($0); partial results in \(folder.url.path)" },
            exclusions: exclusionLines, events: (closedThrough + 1) / max(1, roundsPerEvent),
            distillationSeconds: roundSeconds,
            wallSeconds: wall)
        outcome = result
        if let failure = result.failure {
            logger.info("run failed: \(failure)")
        } else {
            logger.info("run complete: \(folder.url.path)")
        }
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
        logger.info("run failed: \(reason)")
        for round in rounds.values {
            for waiter in round.waiters { waiter.continuation.resume(returning: .late("the run failed: \(reason)")) }
        }
        rounds.removeAll()
        for waiter in finishWaiters { waiter.continuation.resume(returning: .failure(.runFailed(reason))) }
        finishWaiters.removeAll()
        let result = Outcome(
            folder: configuration.folder.url, failure: reason, exclusions: exclusionLines, events: 0,
            distillationSeconds: 0,
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
