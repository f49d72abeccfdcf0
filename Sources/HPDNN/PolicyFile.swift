import Foundation
import HPDTensor

/// A policy as a safetensors file that PyTorch loads as it is.
///
/// Tensor names are those of the PyTorch module `fedhpd_client.policy` builds — a body `nn.Sequential` of
/// `Linear` and activation modules, so Linear layers sit at module indices 0, 2, 4, …, then the heads:
///
///     categorical:  body.<2i>.weight (out × in), body.<2i>.bias, head.weight, head.bias
///     gaussian:     body.<2i>.*, mean_head.weight, mean_head.bias, std_head.weight, std_head.bias
///
/// `__metadata__` describes the architecture — `family` (categorical | gaussian), `observation_size`,
/// `action_size`, `hidden_sizes` (JSON array of integers) and `activations` (JSON array of relu | tanh) — beside
/// whatever the caller adds (environment, seed, …; see `HPDFederation.SavedPolicy`).
public enum PolicyFile {
    /// The metadata keys describing the architecture.
    public enum Key {
        /// `categorical` or `gaussian`.
        public static let family = "family"
        /// The observation length, e.g. `4`.
        public static let observationSize = "observation_size"
        /// Discrete actions or action dimensions, e.g. `2`.
        public static let actionSize = "action_size"
        /// JSON array of hidden widths, e.g. `[64,64]`.
        public static let hiddenSizes = "hidden_sizes"
        /// JSON array of activations, e.g. `["relu","tanh"]`.
        public static let activations = "activations"
    }

    /// The tensor names of `architecture`, in `Policy.parameters` order.
    public static func tensorNames(_ architecture: PolicyArchitecture) -> [String] {
        let body = architecture.hiddenSizes.indices.flatMap { ["body.\(2 * $0).weight", "body.\(2 * $0).bias"] }
        let heads = architecture.family == .categorical ? ["head"] : ["mean_head", "std_head"]
        return body + heads.flatMap { ["\($0).weight", "\($0).bias"] }
    }

    /// The metadata entries describing `architecture`.
    public static func metadata(_ architecture: PolicyArchitecture) -> [String: String] {
        [
            Key.family: architecture.family.rawValue,
            Key.observationSize: "\(architecture.observationSize)",
            Key.actionSize: "\(architecture.actionSize)",
            Key.hiddenSizes: "[" + architecture.hiddenSizes.map(String.init).joined(separator: ",") + "]",
            Key.activations: "[" + architecture.activations.map { "\"\($0.rawValue)\"" }.joined(separator: ",") + "]",
        ]
    }

    /// The file content of `policy`, with `metadata` added to the architecture's entries.
    public static func content(of policy: Policy, metadata: [String: String] = [:]) -> SafeTensors {
        let tensors = zip(tensorNames(policy.architecture), policy.parameters).map { name, parameter in
            SafeTensors.Entry(name: name, shape: parameter.value.shape, scalars: parameter.value.scalars)
        }
        return SafeTensors(
            tensors: tensors, metadata: metadata.merging(Self.metadata(policy.architecture)) { _, new in new })
    }

    /// Writes `policy` to `url` atomically.
    public static func save(_ policy: Policy, metadata: [String: String] = [:], to url: URL) throws {
        try AtomicFile.write(content(of: policy, metadata: metadata).encoded(), to: url)
    }

    /// Reads the file at `url` as safetensors.
    public static func read(_ url: URL) throws(PolicyFileError) -> SafeTensors {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw PolicyFileError(path: url.path, problem: .unreadable(error.localizedDescription))
        }
        return try SafeTensors.decode(data, path: url.path)
    }

    /// Loads a policy (a `CategoricalPolicy` or `GaussianPolicy` as its metadata says) and its metadata.
    public static func load(from url: URL) throws(PolicyFileError) -> (policy: Policy, metadata: [String: String]) {
        let content = try read(url)
        return (try policy(from: content, path: url.path), content.metadata)
    }

    /// Builds the policy a file content describes.
    public static func policy(from content: SafeTensors, path: String) throws(PolicyFileError) -> Policy {
        let architecture = try architecture(from: content.metadata, path: path)
        var generator = RandomGenerator(seed: 0)
        let policy: Policy =
            architecture.family == .categorical
            ? CategoricalPolicy(architecture: architecture, generator: &generator)
            : GaussianPolicy(architecture: architecture, generator: &generator)
        try assign(content, to: policy, path: path)
        return policy
    }

    /// Copies a file's tensors into an existing `policy` (a warm start), after checking that the file's tensor names
    /// and shapes, then its family and activations (when its metadata states them) all match the policy's.
    public static func assign(_ content: SafeTensors, to policy: Policy, path: String) throws(PolicyFileError) {
        func fail(_ problem: PolicyFileError.Problem) -> PolicyFileError {
            PolicyFileError(path: path, problem: problem)
        }
        let architecture = policy.architecture
        let names = tensorNames(architecture)
        for (name, parameter) in zip(names, policy.parameters) {
            if let entry = content[name], entry.shape != parameter.value.shape {
                throw fail(.shapeMismatch(tensor: name, expected: parameter.value.shape, found: entry.shape))
            }
        }
        if let extra = content.tensors.first(where: { !names.contains($0.name) }) {
            throw fail(.unexpectedTensor(extra.name))
        }
        for name in names {
            guard let entry = content[name] else { throw fail(.missingTensor(name)) }
            guard entry.scalars.allSatisfy(\.isFinite) else { throw fail(.nonFiniteValues(tensor: name)) }
        }
        if let family = content.metadata[Key.family], family != architecture.family.rawValue {
            throw fail(.incompatible("the file holds a \(family) policy, expected \(architecture.family.rawValue)"))
        }
        if let text = content.metadata[Key.activations], let activations = try? decodeActivations(text),
            activations.count == architecture.activations.count, activations != architecture.activations
        {
            throw fail(
                .incompatible(
                    "the file's activations \(activations.map(\.rawValue)) differ from \(architecture.activations.map(\.rawValue))"
                ))
        }
        for (name, parameter) in zip(names, policy.parameters) {
            parameter.assign(Tensor(shape: parameter.value.shape, scalars: content[name]!.scalars))
        }
    }

    /// The architecture stated by a file's metadata.
    public static func architecture(
        from metadata: [String: String], path: String
    ) throws(PolicyFileError)
        -> PolicyArchitecture
    {
        func fail(_ key: String, _ reason: String) -> PolicyFileError {
            PolicyFileError(path: path, problem: .badMetadata(key: key, reason: reason))
        }
        func value(_ key: String) throws(PolicyFileError) -> String {
            guard let text = metadata[key] else {
                throw fail(key, "missing (a FedHPD policy file states its architecture)")
            }
            return text
        }
        func integer(_ key: String) throws(PolicyFileError) -> Int {
            let text = try value(key)
            guard let number = Int(text) else { throw fail(key, "'\(text)' is not an integer") }
            return number
        }
        let familyText = try value(Key.family)
        guard let family = PolicyArchitecture.Family(rawValue: familyText) else {
            throw fail(Key.family, "'\(familyText)' is neither categorical nor gaussian")
        }
        let sizesText = try value(Key.hiddenSizes)
        guard let sizes = try? JSONDecoder().decode([Int].self, from: Data(sizesText.utf8)) else {
            throw fail(Key.hiddenSizes, "'\(sizesText)' is not a JSON array of integers")
        }
        let activationsText = try value(Key.activations)
        guard let activations = try? decodeActivations(activationsText) else {
            throw fail(Key.activations, "'\(activationsText)' is not a JSON array of \"relu\" / \"tanh\"")
        }
        let architecture = PolicyArchitecture(
            family: family, observationSize: try integer(Key.observationSize), actionSize: try integer(Key.actionSize),
            hiddenSizes: sizes, activations: activations)
        do { try architecture.validate() } catch { throw fail("architecture", "\(error)") }
        return architecture
    }

    static func decodeActivations(_ text: String) throws -> [Activation] {
        try JSONDecoder().decode([Activation].self, from: Data(text.utf8))
    }
}
