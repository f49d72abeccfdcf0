import Foundation
import HPDNN
import HPDRL

/// A trained agent's policy as `policies/agent-<k>.safetensors` stores it: the network (see `PolicyFile` for the
/// tensor names and architecture metadata) and where it comes from.
///
/// Metadata added to the architecture's (every value a string, as safetensors requires):
///
///     environment        Gymnasium id, e.g. CartPole-v1
///     action_space       {"type":"discrete","n":2} or {"type":"box","low":[-3.0],"high":[3.0]}
///     run_seed           the training run's seed            (optional)
///     agent_index        k in agent-<k>, counted from 1     (optional)
///     episodes_trained   episodes of local training so far  (optional)
public struct SavedPolicy {
    /// The metadata keys this type adds.
    public enum Key {
        /// The Gymnasium id.
        public static let environment = "environment"
        /// The action space as JSON.
        public static let actionSpace = "action_space"
        /// The run seed.
        public static let runSeed = "run_seed"
        /// k, from 1.
        public static let agentIndex = "agent_index"
        /// Local training episodes.
        public static let episodesTrained = "episodes_trained"
    }

    /// The network.
    public var policy: Policy
    /// The environment id it acts in.
    public var environment: String
    /// The environment's action space.
    public var actionSpace: ActionSpace
    /// The training run's seed.
    public var runSeed: UInt64?
    /// Agent k (from 1) of its run.
    public var agentIndex: Int?
    /// Local training episodes behind it.
    public var episodesTrained: Int?

    /// A policy with its provenance.
    public init(
        policy: Policy, environment: String, actionSpace: ActionSpace, runSeed: UInt64? = nil, agentIndex: Int? = nil,
        episodesTrained: Int? = nil
    ) {
        self.policy = policy
        self.environment = environment
        self.actionSpace = actionSpace
        self.runSeed = runSeed
        self.agentIndex = agentIndex
        self.episodesTrained = episodesTrained
    }

    /// The metadata written beside the architecture's.
    public var metadata: [String: String] {
        var entries = [Key.environment: environment, Key.actionSpace: Self.describe(actionSpace)]
        if let runSeed { entries[Key.runSeed] = "\(runSeed)" }
        if let agentIndex { entries[Key.agentIndex] = "\(agentIndex)" }
        if let episodesTrained { entries[Key.episodesTrained] = "\(episodesTrained)" }
        return entries
    }

    /// Writes the file atomically.
    public func write(to url: URL) throws {
        try PolicyFile.save(policy, metadata: metadata, to: url)
    }

    /// Reads a policy file written by `write(to:)` or by PyTorch with the same names and metadata.
    public static func load(from url: URL) throws(PolicyFileError) -> SavedPolicy {
        let (policy, metadata) = try PolicyFile.load(from: url)
        func fail(_ key: String, _ reason: String) -> PolicyFileError {
            PolicyFileError(path: url.path, problem: .badMetadata(key: key, reason: reason))
        }
        guard let environment = metadata[Key.environment], !environment.isEmpty else {
            throw fail(Key.environment, "missing (the Gymnasium id the policy acts in)")
        }
        guard let spaceText = metadata[Key.actionSpace] else { throw fail(Key.actionSpace, "missing") }
        guard let actionSpace = parse(spaceText) else {
            throw fail(
                Key.actionSpace,
                "'\(spaceText)' is not {\"type\":\"discrete\",\"n\":N} or {\"type\":\"box\",\"low\":[…],\"high\":[…]}")
        }
        func optional<T: LosslessStringConvertible>(_ key: String, as: T.Type) throws(PolicyFileError) -> T? {
            guard let text = metadata[key] else { return nil }
            guard let value = T(text) else { throw fail(key, "'\(text)' is not an integer") }
            return value
        }
        return SavedPolicy(
            policy: policy, environment: environment, actionSpace: actionSpace,
            runSeed: try optional(Key.runSeed, as: UInt64.self), agentIndex: try optional(Key.agentIndex, as: Int.self),
            episodesTrained: try optional(Key.episodesTrained, as: Int.self))
    }

    /// Checks that the policy can act in `environment`: same observation size, an action head of the right family
    /// and size; the error names the file and both sides.
    public func checkFits(_ environment: EnvironmentSpecification, path: String) throws(PolicyFileError) {
        let architecture = policy.architecture
        func fail(_ reason: String) -> PolicyFileError { PolicyFileError(path: path, problem: .incompatible(reason)) }
        guard architecture.observationSize == environment.observationSize else {
            throw fail(
                "the policy takes observations of size \(architecture.observationSize), \(environment.id) gives \(environment.observationSize)"
            )
        }
        switch (environment.actionSpace, architecture.family) {
        case (.discrete(let count), .categorical) where count == architecture.actionSize: break
        case (.continuous(let low, _), .gaussian) where low.count == architecture.actionSize: break
        default:
            throw fail(
                "the policy's \(architecture.family.rawValue) head over \(architecture.actionSize) actions does not fit \(environment.id)'s action space \(Self.describe(environment.actionSpace))"
            )
        }
    }

    /// Gymnasium-like JSON for an action space.
    public static func describe(_ space: ActionSpace) -> String {
        switch space {
        case .discrete(let count): return "{\"type\":\"discrete\",\"n\":\(count)}"
        case .continuous(let low, let high):
            let list = { (values: [Float]) in "[" + values.map { "\(Double($0))" }.joined(separator: ",") + "]" }
            return "{\"type\":\"box\",\"low\":\(list(low)),\"high\":\(list(high))}"
        }
    }

    /// The action space described by `describe`'s JSON, or nil.
    public static func parse(_ text: String) -> ActionSpace? {
        struct Description: Decodable {
            var type: String
            var n: Int?
            var low: [Float]?
            var high: [Float]?
        }
        guard let description = try? JSONDecoder().decode(Description.self, from: Data(text.utf8)) else { return nil }
        switch description.type {
        case "discrete":
            guard let count = description.n, count > 0 else { return nil }
            return .discrete(count: count)
        case "box":
            guard let low = description.low, let high = description.high, low.count == high.count, !low.isEmpty else {
                return nil
            }
            return .continuous(low: low, high: high)
        default: return nil
        }
    }
}
