import ArgumentParser
import Foundation
import HPDFederation
import HPDRL
import HPDTensor

#if Network
import HPDNetwork

/// `fedhpd serve`'s description of the task: `--env` alone for a task this program simulates, or `--env ID` with
/// `--observation-size N` and `--actions N` (categorical) or `--action-dimensions N` (Gaussian) for one it does not
/// (e.g. a Gymnasium task whose agents are hosted by Python clients). The server never steps the task: it needs only
/// the public state set's width and the action distributions' family.
struct ServedTaskOptions: ParsableArguments {
    @Option(
        name: .customLong("observation-size"), help: "For a task this server does not simulate: the observation length."
    )
    var observationSize: Int?
    @Option(help: "For a task this server does not simulate: the number of discrete actions (categorical policies).")
    var actions: Int?
    @Option(
        name: .customLong("action-dimensions"),
        help: "For a task this server does not simulate: continuous action dimensions (Gaussian policies).")
    var actionDimensions: Int?

    /// Whether the task is described by its sizes.
    var sizesGiven: Bool { observationSize != nil || actions != nil || actionDimensions != nil }

    /// The task `id`: the catalog's when no size is given; otherwise the given sizes (checked against the catalog's
    /// when the id is a known task).
    func environment(id: String) throws -> EnvironmentSpecification {
        guard sizesGiven else {
            do { return try Catalog.all.specification(for: id) } catch {
                throw CommandError(
                    "--env \(id): \(error). For a task this server does not simulate, describe it with "
                        + "--observation-size N and --actions N (discrete) or --action-dimensions N (continuous)")
            }
        }
        guard let observationSize else {
            throw CommandError("--env \(id): give --observation-size N with --actions or --action-dimensions")
        }
        guard observationSize > 0 else {
            throw CommandError("--observation-size must be positive, got \(observationSize)")
        }
        let space: ActionSpace
        switch (actions, actionDimensions) {
        case (let count?, nil):
            guard count >= 2 else { throw CommandError("--actions must be at least 2, got \(count)") }
            space = .discrete(count: count)
        case (nil, let dimensions?):
            guard dimensions >= 1 else { throw CommandError("--action-dimensions must be positive, got \(dimensions)") }
            space = ServedTask.continuous(dimensions: dimensions)
        default:
            throw CommandError(
                "--env \(id): give exactly one of --actions N (discrete) and --action-dimensions N (continuous)")
        }
        if let known = try? Catalog.all.specification(for: id) {
            let sameKind: Bool
            switch (known.actionSpace, space) {
            case (.discrete, .discrete), (.continuous, .continuous): sameKind = true
            default: sameKind = false
            }
            guard known.observationSize == observationSize, sameKind, known.actionSpace.size == space.size else {
                throw CommandError(
                    "--env \(known.id) has observations of \(known.observationSize) and \(known.actionSpace.size) "
                        + "\(known.actionSpace.isDiscrete ? "actions" : "action dimensions"); the sizes given differ")
            }
            return known
        }
        return ServedTask.remote(id: id, observationSize: observationSize, actionSpace: space)
    }
}

extension ActionSpace {
    fileprivate var isDiscrete: Bool {
        if case .discrete = self { return true }
        return false
    }
}
#endif

#if Network
/// The methods `fedhpd serve` runs.
enum ServedMethod {
    /// Every method can be served; DPA-FedRL's server steps its own environment of the task, so it needs `--env`
    /// naming a task this program simulates (`given`: the `--env` value, nil when omitted).
    static func check(_ method: FederationConfiguration.Method, env given: String?) throws {
        guard method == .dpa else { return }
        let known = Catalog.all.specifications.map(\.id).joined(separator: ", ")
        guard let given else {
            throw CommandError(
                "--method dpa needs --env ID: DPA-FedRL's server steps its own environment of the task (known tasks: \(known))"
            )
        }
        guard (try? Catalog.all.specification(for: given)) != nil else {
            throw CommandError(
                "--method dpa --env \(given): DPA-FedRL's server steps its own environment of the task, and this "
                    + "server does not simulate \(given) (known tasks: \(known))")
        }
    }

    /// NoFed and DPA-FedRL need no public states, but the protocol hands every client a set: one all-zero state,
    /// never used and not recorded in config.json.
    static func placeholderStates(for environment: EnvironmentSpecification) -> PublicStateSet {
        PublicStateSet(
            states: Tensor(
                rows: 1, columns: environment.observationSize,
                scalars: Array(repeating: 0, count: environment.observationSize)),
            source: "none (not a FedHPD run)")
    }
}
#endif
