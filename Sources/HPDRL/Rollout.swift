import HPDNN
import HPDTensor

/// The transitions of one or more whole episodes, recorded while a policy acts: states (steps × observation size),
/// the actions taken (discrete indices or continuous vectors), rewards, and where each episode ends.
///
/// `Codable` so that a learner holding a partial rollout between episodes (PPO) can be checkpointed and resumed
/// byte-identically: Float and Double values are written in their shortest exact decimal form.
public struct Rollout: Codable, Equatable, Sendable {
    /// The observation length.
    public let observationSize: Int
    /// The action-vector length of a continuous policy (0 for a categorical one).
    public let continuousActionSize: Int
    /// States, row by row.
    public private(set) var states: [Float] = []
    /// Discrete actions (categorical policies).
    public private(set) var discreteActions: [Int] = []
    /// Continuous actions, row by row (Gaussian policies).
    public private(set) var continuousActions: [Float] = []
    /// Rewards.
    public private(set) var rewards: [Double] = []
    /// The length of every complete episode, in order (they add up to `count`).
    public private(set) var episodeLengths: [Int] = []

    /// An empty rollout sized for `policy` acting in `environment`: its observations, and its actions' dimensions when
    /// the policy is Gaussian (every learner records its episodes in one of these).
    public init(for policy: Policy, in environment: any Environment) {
        self.init(
            observationSize: environment.observationSize,
            continuousActionSize: policy.architecture.family == .gaussian ? environment.actionSpace.size : 0)
    }

    /// An empty rollout for observations of `observationSize` and, for Gaussian policies, actions of
    /// `continuousActionSize` dimensions.
    public init(observationSize: Int, continuousActionSize: Int) {
        self.observationSize = observationSize
        self.continuousActionSize = continuousActionSize
        states.reserveCapacity(1000 * observationSize)
        discreteActions.reserveCapacity(continuousActionSize == 0 ? 1000 : 0)
        continuousActions.reserveCapacity(1000 * continuousActionSize)
        rewards.reserveCapacity(1000)
    }

    /// The number of recorded steps.
    public var count: Int { rewards.count }

    /// The recorded states as a count × observationSize tensor.
    public var stateTensor: Tensor { Tensor(rows: count, columns: observationSize, scalars: states) }

    /// The actions for the loss functions.
    public var actions: PolicyActions {
        continuousActionSize == 0
            ? .discrete(discreteActions)
            : .continuous(Tensor(rows: count, columns: continuousActionSize, scalars: continuousActions))
    }

    /// Forgets everything (keeps the buffers' capacity).
    public mutating func removeAll() {
        states.removeAll(keepingCapacity: true)
        discreteActions.removeAll(keepingCapacity: true)
        continuousActions.removeAll(keepingCapacity: true)
        rewards.removeAll(keepingCapacity: true)
        episodeLengths.removeAll(keepingCapacity: true)
    }

    /// Plays one full episode from `environment.reset(seed:)`, sampling a_t ~ π(·|s_t) with `generator` on the
    /// policy's allocation-free batch-1 path, appends it, and returns its undiscounted return.
    public mutating func playEpisode(
        policy: Policy, environment: inout any Environment, resetSeed: UInt64?, generator: inout RandomGenerator
    ) -> Double {
        var observation = environment.reset(seed: resetSeed)
        var continuousAction = [Float](repeating: 0, count: continuousActionSize)
        let discretePolicy = policy as? CategoricalPolicy
        let gaussianPolicy = policy as? GaussianPolicy
        Precondition.check(
            discretePolicy != nil || gaussianPolicy != nil, "Rollout supports CategoricalPolicy and GaussianPolicy")
        var total = 0.0
        var steps = 0
        while true {
            states.append(contentsOf: observation)
            let result: StepResult
            if let discretePolicy {
                let action = discretePolicy.sample(observation, generator: &generator)
                discreteActions.append(action)
                result = environment.step(.discrete(action))
            } else {
                gaussianPolicy!.sample(observation, generator: &generator, into: &continuousAction)
                continuousActions.append(contentsOf: continuousAction)
                result = environment.step(.continuous(continuousAction))
            }
            rewards.append(result.reward)
            total += result.reward
            steps += 1
            observation = result.observation
            if result.isDone { break }
        }
        episodeLengths.append(steps)
        return total
    }
}
