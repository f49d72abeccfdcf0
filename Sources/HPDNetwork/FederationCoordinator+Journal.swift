#if Network
import Foundation
import Logging
import GRPCCore
import HPDFederation
import HPDWireFormat

/// The coordinator's journal (`ServerJournal`): what it records before answering, and the replay that lets a
/// restarted server (`fedhpd serve --resume`) continue from the last fact it acknowledged.
extension FederationCoordinator {
    /// Appends `entry` to the journal (if any). A failed write is logged once and the run goes on: the journal only
    /// matters for a later `--resume`, which then says the journal is incomplete.
    func record(_ entry: ServerJournal.Entry) {
        guard let journal else { return }
        do { try journal.append(entry) } catch {
            if !journalFailed { logger.warning("\(error); this run can no longer be resumed after a crash") }
            journalFailed = true
        }
    }

    /// The entry of a closed round.
    func journalEntry(
        of closed: ClosedRound, sequence: Int, lines: [String], rows: [ExclusionRecord]
    )
        -> ServerJournal.Entry
    {
        let consensus = closed.consensus.flatMap { try? Data(WireFormat.distribution($0).serializedBytes() as [UInt8]) }
        return ServerJournal.Entry(
            round: .init(
                sequence: sequence, consensus: consensus, included: closed.included.sorted(), note: closed.note,
                exclusionLines: lines,
                exclusions: rows))
    }

    /// Rebuilds the state a killed server had acknowledged: sessions (alive again, as if just heard from), the
    /// start, returns, losses and closed rounds. Rounds that were open are collected again from the clients' retries.
    func replay(_ entries: [ServerJournal.Entry]) throws {
        var closedCount = 0
        for entry in entries {
            if let registration = entry.registration {
                sessions[registration.id] = Session(
                    id: registration.id, name: registration.name, peer: registration.peer,
                    agents: registration.agents, lastSeen: now())
                for agent in registration.agents where agent < agentCount { owner[agent] = registration.id }
                if registration.assigned { assignedPlaces.formUnion(registration.agents) }
            }
            if entry.started == true { start(replaying: true) }
            for value in entry.returns ?? [] where value.agent < agentCount && (1...episodes).contains(value.episode) {
                if returns[value.episode - 1][value.agent] == nil {
                    returns[value.episode - 1][value.agent] = value.value
                }
            }
            for value in entry.losses ?? [] where value.agent < agentCount {
                var row = losses[value.sequence] ?? Array(repeating: nil, count: agentCount)
                if row[value.agent] == nil { row[value.agent] = value.loss }
                losses[value.sequence] = row
            }
            if let round = entry.round {
                guard round.sequence == closedThrough + 1 else {
                    throw NetworkError.configuration(
                        "the server journal closes round \(round.sequence) after round \(closedThrough): it is damaged")
                }
                var consensus: ActionDistribution?
                if let data = round.consensus {
                    do {
                        consensus = try WireFormat.distribution(
                            Fedhpd_Network_V1_ActionDistribution(serializedBytes: [UInt8](data)))
                    } catch {
                        throw NetworkError.configuration("the server journal's round \(round.sequence): \(error)")
                    }
                }
                closedRounds[round.sequence] = ClosedRound(
                    consensus: consensus, included: Set(round.included), note: round.note)
                closedRounds[round.sequence - 2 * roundsPerEvent] = nil
                closedThrough = round.sequence
                advanceServerEnvironment(closing: round.sequence, consensus: consensus)
                exclusionLines += round.exclusionLines
                exclusionRows += round.exclusions
                closedCount += 1
            }
        }
        let reported = returns.prefix { row in row.allSatisfy { $0 != nil } }.count
        logger.info(
            Logger.Message(
                stringLiteral:
                    "resumed from the journal: \(sessions.count) client session(s), \(phase == .running ? "running" : "registering"); "
                    + "\(reported)/\(episodes) episodes reported by every agent, \(closedCount) rounds aggregated; "
                    + "waiting for the clients to reconnect"))
    }
}
#endif
