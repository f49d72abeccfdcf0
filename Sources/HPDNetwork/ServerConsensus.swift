#if Network
import Foundation
import Logging
import GRPCCore
import HPDFederation
import HPDTensor
import HPDWireFormat

/// The networked `ConsensusSource`: every hosted agent's report on a part goes to the server, which answers, once
/// the round has closed, with the consensus (or tells the agent it must not digest this part).
struct ServerConsensus: ConsensusSource {
    typealias Failure = any Error
    let session: Session

    func consensus(
        reports: [ActionDistribution?], states: Tensor, at position: DistillationPosition
    ) throws -> ConsensusOutcome {
        ConsensusOutcome(
            targets: try session.submit(
                reports.map { $0! }, episode: position.episode, loop: position.loop, part: position.part))
    }
}

extension Session {
    /// Submits every hosted agent's distributions on one part (concurrently); returns each agent's consensus, or
    /// nil when it must not digest (rejected, late, no quorum).
    func submit(
        _ distributions: [ActionDistribution], episode: Int, loop: Int, part: Int
    ) throws -> [ActionDistribution?] {
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
            let tampering = configuration.faultInjectionForTesting?.tamper(&request, deadline: deadline, logger: logger)
            let (delay, faulty) = (tampering?.delay ?? 0, tampering?.isDeliberate ?? false)
            if !faulty && schedule.maxMessageBytes > 0 {
                // An honest client does not send what the server's transport would refuse.
                let size = (try? request.serializedBytes() as [UInt8])?.count ?? 0
                guard size <= Int(schedule.maxMessageBytes) else {
                    throw NetworkError.runFailed(
                        "agent \(indices[position] + 1)'s distributions on a part take \(size) bytes, over the server's "
                            + "--max-message-bytes \(schedule.maxMessageBytes); use a smaller --part-size or a larger limit"
                    )
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
        // One call per agent, in parallel: each returns when the server has aggregated the part.
        let outcomes: [Result<Fedhpd_Network_V1_SubmitResponse, Error>] = try blockingAsync {
            try await withThrowingTaskGroup(of: (Int, Result<Fedhpd_Network_V1_SubmitResponse, Error>).self) { group in
                for (position, request) in uploads.enumerated() {
                    group.addTask {
                        if pauses[position] > 0 { try await Task.sleep(nanoseconds: UInt64(pauses[position] * 1e9)) }
                        do {
                            // A deliberately broken upload is not retried: the server refused it on purpose.
                            let note =
                                "agent \(request.agentIndex + 1), episode \(request.episode) loop \(request.loop) part \(request.part)"
                            let response = try await connection.callAsync(
                                "Submit", timeout: timeout, window: noRetry[position] ? 0 : window, stillWaiting: note
                            ) { try await $0.submit(request, metadata: $1, options: $2) }
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
                    // Checked like an upload (shape, family, values): a wrong consensus must not reach the digestion.
                    let own = distributions[position]
                    do {
                        consensus.append(
                            try WireFormat.acceptedDistribution(
                                response.consensus, expectedFamily: own.family, stateCount: own.stateCount))
                    } catch {
                        throw NetworkError.runFailed("the server sent a malformed consensus for \(label): \(error)")
                    }
                case .late:
                    logger.info("agent \(agent), \(label): late — \(response.note); it does not digest this part")
                    consensus.append(nil)
                default:
                    logger.info(
                        "agent \(agent), \(label): \(response.note.isEmpty ? "no consensus" : response.note); it does not digest this part"
                    )
                    consensus.append(nil)
                }
            case .failure(let error) where injected[position] && (error as? RPCError)?.code != .invalidArgument:
                let reason = (error as? RPCError).map { "\($0.code): \($0.message)" } ?? "\(error)"
                logger.info("agent \(agent), \(label): the server refused the deliberately broken upload (\(reason))")
                consensus.append(nil)
            case .failure(let error as RPCError)
            where [.invalidArgument, .resourceExhausted, .permissionDenied].contains(error.code):
                logger.info(
                    "agent \(agent), \(label): the server rejected the upload (\(error.code)): \(error.message)")
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
}
#endif
