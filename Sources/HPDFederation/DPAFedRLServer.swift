import HPDRL
import HPDTensor

/// The DPA-FedRL server (the baseline of the paper's comparison): it owns one environment and walks it with the
/// agents' averaged policy, aligning the agents on the state it is in.
///
/// One alignment step, on the server's current state s:
///
///     every agent reports π_k(·|s); the consensus is the aggregation p̄(·|s) of the reports
///     every agent takes one optimiser step on Σ_a (π_k(a|s) − p̄(a|s))²        (`DigestionLoss.squaredError`)
///     the server samples a ~ p̄(·|s) and steps its environment (a new episode, with the next explicit seed, when
///     the episode ends)
///
/// Actions are sampled from the stream (run seed, 1); episode seeds are drawn from (run seed, 2), so the server's
/// environment can be rebuilt exactly from (episode seed, actions since its reset) when a run resumes.
public final class DPAFedRLServer {
    /// The server's own environment.
    private(set) var environment: any Environment
    /// How reports are combined.
    let aggregation: AggregationStrategy
    /// The state the agents are aligned on next.
    private(set) var observation: [Float] = []
    /// Samples the server's actions.
    var generator: RandomGenerator
    /// Draws an explicit seed for every server episode.
    var seedStream: RandomGenerator
    /// The current episode's seed.
    private(set) var episodeSeed: UInt64 = 0
    /// The actions taken since the current episode's reset.
    private(set) var actions: [EnvironmentAction] = []

    /// A server for run seed `runSeed`, its environment built from `environment`; it starts its first episode.
    public init(environment: EnvironmentSpecification, aggregation: AggregationStrategy, runSeed: UInt64) throws {
        self.environment = try environment.makeEnvironment(10_000)
        self.aggregation = aggregation
        generator = RandomGenerator(seed: runSeed, stream: 1)
        seedStream = RandomGenerator(seed: runSeed, stream: 2)
        startEpisode()
    }

    /// One alignment step of every agent (see the type's description); returns each agent's loss before its step.
    /// The same step served over the network (`fedhpd serve --method dpa`) uses `currentStates` and
    /// `advance(following:)` around the clients' reports, so both paths walk the environment identically.
    public func alignmentStep(agents: [any FederatedAgent], executor: ParallelExecutor) -> [Float] {
        let state = currentStates
        let reports = executor.map(agents.count) { agents[$0].actionDistribution(on: state) }
        let consensus = self.consensus(of: reports, agentIndices: Array(reports.indices))
        let losses = executor.map(agents.count) {
            agents[$0].digest(consensus: consensus, on: state, loss: .squaredError)
        }
        advance(following: consensus)
        return losses
    }

    /// The consensus p̄(·|s) of the agents' reports: the aggregation strategy over them, without the returns context
    /// FedHPD's weighted strategies use (a weighted strategy weighs DPA-FedRL's agents equally), in process and served.
    public func consensus(of reports: [ActionDistribution], agentIndices: [Int]) -> ActionDistribution {
        aggregation.aggregate(reports, agentIndices: agentIndices)
    }

    /// The state s the agents are aligned on next, as a 1 × observation-size matrix.
    public var currentStates: Tensor { Tensor(rows: 1, columns: observation.count, scalars: observation) }

    /// Moves the environment on after a step whose consensus on `currentStates` is `consensus`: samples a ~ p̄(·|s)
    /// from the stream (run seed, 1) and steps; a finished episode is followed by a reset with the next episode seed.
    public func advance(following consensus: ActionDistribution) {
        let action = sampleAction(from: consensus)
        let result = environment.step(action)
        actions.append(action)
        if result.isDone { startEpisode() } else { observation = result.observation }
    }

    /// a ~ p̄ (categorical: inverse CDF of one uniform draw) or a = μ̄ + σ̄·z, z ~ N(0, I) (Gaussian).
    private func sampleAction(from consensus: ActionDistribution) -> EnvironmentAction {
        switch consensus {
        case .categorical(let probabilities):
            let draw = generator.uniformFloat()
            var cumulative: Float = 0
            var chosen = probabilities.columns - 1
            for column in 0..<probabilities.columns {
                cumulative += probabilities[0, column]
                if draw < cumulative {
                    chosen = column
                    break
                }
            }
            return .discrete(chosen)
        case .gaussian(let mean, let deviation):
            return .continuous((0..<mean.columns).map { mean[0, $0] + deviation[0, $0] * Float(generator.normal()) })
        }
    }

    /// Resets the environment with the next explicit seed.
    func startEpisode() {
        episodeSeed = seedStream.next()
        observation = environment.reset(seed: episodeSeed)
        actions.removeAll()
    }

    /// Rebuilds the environment from its episode seed and the actions taken since (checkpoints).
    func replayEpisode(seed: UInt64, actions replayed: [EnvironmentAction]) {
        episodeSeed = seed
        observation = environment.reset(seed: seed)
        actions = []
        for action in replayed {
            observation = environment.step(action).observation
            actions.append(action)
        }
    }
}
