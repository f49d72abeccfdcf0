#if Network
import Foundation
import GRPCCore
import HPDFederation
import HPDTensor
import HPDWireFormat

/// What the schedule says about a round's states and the digestion loss (a backward-compatible extension of the
/// protocol: a server that sets neither field runs FedHPD on the public state set with the KL divergence), and the
/// states of a DPA-FedRL round, asked from the server.
extension Session {
    /// Whether every round's states come from the server's environment (DPA-FedRL) instead of the public state set.
    func usesServerStates() throws -> Bool {
        switch schedule.stateSource {
        case .publicStates: return false
        case .serverState:
            guard schedule.loops == 1, schedule.partCount == 1 else {
                throw NetworkError.runFailed(
                    "the server sent an invalid schedule: rounds on the server's state need 1 loop × 1 part, got "
                        + "\(schedule.loops) × \(schedule.partCount)")
            }
            return true
        case .UNRECOGNIZED(let value):
            throw NetworkError.runFailed(
                "the server's rounds take their states from source \(value), which this client does not know (update it)"
            )
        }
    }

    /// The loss the schedule asks every agent to digest the consensus with.
    func digestionLoss() throws -> DigestionLoss {
        switch schedule.digestion {
        case .klDivergence: return .klDivergence
        case .squaredError: return .squaredError
        case .UNRECOGNIZED(let value):
            throw NetworkError.runFailed(
                "the server asks for digestion loss \(value), which this client does not know (update it)")
        }
    }

    /// The server environment's states for round (episode, loop, part): answered once every earlier round has
    /// closed; checked like any outside matrix (shape, observation size, finite values).
    func roundStates(at position: DistillationPosition) throws -> Tensor {
        var request = Fedhpd_Network_V1_RoundStatesRequest()
        request.sessionID = sessionID
        request.episode = UInt32(position.episode)
        request.loop = UInt32(position.loop)
        request.part = UInt32(position.part)
        let message = request
        let response: Fedhpd_Network_V1_RoundStatesResponse
        do {
            response = try connection.call(
                "GetRoundStates", timeout: deadline + 30, window: configuration.retryTimeout,
                stillWaiting: "the states of \(position)"
            ) { try await $0.getRoundStates(message, metadata: $1, options: $2) }
        } catch let error as RPCError {
            throw NetworkError.runFailed("GetRoundStates for \(position): \(error.code): \(error.message)")
        }
        do {
            return try WireFormat.acceptedRoundStates(
                response, observationSize: configuration.environment.observationSize)
        } catch {
            throw NetworkError.runFailed("the server sent malformed states for \(position): \(error)")
        }
    }
}
#endif
