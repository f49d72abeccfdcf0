import HPDNN
import HPDRL

/// The form users write in `--agents FILE.json`: an array of objects with `hiddenSizes`, either `activation` (one for
/// all layers) or `activations` (one per layer), `learningRate` (the policy's), optionally `gamma`, and
///
/// - `"algorithm": "reinforce"` (the default) with optionally any other `ReinforceConfiguration` field
///   (`normalizeReturns`, `optimizer`, `weightDecay`, `schedulerStepSize`, `schedulerGamma`);
/// - `"algorithm": "a2c"` with optionally `"a2c": {…}` (any `A2CConfiguration` field) and `"valueNetwork": {…}`;
/// - `"algorithm": "ppo"` with optionally `"ppo": {…}` (any `PPOConfiguration` field) and `"valueNetwork": {…}`.
///
/// Omitted fields take the environment's (REINFORCE) or the learner's documented defaults. A setting that does not
/// apply to the agent's algorithm is an error naming the agent and the field.
package struct AgentFileEntry: Codable, Sendable {
    /// Hidden-layer widths.
    package var hiddenSizes: [Int]
    /// One activation for every hidden layer (give this or `activations`).
    package var activation: Activation?
    /// One activation per hidden layer (wins over `activation`).
    package var activations: [Activation]?
    /// The learning rate η₀ (required).
    package var learningRate: Float
    /// The discount γ, if not the default.
    package var gamma: Double?
    /// Whether returns are normalised per episode, if not the default.
    package var normalizeReturns: Bool?
    /// The optimiser, if not the default.
    package var optimizer: ReinforceConfiguration.OptimizerKind?
    /// AdamW's weight decay λ, if not the default.
    package var weightDecay: Float?
    /// StepLR's step size in episodes (0 or less: no scheduler), if not the default.
    package var schedulerStepSize: Int?
    /// StepLR's γ, if not the default.
    package var schedulerGamma: Float?
    /// `reinforce` (default), `a2c` or `ppo`.
    package var algorithm: String?
    /// A2C settings (an `a2c` agent only).
    package var a2c: A2CConfiguration?
    /// PPO settings (a `ppo` agent only).
    package var ppo: PPOConfiguration?
    /// The value network of an `a2c` or `ppo` agent (default: the policy's hidden layers).
    package var valueNetwork: ValueNetworkEntry?

    /// The full specification, filling omitted fields from `defaults`.
    package func specification(defaults: ReinforceConfiguration, index: Int) throws -> AgentSpecification {
        let layerActivations: [Activation]
        if let activations {
            layerActivations = activations
        } else if let activation {
            layerActivations = Array(repeating: activation, count: hiddenSizes.count)
        } else {
            throw FederationError.invalidConfiguration("agent \(index + 1): give 'activation' or 'activations'")
        }
        guard layerActivations.count == hiddenSizes.count else {
            throw FederationError.invalidConfiguration(
                "agent \(index + 1): \(hiddenSizes.count) hidden sizes but \(layerActivations.count) activations")
        }
        guard hiddenSizes.allSatisfy({ $0 > 0 && $0 <= 65_536 }) else {
            throw FederationError.invalidConfiguration(
                "agent \(index + 1): hidden sizes must be in 1...65536, got \(hiddenSizes)")
        }
        guard learningRate > 0, learningRate.isFinite else {
            throw FederationError.invalidConfiguration(
                "agent \(index + 1): learningRate must be positive, got \(learningRate)")
        }
        var reinforce = defaults
        reinforce.learningRate = learningRate
        if let gamma { reinforce.gamma = gamma }
        if let normalizeReturns { reinforce.normalizeReturns = normalizeReturns }
        if let optimizer { reinforce.optimizer = optimizer }
        if let weightDecay { reinforce.weightDecay = weightDecay }
        if let schedulerStepSize { reinforce.schedulerStepSize = schedulerStepSize > 0 ? schedulerStepSize : nil }
        if let schedulerGamma { reinforce.schedulerGamma = schedulerGamma }
        var specification = AgentSpecification(
            hiddenSizes: hiddenSizes, activations: layerActivations, reinforce: reinforce)
        try addLearner(to: &specification, index: index)
        do { try specification.validate() } catch {
            throw FederationError.invalidConfiguration("agent \(index + 1): \(error.description)")
        }
        return specification
    }

    /// Sets the A2C or PPO configuration the entry asks for, rejecting settings that belong to another algorithm.
    private func addLearner(to specification: inout AgentSpecification, index: Int) throws {
        func fail(_ reason: String) -> FederationError { .invalidConfiguration("agent \(index + 1): \(reason)") }
        let name = algorithm ?? LearningAlgorithm.reinforce.rawValue
        guard let chosen = LearningAlgorithm(rawValue: name) else {
            throw fail(
                "algorithm '\(name)' is unknown (use \(LearningAlgorithm.allCases.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        if a2c != nil && chosen != .a2c { throw fail("'a2c' settings given to a \(chosen.rawValue) agent") }
        if ppo != nil && chosen != .ppo { throw fail("'ppo' settings given to a \(chosen.rawValue) agent") }
        if chosen == .reinforce {
            if valueNetwork != nil {
                throw fail("'valueNetwork' applies to a2c and ppo agents only (a REINFORCE agent has no value network)")
            }
            return
        }
        let reinforceOnly: [(String, Bool)] = [
            ("normalizeReturns", normalizeReturns != nil), ("optimizer", optimizer != nil),
            ("weightDecay", weightDecay != nil), ("schedulerStepSize", schedulerStepSize != nil),
            ("schedulerGamma", schedulerGamma != nil),
        ]
        if let (field, _) = reinforceOnly.first(where: \.1) {
            throw fail("'\(field)' applies to reinforce agents only, not to \(chosen.rawValue)")
        }
        let value = try valueNetwork?.specification(
            policyHiddenSizes: hiddenSizes, policyActivations: specification.activations, index: index)
        if chosen == .a2c {
            var configuration = a2c ?? A2CConfiguration(learningRate: learningRate)
            configuration.learningRate = learningRate
            if let gamma { configuration.gamma = gamma }
            if let value { configuration.valueNetwork = value }
            specification.a2c = configuration
        } else {
            var configuration = ppo ?? PPOConfiguration(learningRate: learningRate)
            configuration.learningRate = learningRate
            if let gamma { configuration.gamma = gamma }
            if let value { configuration.valueNetwork = value }
            specification.ppo = configuration
        }
        do { try specification.validateLearner() } catch { throw fail(error.description) }
    }
}

/// The `valueNetwork` object of an agents-file entry: optionally `hiddenSizes`, `activation` or `activations`, and
/// `learningRate`; omitted layers repeat the policy's.
package struct ValueNetworkEntry: Codable, Sendable {
    /// Hidden-layer widths (default: the policy's).
    package var hiddenSizes: [Int]?
    /// One activation for every hidden layer.
    package var activation: Activation?
    /// One activation per hidden layer (wins over `activation`).
    package var activations: [Activation]?
    /// The value network's learning rate (default: the learner's).
    package var learningRate: Float?

    /// The resolved specification, naming agent `index + 1` in errors.
    func specification(
        policyHiddenSizes: [Int], policyActivations: [Activation], index: Int
    ) throws -> ValueNetworkSpecification {
        func fail(_ reason: String) -> FederationError {
            .invalidConfiguration("agent \(index + 1): valueNetwork.\(reason)")
        }
        let sizes = hiddenSizes ?? policyHiddenSizes
        let layerActivations: [Activation]
        if let activations {
            layerActivations = activations
        } else if let activation {
            layerActivations = Array(repeating: activation, count: sizes.count)
        } else if hiddenSizes == nil {
            layerActivations = policyActivations
        } else {
            throw fail("activation: give 'activation' or 'activations' with 'hiddenSizes'")
        }
        guard layerActivations.count == sizes.count else {
            throw fail("activations: \(sizes.count) hidden sizes but \(layerActivations.count) activations")
        }
        guard sizes.allSatisfy({ $0 > 0 && $0 <= 65_536 }) else {
            throw fail("hiddenSizes must be in 1...65536, got \(sizes)")
        }
        if let learningRate, !(learningRate > 0 && learningRate.isFinite) {
            throw fail("learningRate must be positive, got \(learningRate)")
        }
        return ValueNetworkSpecification(hiddenSizes: sizes, activations: layerActivations, learningRate: learningRate)
    }
}
