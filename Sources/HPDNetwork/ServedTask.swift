#if Network
import Foundation
import HPDFederation
import HPDNN
import HPDRL

/// What the server needs to know of a task it does not simulate, and how its run is identified.
///
/// The server of a FedHPD run never steps an environment: it needs the public state set, the observation size (the
/// states' width) and the action space as a distribution family (categorical over N actions, or a Gaussian over N
/// dimensions). `remote` describes such a task — e.g. a Gymnasium task hosted by Python clients — by those sizes
/// alone; the clients own the environment.
public enum ServedTask {
    /// A task known only by its id and sizes. Continuous bounds are unknown to the server (it only needs the
    /// dimension count), so they are recorded as (−∞, ∞); the environment factory throws, naming the task, because
    /// the server must never step it.
    public static func remote(id: String, observationSize: Int, actionSpace: ActionSpace) -> EnvironmentSpecification {
        EnvironmentSpecification(
            id: id, observationSize: observationSize, actionSpace: actionSpace,
            makeEnvironment: { _ in throw FederationError.unknownEnvironment(id, known: []) })
    }

    /// A continuous action space of `dimensions` dimensions whose bounds the server does not know.
    public static func continuous(dimensions: Int) -> ActionSpace {
        .continuous(
            low: Array(repeating: -Float.infinity, count: dimensions),
            high: Array(repeating: Float.infinity, count: dimensions))
    }

    /// The roster entry of an agent whose architecture is not disclosed to the server (a client that asked for
    /// server-assigned places): no hidden layers, no activations, the task's default learner settings. config.json
    /// shows it as `"hiddenSizes": []`, `"activations": []`.
    public static func undisclosedAgent(for environment: EnvironmentSpecification) -> AgentSpecification {
        AgentSpecification(hiddenSizes: [], activations: [], reinforce: environment.agentDefaults)
    }

    /// Whether a roster entry is `undisclosedAgent`'s (no hidden layers).
    public static func isUndisclosed(_ agent: AgentSpecification) -> Bool { agent.hiddenSizes.isEmpty }

    /// FNV-1a (16 hexadecimal digits) of the run configuration's JSON (keys sorted): equal for equal configurations,
    /// so a client (or a restarted server) can tell whether it is the same run.
    public static func fingerprint(of configuration: FederationConfiguration) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(configuration)) ?? Data()
        return String(format: "%016llx", Checksum.fnv1a(data))
    }
}
#endif
