import HPDFederation
import HPDInvertedPendulum
import HPDLunarLander
import HPDRL

/// The tasks the command line knows: CartPole (core), LunarLander (Box2D) and InvertedPendulum (MuJoCo).
enum Catalog {
    static let lunarLander = EnvironmentSpecification(
        id: "LunarLander-v3", aliases: ["LunarLander-v2", "LunarLander", "lunarlander"], observationSize: 8,
        actionSpace: .discrete(count: 4), thresholds: [0, 100, 200], defaultEpisodes: 3000, publicStateCount: 10_000,
        presetAgents: AgentPresets.lunarLander, agentDefaults: AgentPresets.discreteDefaults(),
        publicStateRecipe: PublicStateRecipe(
            agent: AgentSpecification(
                hiddenSizes: [256, 256], activations: [.tanh, .tanh],
                reinforce: AgentPresets.discreteDefaults(learningRate: 4e-4)),
            episodes: 4000, firstCheckpoint: 2000, checkpointEvery: 100, testSeeds: 10, greedy: true, standardize: true,
            principalComponents: 3, clusters: 10),
        makeEnvironment: { stream in LunarLander(seed: 0, stream: stream) })

    static let invertedPendulum = EnvironmentSpecification(
        id: "InvertedPendulum-v4", aliases: ["InvertedPendulum-v2", "InvertedPendulum", "invertedpendulum"],
        observationSize: 4, actionSpace: .continuous(low: [-3], high: [3]), thresholds: [500, 950],
        defaultEpisodes: 6000,
        publicStateCount: 5000, presetAgents: AgentPresets.invertedPendulum,
        agentDefaults: AgentPresets.continuousDefaults(),
        publicStateRecipe: PublicStateRecipe(
            agent: AgentPresets.invertedPendulum[1], episodes: 3000, firstCheckpoint: 1500, checkpointEvery: 150,
            testSeeds: 10, greedy: false, standardize: false, principalComponents: 2, clusters: 5),
        makeEnvironment: { _ in try InvertedPendulum() })

    static var all: EnvironmentCatalog {
        var catalog = EnvironmentCatalog()
        catalog.register(lunarLander)
        catalog.register(invertedPendulum)
        return catalog
    }
}
