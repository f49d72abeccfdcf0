#if Network
import HPDFederation
import HPDTensor

/// Conversions between the core types and the protocol's messages (`Generated/federation.pb.swift`, from
/// `Protos/federation.proto`). Decoding checks shapes, since a hostile peer may send anything; value checks (finite,
/// normalised…) are `ActionDistribution.validate`'s job, and ``acceptedDistribution(_:expectedFamily:stateCount:)`` does
/// both, as the server does for every upload and a client for every consensus.
///
/// This module holds the messages and their conversions only, without the gRPC transport, so that the decoding of
/// outside bytes can be fuzzed (`scripts/fuzz.sh wire`) without building the transport.
package enum WireFormat {
    /// A malformed message: the reason names the field.
    package struct Malformed: Error, CustomStringConvertible {
        package var description: String
        package init(_ description: String) { self.description = description }
    }

    package static func matrix(_ tensor: Tensor) -> Fedhpd_Network_V1_PackedMatrix {
        var message = Fedhpd_Network_V1_PackedMatrix()
        message.rows = UInt32(tensor.rows)
        message.columns = UInt32(tensor.columns)
        message.values = tensor.scalars
        return message
    }

    package static func tensor(_ message: Fedhpd_Network_V1_PackedMatrix, field: String) throws(Malformed) -> Tensor {
        let rows = Int(message.rows)
        let columns = Int(message.columns)
        let (count, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard rows > 0, columns > 0, !overflow else {
            throw Malformed("\(field): shape \(rows) × \(columns) is not a positive matrix shape")
        }
        guard message.values.count == count else {
            throw Malformed(
                "\(field): \(message.values.count) values for shape \(rows) × \(columns) (expected \(count))")
        }
        return Tensor(rows: rows, columns: columns, scalars: message.values)
    }

    package static func family(_ family: DistributionFamily) -> Fedhpd_Network_V1_DistributionFamily {
        var message = Fedhpd_Network_V1_DistributionFamily()
        switch family {
        case .categorical(let count):
            message.kind = .categorical
            message.width = UInt32(count)
        case .gaussian(let dimensions):
            message.kind = .gaussian
            message.width = UInt32(dimensions)
        }
        return message
    }

    package static func family(_ message: Fedhpd_Network_V1_DistributionFamily) throws(Malformed) -> DistributionFamily
    {
        guard message.width > 0 && message.width <= 65_536 else {
            throw Malformed("distribution width \(message.width) is out of range")
        }
        switch message.kind {
        case .categorical: return .categorical(actionCount: Int(message.width))
        case .gaussian: return .gaussian(dimensions: Int(message.width))
        default: throw Malformed("unknown distribution family \(message.kind.rawValue)")
        }
    }

    package static func distribution(_ distribution: ActionDistribution) -> Fedhpd_Network_V1_ActionDistribution {
        var message = Fedhpd_Network_V1_ActionDistribution()
        switch distribution {
        case .categorical(let probabilities):
            var categorical = Fedhpd_Network_V1_ActionDistribution.Categorical()
            categorical.probabilities = matrix(probabilities)
            message.distribution = .categorical(categorical)
        case .gaussian(let mean, let deviation):
            var gaussian = Fedhpd_Network_V1_ActionDistribution.Gaussian()
            gaussian.mean = matrix(mean)
            gaussian.standardDeviation = matrix(deviation)
            message.distribution = .gaussian(gaussian)
        }
        return message
    }

    package static func distribution(
        _ message: Fedhpd_Network_V1_ActionDistribution
    ) throws(Malformed) -> ActionDistribution {
        switch message.distribution {
        case .categorical(let categorical)?:
            return .categorical(probabilities: try tensor(categorical.probabilities, field: "probabilities"))
        case .gaussian(let gaussian)?:
            return .gaussian(
                mean: try tensor(gaussian.mean, field: "mean"),
                standardDeviation: try tensor(gaussian.standardDeviation, field: "standard_deviation"))
        case nil:
            throw Malformed("no distribution")
        }
    }

    /// A distribution from the other side as it is accepted — an agent's upload by the server, the consensus by a
    /// client: decoded (shapes) and validated (family, state count, finite values, probabilities that sum to 1,
    /// positive deviations). Every refusal is a `FederationError.invalidDistribution` whose reason names the field
    /// or value.
    package static func acceptedDistribution(
        _ message: Fedhpd_Network_V1_ActionDistribution, expectedFamily: DistributionFamily, stateCount: Int
    ) throws(FederationError) -> ActionDistribution {
        let distribution: ActionDistribution
        do { distribution = try WireFormat.distribution(message) } catch {
            throw .invalidDistribution(error.description)
        }
        try distribution.validate(expectedFamily: expectedFamily, stateCount: stateCount)
        return distribution
    }

    /// The states of a DPA-FedRL round (`RoundStatesResponse`) as a client accepts them: a positive matrix shape,
    /// `observationSize` columns and finite values; the refusal names the field or value.
    package static func acceptedRoundStates(
        _ message: Fedhpd_Network_V1_RoundStatesResponse, observationSize: Int
    ) throws(Malformed) -> Tensor {
        let states = try tensor(message.states, field: "round states")
        guard states.columns == observationSize else {
            throw Malformed("round states: \(states.columns) columns, expected the observation size \(observationSize)")
        }
        if let index = states.scalars.firstIndex(where: { !$0.isFinite }) {
            throw Malformed(
                "round states: value \(states.scalars[index]) at row \(index / observationSize + 1) is not finite")
        }
        return states
    }

    /// The family a task's action space calls for.
    package static func family(for environment: EnvironmentSpecification) -> DistributionFamily {
        if case .discrete(let count) = environment.actionSpace { return .categorical(actionCount: count) }
        return .gaussian(dimensions: environment.actionSpace.size)
    }
}
#endif
