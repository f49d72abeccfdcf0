import Foundation
import HPDRL

/// Reading an agents file (`--agents FILE.json`) strictly: syntax errors with line and column, unknown keys refused
/// with the closest known one (also inside `a2c`, `ppo` and `valueNetwork`), every hyperparameter range-checked.
extension AgentFileEntry {
    /// The keys of an entry.
    package static let keys = [
        "hiddenSizes", "activation", "activations", "learningRate", "gamma", "normalizeReturns", "optimizer",
        "weightDecay", "schedulerStepSize", "schedulerGamma", "algorithm", "a2c", "ppo", "valueNetwork",
    ]

    /// The keys of the objects inside an entry, by the key that holds them.
    package static let nestedKeys: [String: [String]] = [
        "a2c": [
            "learningRate", "gamma", "gaeLambda", "entropyCoefficient", "normalizeAdvantages", "maxGradientNorm",
            "valueNetwork",
        ],
        "ppo": [
            "learningRate", "gamma", "gaeLambda", "clip", "clipValueLoss", "epochs", "minibatchSize", "rolloutSteps",
            "valueCoefficient", "entropyCoefficient", "maxGradientNorm", "normalizeAdvantages", "valueNetwork",
        ],
        "valueNetwork": ["hiddenSizes", "activation", "activations", "learningRate"],
    ]

    /// The agents of the JSON file at `url` (a non-empty array of entries), omitted fields filled from `defaults`.
    /// Every error names the file, and the entry and field when there is one.
    package static func readAgents(from url: URL, defaults: ReinforceConfiguration) throws -> [AgentSpecification] {
        let data = try FileSystemError.reading(url) { try Data(contentsOf: url) }
        return try agents(fromJSON: data, file: url.path, defaults: defaults)
    }

    /// The agents of an agents file's bytes (`file` names it in messages); the checks of `readAgents(from:defaults:)`.
    package static func agents(
        fromJSON data: Data, file: String, defaults: ReinforceConfiguration
    ) throws(FederationError)
        -> [AgentSpecification]
    {
        let entries = try StrictJSON.decode(
            [AgentFileEntry].self, from: data, file: file, keys: keys, nested: nestedKeys)
        guard !entries.isEmpty else { throw .invalidConfiguration("\(file): the array is empty") }
        do {
            return try entries.enumerated().map { try $0.element.specification(defaults: defaults, index: $0.offset) }
        } catch let error as FederationError {
            throw .invalidConfiguration(
                "\(file): " + error.description.replacingOccurrences(of: "invalid configuration: ", with: ""))
        } catch {
            throw .invalidConfiguration("\(file): \(error)")
        }
    }
}
