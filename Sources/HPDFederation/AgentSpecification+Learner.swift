import HPDNN
import HPDRL
import HPDTensor

/// The local learning algorithms an agent can use.
public enum LearningAlgorithm: String, Codable, Sendable, CaseIterable {
    /// REINFORCE (`ReinforceLearner`), the paper's.
    case reinforce
    /// Episodic advantage actor-critic with a private value network (`A2CLearner`).
    case a2c
    /// PPO, CleanRL's formulation, with a private value network (`PPOLearner`).
    case ppo
}

/// Why a learner's settings were rejected: the offending field, prefixed with the learner (`ppo.clip must be …`).
public struct LearnerSettingError: Error, CustomStringConvertible {
    /// The message.
    public var description: String
}

extension AgentSpecification {
    /// Checks the A2C or PPO settings; the message starts with the field, e.g. `ppo.clip must be positive, got 0`.
    public func validateLearner() throws(LearnerSettingError) {
        if a2c != nil && ppo != nil { throw LearnerSettingError(description: "give 'a2c' or 'ppo' settings, not both") }
        do {
            try a2c?.validate()
        } catch { throw LearnerSettingError(description: "a2c.\(error.description)") }
        do {
            try ppo?.validate()
        } catch { throw LearnerSettingError(description: "ppo.\(error.description)") }
    }

    /// Builds this agent's learner around `policy`. A2C and PPO draw their value network's initial weights from
    /// `weights` after the policy's, so the policy's initialisation does not depend on the algorithm.
    public func makeLearner(
        policy: Policy, environment: any Environment, environmentSeed: UInt64, generator: RandomGenerator,
        weights: inout RandomGenerator
    ) -> any PolicyLearner {
        /// The critic of an actor-critic learner: `specification`, else the policy's hidden layers; its weights are
        /// drawn from `weights` after the policy's.
        func valueNetwork(_ specification: ValueNetworkSpecification?) -> ValueNetwork {
            ValueNetwork(
                observationSize: environment.observationSize,
                specification: specification
                    ?? ValueNetworkSpecification(hiddenSizes: hiddenSizes, activations: activations),
                generator: &weights)
        }
        if let ppo {
            return PPOLearner(
                policy: policy, valueNetwork: valueNetwork(ppo.valueNetwork), environment: environment,
                configuration: ppo, environmentSeed: environmentSeed, generator: generator)
        }
        if let a2c {
            return A2CLearner(
                policy: policy, valueNetwork: valueNetwork(a2c.valueNetwork), environment: environment,
                configuration: a2c, environmentSeed: environmentSeed, generator: generator)
        }
        return ReinforceLearner(
            policy: policy, environment: environment, configuration: reinforce, environmentSeed: environmentSeed,
            generator: generator)
    }
}
