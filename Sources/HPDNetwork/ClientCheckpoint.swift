#if Network
import Foundation
import Logging
import HPDFederation
import HPDTensor
import HPDWireFormat

/// A network client's own checkpoint, written after every episode it completed (its reports delivered, the episode's
/// distillation event, if any, digested): the session the server gave it, the schedule, and its agents' whole
/// state (`Checkpoint.encodeAgents`: parameters, Adam moments and step counts, learning-rate schedule, random
/// streams, PPO's partial rollout). `fedhpd join --resume` restores it and re-attaches to the session, so its agents
/// continue exactly as if never interrupted. Weights stay on the client.
///
/// Files: `<--out>/client-checkpoints/agents-<k>-…/checkpoints/checkpoint-<episode>.bin`, in `Checkpoint`'s layout
/// (`Checkpoint.frame`) with the magic `FHPDJCK\0`; written atomically, the two newest kept.
struct ClientCheckpoint {
    static let magic: [UInt8] = Array("FHPDJCK\0".utf8)

    struct Metadata: Codable {
        /// The session id the server assigned at registration: a resumed client presents it instead of registering.
        var sessionID: String
        /// The server's `Schedule`, serialized (a resumed client does not register again, so it keeps it).
        var schedule: Data
        /// 0-based roster places of the hosted agents, in order.
        var agentIndices: [Int]
        /// Episodes completed (returns delivered, event digested).
        var episodesDone: Int
        /// Parts the hosted agents did not digest so far.
        var missedDigestions: Int
        var agents: [Checkpoint.AgentState]
    }

    /// The folder of one client's checkpoints under `root` (its `--out`), named after its agents.
    static func folder(root: URL, agentIndices: [Int]) -> RunFolder {
        RunFolder(
            url: root.appendingPathComponent("client-checkpoints")
                .appendingPathComponent("agents-" + agentIndices.map { String($0 + 1) }.joined(separator: "-")))
    }

    /// Writes the checkpoint of `session` after `episode` into `folder` and prunes all but the two newest.
    static func write(_ session: Session, episode: Int, to folder: RunFolder) throws {
        let (states, blob) = try Checkpoint.encodeAgents(session.agents)
        let metadata = Metadata(
            sessionID: session.sessionID, schedule: try session.schedule.serializedBytes(),
            agentIndices: session.indices, episodesDone: episode, missedDigestions: session.missedDigestions,
            agents: states)
        let data = Checkpoint.frame(json: try Checkpoint.jsonEncoder().encode(metadata), blob: blob, magic: magic)
        try folder.writeCheckpointFile(data, episode: episode)
    }

    /// Restores the newest valid checkpoint in `folder` into `session`'s freshly built agents (a corrupt newer one
    /// is logged and the previous one used). Returns the episodes completed; throws when none can be used.
    static func restoreNewest(into session: Session, from folder: RunFolder) throws -> Int {
        var problems: [String] = []
        for file in folder.checkpointFiles() {
            func fail(_ reason: String) -> FederationError { .invalidConfiguration("\(file.path): \(reason)") }
            do {
                let data = try FileSystemError.reading(file) { try Data(contentsOf: file) }
                let (bytes, json, blobOffset) = try Checkpoint.unframe(data, magic: magic, fail: fail)
                let metadata: Metadata
                do { metadata = try Checkpoint.jsonDecoder().decode(Metadata.self, from: json) } catch {
                    throw fail("unreadable metadata: \(error)")
                }
                guard metadata.agentIndices == session.indices else {
                    throw NetworkError.configuration(
                        "\(file.path) holds agents \(agentList(metadata.agentIndices)), this client hosts "
                            + agentList(session.indices))
                }
                var offset = blobOffset
                try Checkpoint.restoreAgents(
                    session.agents, states: metadata.agents, bytes: bytes, offset: &offset, fail: fail)
                guard offset == bytes.count - 8 else { throw fail("unexpected trailing data") }
                session.sessionID = metadata.sessionID
                do { session.schedule = try Fedhpd_Network_V1_Schedule(serializedBytes: metadata.schedule) } catch {
                    throw fail("unreadable schedule: \(error)")
                }
                session.missedDigestions = metadata.missedDigestions
                return metadata.episodesDone
            } catch let error as NetworkError {
                throw error
            } catch {
                problems.append("\(error)")
                session.logger.warning("\(error); trying the previous checkpoint")
            }
        }
        throw NetworkError.configuration(
            "--resume: no usable checkpoint in \(folder.checkpointsURL.path)"
                + (problems.isEmpty ? " (this client has not completed an episode there)" : ""))
    }
}
#endif
