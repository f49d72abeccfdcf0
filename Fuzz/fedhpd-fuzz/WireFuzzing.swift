#if Network
import Foundation
import HPDFederation
import HPDTensor
import HPDWireFormat
import SwiftProtobuf

/// The network layer's decoding of outside bytes (`scripts/fuzz.sh wire`): what a server does with an uploaded
/// distribution and a registration, and what a client does with the public states, a consensus and a DPA-FedRL
/// round's states.
enum WireFuzzing {
    /// The families an upload is checked against: CartPole's two actions and a one-dimensional Gaussian.
    static let families: [DistributionFamily] = [.categorical(actionCount: 2), .gaussian(dimensions: 1)]

    /// Feeds `data` to every decoder as the message that decoder reads. Findings: a trap, a sanitizer report, or an
    /// accepted value that breaks what the caller relies on.
    static func run(_ data: Data) {
        if let submit = try? Fedhpd_Network_V1_SubmitRequest(serializedBytes: data) {
            accepted(submit.distribution)
        }
        if let register = try? Fedhpd_Network_V1_RegisterRequest(serializedBytes: data) {
            for shape in [register.actionShape] + register.agents.map(\.family) {
                guard let family = try? WireFormat.family(shape) else { continue }
                switch family {
                case .categorical(let width), .gaussian(let width):
                    precondition((1...65_536).contains(width), "accepted a family of width \(width)")
                }
            }
        }
        if let states = try? Fedhpd_Network_V1_PublicStatesResponse(serializedBytes: data),
            let tensor = try? WireFormat.tensor(states.states, field: "public states")
        {
            shapeHolds(tensor)
        }
        if let answer = try? Fedhpd_Network_V1_SubmitResponse(serializedBytes: data) {
            accepted(answer.consensus)
        }
        if let round = try? Fedhpd_Network_V1_RoundStatesResponse(serializedBytes: data),
            let tensor = try? WireFormat.acceptedRoundStates(round, observationSize: Int(max(1, round.states.columns)))
        {
            shapeHolds(tensor)
            precondition(tensor.scalars.allSatisfy(\.isFinite), "accepted non-finite round states")
        }
    }

    /// The acceptance of a distribution (the server's of an upload, a client's of a consensus), for each family
    /// and the state count the message claims (so that the value checks are reached): what it accepts is a
    /// well-formed distribution of that family.
    static func accepted(_ message: Fedhpd_Network_V1_ActionDistribution) {
        let claimedRows: Int
        switch message.distribution {
        case .categorical(let categorical)?: claimedRows = Int(categorical.probabilities.rows)
        case .gaussian(let gaussian)?: claimedRows = Int(gaussian.mean.rows)
        case nil: claimedRows = 1
        }
        for family in families {
            guard
                let accepted = try? WireFormat.acceptedDistribution(
                    message, expectedFamily: family, stateCount: claimedRows)
            else { continue }
            precondition(accepted.family == family && accepted.stateCount == claimedRows, "accepted another shape")
            switch accepted {
            case .categorical(let probabilities):
                shapeHolds(probabilities)
                for row in 0..<probabilities.rows {
                    let values = (0..<probabilities.columns).map { probabilities[row, $0] }
                    precondition(values.allSatisfy { $0.isFinite && $0 >= 0 }, "accepted a bad probability")
                    precondition(abs(values.reduce(0, +) - 1) <= 1e-3, "accepted probabilities that do not sum to 1")
                }
            case .gaussian(let mean, let deviation):
                shapeHolds(mean)
                precondition(mean.shape == deviation.shape, "accepted differing mean and deviation shapes")
                precondition(mean.scalars.allSatisfy(\.isFinite), "accepted a non-finite mean")
                precondition(deviation.scalars.allSatisfy { $0.isFinite && $0 > 0 }, "accepted a bad deviation")
            }
        }
    }

    /// A decoded matrix is a positive shape holding exactly its values.
    static func shapeHolds(_ tensor: Tensor) {
        precondition(tensor.rows > 0 && tensor.columns > 0, "decoded an empty shape")
        precondition(tensor.scalars.count == tensor.rows * tensor.columns, "decoded a shape its values do not fill")
    }

    /// Seed inputs: a valid upload of each family, a registration, a public state set, a consensus answer and a
    /// round's states, encoded by the protocol's own code.
    static func seeds() throws -> [(name: String, data: Data)] {
        let probabilities = Tensor(rows: 3, columns: 2, scalars: [0.25, 0.75, 0.5, 0.5, 1, 0])
        var categorical = Fedhpd_Network_V1_SubmitRequest()
        categorical.sessionID = "session"
        categorical.episode = 5
        categorical.loop = 1
        categorical.part = 1
        categorical.distribution = WireFormat.distribution(.categorical(probabilities: probabilities))
        var gaussian = categorical
        gaussian.distribution = WireFormat.distribution(
            .gaussian(
                mean: Tensor(rows: 2, columns: 1, scalars: [0.1, -0.4]),
                standardDeviation: Tensor(rows: 2, columns: 1, scalars: [0.5, 1.5])))
        var register = Fedhpd_Network_V1_RegisterRequest()
        register.clientName = "fuzz"
        register.environment = "CartPole-v1"
        register.observationSize = 4
        register.actionShape = WireFormat.family(.categorical(actionCount: 2))
        register.runSeed = 20
        var agent = Fedhpd_Network_V1_AgentRegistration()
        agent.agentIndex = 3
        agent.family = WireFormat.family(.categorical(actionCount: 2))
        register.agents = [agent]
        var states = Fedhpd_Network_V1_PublicStatesResponse()
        states.states = WireFormat.matrix(Tensor(rows: 2, columns: 4, scalars: [0.1, 0.2, 0.3, 0.4, 1, 2, 3, 4]))
        states.partSize = 2
        var answer = Fedhpd_Network_V1_SubmitResponse()
        answer.consensus = WireFormat.distribution(.categorical(probabilities: probabilities))
        answer.contributors = 10
        var round = Fedhpd_Network_V1_RoundStatesResponse()
        round.states = WireFormat.matrix(Tensor(rows: 1, columns: 4, scalars: [0.01, -0.02, 0.03, 0.04]))
        return [
            ("round-states.binpb", try round.serializedBytes()),
            ("upload-categorical.binpb", try categorical.serializedBytes()),
            ("upload-gaussian.binpb", try gaussian.serializedBytes()),
            ("register.binpb", try register.serializedBytes()),
            ("public-states.binpb", try states.serializedBytes()),
            ("consensus.binpb", try answer.serializedBytes()),
        ]
    }
}
#endif
