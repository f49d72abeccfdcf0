#if Network
import Foundation
import Logging
import GRPCCore
import HPDFederation
import HPDTensor
import HPDWireFormat

/// DPA-FedRL served over the network: the server's own environment (`DPAFedRLServer`) is in state s when round n
/// opens; every client asks for s (`GetRoundStates`), submits π_k(·|s) and digests the consensus p̄(·|s) with the
/// squared error; when the round closes the server samples a ~ p̄(·|s) and steps its environment
/// (`DPAFedRLServer.advance(following:)`, the same code as the in-process alignment step), which gives round n + 1's
/// state. A round without a consensus leaves the environment where it was. A restarted server replays the journal's
/// consensus of every closed round through the same step, so its environment is where the killed server's was.
extension FederationCoordinator {
    /// The states of round (episode, loop, part) of a DPA-FedRL run: answered at once for the open round or a closed
    /// one, otherwise once every earlier round has closed.
    func roundStates(_ request: Fedhpd_Network_V1_RoundStatesRequest) async throws -> Tensor {
        let session = try session(request.sessionID, for: "GetRoundStates")
        try requireRunning("GetRoundStates")
        guard let serverEnvironment else {
            logger.info("refused a call to GetRoundStates from client '\(session.name)': not a DPA-FedRL run")
            throw RPCError(
                code: .failedPrecondition,
                message:
                    "GetRoundStates: this run's states are the public state set (GetPublicStates), not the server's")
        }
        let (episode, loop, part) = (Int(request.episode), Int(request.loop), Int(request.part))
        guard let sequence = sequence(episode: episode, loop: loop, part: part) else {
            throw RPCError(
                code: .invalidArgument,
                message: "GetRoundStates: episode \(episode) loop \(loop) part \(part) is not a round of this run")
        }
        if sequence == closedThrough + 1 { return serverEnvironment.currentStates }
        if sequence <= closedThrough {
            guard let states = roundStates[sequence] else {
                throw RPCError(
                    code: .failedPrecondition,
                    message: "GetRoundStates: the states of episode \(episode) loop \(loop) part \(part) are not kept")
            }
            return states
        }
        return await withCheckedContinuation { continuation in
            roundStateWaiters[sequence, default: []].append(continuation)
        }
    }

    /// After round `sequence` closed with `consensus` (nil: no consensus): keeps the round's states for retries,
    /// steps the server's environment with a ~ p̄, and answers the clients waiting for the next round's states.
    func advanceServerEnvironment(closing sequence: Int, consensus: ActionDistribution?) {
        guard let serverEnvironment else { return }
        // Kept for the whole run (one row per event): a client resumed from an older checkpoint asks again.
        roundStates[sequence] = serverEnvironment.currentStates
        if let consensus { serverEnvironment.advance(following: consensus) }
        let next = sequence + 1
        for waiter in roundStateWaiters.removeValue(forKey: next) ?? [] {
            waiter.resume(returning: serverEnvironment.currentStates)
        }
    }
}
#endif
