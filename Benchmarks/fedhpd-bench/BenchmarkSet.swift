import HPDEnvironments
import HPDFederation
import HPDInvertedPendulum
import HPDLunarLander
import HPDNN
import HPDRL
import HPDTensor

/// One of the reference's three agent sets: its task, its ten agents and the batch sizes the kernels are timed at
/// (the same as `Benchmarks/Reference/torch_kernels.py`).
struct BenchmarkSet {
    /// The short name used in tables and JSON (`cartpole`, `lunarlander`, `invertedpendulum`).
    let name: String
    /// The task (observation size, action space, environment factory).
    let environment: EnvironmentSpecification
    /// Kernel batch sizes: 1 (a rollout step), 200 (an episode), 2500 (a public-set part) and the whole public set.
    let batches: [Int]
    /// The lower and upper bounds of the built-in uniform random public state set, one pair per observation entry.
    let publicStateBounds: [(low: Float, high: Float)]

    /// The ten agents.
    var agents: [AgentSpecification] { environment.presetAgents }

    /// The policy architecture of `agent` on this task.
    func architecture(of agent: AgentSpecification) -> PolicyArchitecture {
        agent.architecture(observationSize: environment.observationSize, actionSpace: environment.actionSpace)
    }

    /// A fixed, seeded random public state set of the paper's size, uniform within `publicStateBounds` (used when
    /// no state file is given; the PyTorch loop script draws the same CartPole ranges).
    func builtInPublicStates(seed: UInt64) -> PublicStateSet {
        var generator = RandomGenerator(seed: seed, stream: 77)
        let count = environment.publicStateCount
        var values = [Float](repeating: 0, count: count * publicStateBounds.count)
        for row in 0..<count {
            for (column, bounds) in publicStateBounds.enumerated() {
                values[row * publicStateBounds.count + column] =
                    bounds.low + (bounds.high - bounds.low) * generator.uniformFloat()
            }
        }
        return PublicStateSet(
            states: Tensor(rows: count, columns: publicStateBounds.count, scalars: values),
            source: "built-in uniform random \(count) × \(publicStateBounds.count) (seed \(seed))")
    }

    /// The three sets in the reference's order.
    static let all: [BenchmarkSet] = [cartPole, lunarLander, invertedPendulum]

    /// The set called `name`, if any.
    static func named(_ name: String) -> BenchmarkSet? { all.first { $0.name == name } }

    static let cartPole = BenchmarkSet(
        name: "cartpole", environment: .cartPole, batches: [1, 200, 2500, 5000],
        publicStateBounds: [(-2.4, 2.4), (-3, 3), (-0.21, 0.21), (-3.5, 3.5)])

    static let lunarLander = BenchmarkSet(
        name: "lunarlander", environment: lunarLanderSpecification, batches: [1, 200, 2500, 10_000],
        publicStateBounds: [(-1, 1), (-0.1, 1.5), (-2, 2), (-2, 0.5), (-1, 1), (-2, 2), (0, 1), (0, 1)])

    static let invertedPendulum = BenchmarkSet(
        name: "invertedpendulum", environment: invertedPendulumSpecification, batches: [1, 200, 2500, 5000],
        publicStateBounds: [(-1, 1), (-0.2, 0.2), (-1, 1), (-2, 2)])

    /// LunarLander-v3 on Box2D (as in the `fedhpd` CLI's catalog; only the fields the benchmark uses matter).
    static let lunarLanderSpecification = EnvironmentSpecification(
        id: "LunarLander-v3", aliases: ["LunarLander"], observationSize: 8, actionSpace: .discrete(count: 4),
        thresholds: [0, 100, 200], defaultEpisodes: 3000, publicStateCount: 10_000,
        presetAgents: AgentPresets.lunarLander, agentDefaults: AgentPresets.discreteDefaults(),
        publicStateRecipe: EnvironmentSpecification.cartPole.publicStateRecipe,
        makeEnvironment: { stream in LunarLander(seed: 0, stream: stream) })

    /// InvertedPendulum-v4 on MuJoCo (as in the `fedhpd` CLI's catalog).
    static let invertedPendulumSpecification = EnvironmentSpecification(
        id: "InvertedPendulum-v4", aliases: ["InvertedPendulum"], observationSize: 4,
        actionSpace: .continuous(low: [-3], high: [3]), thresholds: [500, 950], defaultEpisodes: 6000,
        publicStateCount: 5000, presetAgents: AgentPresets.invertedPendulum,
        agentDefaults: AgentPresets.continuousDefaults(),
        publicStateRecipe: EnvironmentSpecification.cartPole.publicStateRecipe,
        makeEnvironment: { _ in try InvertedPendulum() })
}
