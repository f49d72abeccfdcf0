import HPDNN
import HPDRL
import HPDTensor

/// Plays fresh, seeded episodes with fixed policies — no learning — as Stable-Baselines3's `evaluate_policy` does.
///
///     for episode i = 0 … n−1:   s₀ = reset(seed: S + i)             (the same start for every agent)
///         until terminated or truncated:
///             greedy:  a = argmax_a π(a|s)  (categorical)      a = μ(s) + 10⁻⁶  (Gaussian: the density's mode)
///             sample:  a ~ π(·|s), drawn from agent k's own stream (S, 7000 + k)
///
/// Agents are evaluated concurrently, one job each; every number depends only on (policy, S, k), so results are the
/// same for any thread count.
public struct PolicyEvaluation: Sendable {
    /// How actions are chosen.
    public enum Mode: String, Codable, CaseIterable, Sendable {
        /// The most probable action (Gaussian: the mean).
        case greedy
        /// An action drawn from the policy.
        case sample
    }

    /// The task.
    public var environment: EnvironmentSpecification
    /// Episodes per agent.
    public var episodes: Int
    /// S: episode i resets with seed S + i.
    public var seed: UInt64
    /// Greedy or sampled actions.
    public var mode: Mode

    /// An evaluation of `episodes` episodes per agent.
    public init(environment: EnvironmentSpecification, episodes: Int, seed: UInt64, mode: Mode) {
        self.environment = environment
        self.episodes = episodes
        self.seed = seed
        self.mode = mode
    }

    /// Every agent's episode returns, in the order given; `agents[j].index` is k (from 1), which picks the sampling
    /// stream.
    public func returns(of agents: [(index: Int, policy: Policy)], threads: Int) throws -> [[Double]] {
        let environments = try agents.map { _ in EnvironmentBox(try environment.makeEnvironment(40_000)) }
        LinearAlgebraLibrary.threadCount = 1
        // Job j touches only environments[j] and agents[j].policy.
        return ParallelExecutor(threadCount: threads).map(agents.count) { job in
            play(agents[job].policy, agentIndex: agents[job].index, in: &environments[job].environment)
        }
    }

    /// Agent k's returns over the episodes.
    func play(_ policy: Policy, agentIndex: Int, in environment: inout any Environment) -> [Double] {
        var generator = samplingGenerator(agentIndex: agentIndex)
        return (0..<episodes).map { episode in
            playEpisode(episode, with: policy, in: &environment, generator: &generator) { _, _, _ in }
        }
    }

    /// Agent k's sampling stream (S, 7000 + k).
    public func samplingGenerator(agentIndex: Int) -> RandomGenerator {
        RandomGenerator(seed: seed, stream: 7000 + UInt64(agentIndex))
    }

    /// Plays episode `episode` (reset seed S + episode) and returns its return. `observe(observation, action,
    /// return so far)` is called at every state the policy acts in, and once more at the final state with a nil
    /// action.
    public func playEpisode(
        _ episode: Int, with policy: Policy, in environment: inout any Environment, generator: inout RandomGenerator,
        observe: ([Float], EnvironmentAction?, Double) -> Void
    ) -> Double {
        var action = [Float](repeating: 0, count: policy.architecture.actionSize)
        var observation = environment.reset(seed: seed &+ UInt64(episode))
        var total = 0.0
        while true {
            let chosen = choose(policy, observation: observation, generator: &generator, buffer: &action)
            observe(observation, chosen, total)
            let step = environment.step(chosen)
            total += step.reward
            observation = step.observation
            if step.isDone {
                observe(observation, nil, total)
                return total
            }
        }
    }

    func choose(
        _ policy: Policy, observation: [Float], generator: inout RandomGenerator, buffer: inout [Float]
    )
        -> EnvironmentAction
    {
        if let categorical = policy as? CategoricalPolicy {
            return .discrete(
                mode == .greedy
                    ? categorical.greedyAction(observation) : categorical.sample(observation, generator: &generator))
        }
        let gaussian = policy as! GaussianPolicy
        if mode == .greedy {
            let mean = gaussian.distribution(Tensor(rows: 1, columns: observation.count, scalars: observation)).mean
            for dimension in buffer.indices { buffer[dimension] = mean.scalars[dimension] + GaussianPolicy.offset }
        } else {
            gaussian.sample(observation, generator: &generator, into: &buffer)
        }
        return .continuous(buffer)
    }
}

/// One job's environment, mutated only by that job.
private final class EnvironmentBox {
    var environment: any Environment
    init(_ environment: any Environment) { self.environment = environment }
}
