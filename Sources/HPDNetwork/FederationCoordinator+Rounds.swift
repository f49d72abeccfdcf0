#if Network
import Foundation
import Logging
import GRPCCore
import HPDFederation
import HPDTensor
import HPDWireFormat

/// Episode returns, digestion losses and the lock-step rounds: a round closes when every live agent has answered or
/// its deadline passes; its consensus is the aggregation of the accepted reports in agent order (`close`).
extension FederationCoordinator {
    // MARK: Reports

    func report(_ request: Fedhpd_Network_V1_ReportRequest) throws {
        let session = try session(request.sessionID, for: "Report")
        if case .failed(let reason) = phase { throw RPCError(code: .aborted, message: "the run failed: \(reason)") }
        guard phase == .running else { return }  // late reports after the results were written are ignored
        let hosted = Set(session.agents)
        var newReturns: [ServerJournal.Entry.Return] = []
        var newLosses: [ServerJournal.Entry.Loss] = []
        for entry in request.returns {
            let agent = Int(entry.agentIndex)
            let episode = Int(entry.episode)
            guard hosted.contains(agent) else { throw notHosted(agent, by: session, in: "Report") }
            guard (1...episodes).contains(episode) else {
                throw RPCError(code: .invalidArgument, message: "episode \(episode) is outside 1...\(episodes)")
            }
            guard entry.value.isFinite else {
                throw RPCError(
                    code: .invalidArgument,
                    message: "agent \(agent + 1) episode \(episode): return \(entry.value) is not finite")
            }
            if returns[episode - 1][agent] == nil {
                returns[episode - 1][agent] = entry.value
                newReturns.append(.init(agent: agent, episode: episode, value: entry.value))
            }
        }
        for entry in request.losses {
            let agent = Int(entry.agentIndex)
            guard hosted.contains(agent) else { throw notHosted(agent, by: session, in: "Report") }
            guard let sequence = sequence(episode: Int(entry.episode), loop: Int(entry.loop), part: Int(entry.part))
            else {
                throw RPCError(
                    code: .invalidArgument,
                    message: "episode \(entry.episode) loop \(entry.loop) part \(entry.part) is not in the schedule")
            }
            var row = losses[sequence] ?? Array(repeating: nil, count: agentCount)
            if row[agent] == nil {
                row[agent] = entry.loss
                newLosses.append(.init(agent: agent, sequence: sequence, loss: entry.loss))
            }
            losses[sequence] = row
        }
        if !newReturns.isEmpty || !newLosses.isEmpty {
            record(
                ServerJournal.Entry(
                    returns: newReturns.isEmpty ? nil : newReturns, losses: newLosses.isEmpty ? nil : newLosses))
        }
        // A client still training its way to the current sync point is slow, not lost: its reports extend the
        // deadline that waits for it.
        if let round = rounds[closedThrough + 1], round.deadline != nil,
            !Set(session.agents).isSubset(of: round.answered)
        {
            rounds[closedThrough + 1]!.deadline = now() + configuration.deadline
        }
        if finishDeadline != nil && !session.finished { finishDeadline = now() + configuration.deadline }
        logProgress()
    }

    /// The refusal of a call about an agent the calling session does not host (logged).
    func notHosted(_ agent: Int, by session: Session, in method: String) -> RPCError {
        let message = "agent \(agent + 1) is not hosted by this session"
        logger.info("refused a call to \(method) from client '\(session.name)': \(message)")
        return RPCError(code: .permissionDenied, message: message)
    }

    /// A progress line at most every 10 s: episodes every agent has reported.
    func logProgress() {
        guard now() - lastProgressLog >= 10 else { return }
        lastProgressLog = now()
        let complete = returns.prefix { row in row.allSatisfy { $0 != nil } }.count
        logger.info(
            "progress: \(complete)/\(episodes) episodes reported by every agent, \(closedThrough + 1)/\(eventCount * roundsPerEvent) rounds aggregated"
        )
    }

    // MARK: Rounds

    /// One agent's upload for one round (`size`: its serialized bytes); answered when the round closes.
    func submit(_ request: Fedhpd_Network_V1_SubmitRequest, size: Int) async throws -> RoundResult {
        let session = try session(request.sessionID, for: "Submit")
        try requireRunning("Submit")
        let agent = Int(request.agentIndex)
        guard session.agents.contains(agent) else { throw notHosted(agent, by: session, in: "Submit") }
        let (episode, loop, part) = (Int(request.episode), Int(request.loop), Int(request.part))
        guard let sequence = sequence(episode: episode, loop: loop, part: part) else {
            throw RPCError(
                code: .invalidArgument,
                message: "episode \(episode) loop \(loop) part \(part) is not a round of this run")
        }
        let label = "episode \(episode) loop \(loop) part \(part)"
        if sequence <= closedThrough {
            // Already aggregated: a retry after a lost answer gets the same consensus; a straggler is told it is late.
            if let closed = closedRounds[sequence], let consensus = closed.consensus, closed.included.contains(agent) {
                return .included(consensus: consensus, contributors: closed.included.count)
            }
            logger.info("agent \(agent + 1) late for \(label): aggregated without it")
            return .late("\(label) was aggregated without agent \(agent + 1) (past the deadline)")
        }
        if sequence % roundsPerEvent == 0 && eventStarts[sequence / roundsPerEvent] == nil {
            eventStarts[sequence / roundsPerEvent] = now()
        }
        var round = rounds[sequence] ?? Round(sequence: sequence, episode: episode, loop: loop, part: part)
        if round.answered.contains(agent) {
            if round.rejected[agent] != nil {
                throw RPCError(
                    code: .invalidArgument,
                    message: "agent \(agent + 1), \(label): already rejected: \(round.rejected[agent]!)")
            }
        } else {
            do {
                guard size <= configuration.maxMessageBytes else {
                    throw FederationError.invalidDistribution(
                        "the upload takes \(size) bytes, over the server's --max-message-bytes \(configuration.maxMessageBytes)"
                    )
                }
                round.accepted[agent] = try WireFormat.acceptedDistribution(
                    request.distribution, expectedFamily: expectedFamily, stateCount: partRows[part - 1])
            } catch {
                let reason = "rejected upload: \(error)"
                round.rejected[agent] = reason
                rounds[sequence] = round
                logger.info("agent \(agent + 1) (client '\(session.name)'), \(label): \(reason)")
                advance()
                let code: RPCError.Code = size > configuration.maxMessageBytes ? .resourceExhausted : .invalidArgument
                throw RPCError(code: code, message: "agent \(agent + 1), \(label): \(error)")
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
        let (linesBefore, rowsBefore) = (exclusionLines.count, exclusionRows.count)
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
            let reports = included.map { round.accepted[$0]! }
            // DPA-FedRL: the consensus exactly as its in-process server forms it.
            let consensus =
                serverEnvironment?.consensus(of: reports, agentIndices: included)
                ?? configuration.aggregation.aggregate(reports, agentIndices: included, context: context)
            result = .included(consensus: consensus, contributors: included.count)
            closed = ClosedRound(consensus: consensus, included: Set(included), note: "")
        } else {
            let note =
                "no consensus: \(included.count) of \(agentCount) agents' distributions accepted, quorum \(configuration.quorum)"
            result = .noQuorum("\(label): \(note)")
            closed.note = note
        }
        if !reasons.isEmpty {
            var groups: [String: [Int]] = [:]
            for (agent, reason) in reasons { groups[reason, default: []].append(agent) }
            let details = groups.sorted { $0.value.min()! < $1.value.min()! }.map { reason, agents in
                "agent\(agents.count > 1 ? "s" : "") \(agentList(agents)) excluded: \(reason)"
            }
            let line =
                included.count >= configuration.quorum
                ? "\(label): aggregated over \(included.count) of \(agentCount) agents; "
                    + details.joined(separator: "; ")
                : "\(label): \(closed.note); " + details.joined(separator: "; ")
            exclusionLines.append(line)
            for (agent, reason) in reasons.sorted(by: { $0.key < $1.key }) {
                exclusionRows.append(
                    ExclusionRecord(
                        episode: round.episode, loop: round.loop, part: round.part, agent: agent, reason: reason))
            }
            logger.info("\(line)")
        }
        // Recorded before any waiter is answered: a restarted server answers retries with the same consensus.
        let recordedLines = exclusionLines.count - linesBefore
        record(
            journalEntry(
                of: closed, sequence: round.sequence, lines: Array(exclusionLines.suffix(recordedLines)),
                rows: Array(exclusionRows.suffix(exclusionRows.count - rowsBefore))))
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
        advanceServerEnvironment(closing: round.sequence, consensus: closed.consensus)
        if plan.isLastStepOfEvent(round.sequence) {
            if let start = eventStarts[round.sequence / roundsPerEvent] { roundSeconds += now() - start }
            logProgress()
        }
    }
}
#endif
