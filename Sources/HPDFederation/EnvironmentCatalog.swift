import HPDEnvironments
import HPDRL

/// How a task's public state set is built by a "virtual agent" (the reference's recipe).
public struct PublicStateRecipe: Codable, Equatable, Sendable {
    /// The virtual agent trained alone.
    public var agent: AgentSpecification
    /// Its training episodes.
    public var episodes: Int
    /// Checkpoints are rolled out every `checkpointEvery` episodes from `firstCheckpoint` to `episodes`.
    public var firstCheckpoint: Int
    /// The spacing of the checkpoints, in episodes.
    public var checkpointEvery: Int
    /// Rollouts per checkpoint (one per test seed).
    public var testSeeds: Int
    /// Greedy (argmax) rollouts; false samples actions.
    public var greedy: Bool
    /// Standardise features before PCA.
    public var standardize: Bool
    /// PCA components kept for clustering.
    public var principalComponents: Int
    /// k-means clusters; the set takes `count / clusters` states from each.
    public var clusters: Int

    /// A recipe: train `agent` for `episodes` episodes, roll it out on `testSeeds` seeds at every checkpoint, project
    /// onto `principalComponents` (after optional standardisation) and take states evenly from `clusters` clusters.
    public init(
        agent: AgentSpecification, episodes: Int, firstCheckpoint: Int, checkpointEvery: Int, testSeeds: Int,
        greedy: Bool, standardize: Bool, principalComponents: Int, clusters: Int
    ) {
        self.agent = agent
        self.episodes = episodes
        self.firstCheckpoint = firstCheckpoint
        self.checkpointEvery = checkpointEvery
        self.testSeeds = testSeeds
        self.greedy = greedy
        self.standardize = standardize
        self.principalComponents = principalComponents
        self.clusters = clusters
    }
}

/// Everything the trainer needs to know about a task.
public struct EnvironmentSpecification: Sendable {
    /// Gymnasium's id, e.g. `CartPole-v1`.
    public let id: String
    /// Accepted aliases (the reference's v2 names).
    public let aliases: [String]
    /// The observation length.
    public let observationSize: Int
    /// The action space.
    public let actionSpace: ActionSpace
    /// MA100 thresholds for "episodes to threshold".
    public let thresholds: [Double]
    /// The paper's episodes per run.
    public let defaultEpisodes: Int
    /// The paper's public state set size.
    public let publicStateCount: Int
    /// The reference's ten agents.
    public let presetAgents: [AgentSpecification]
    /// REINFORCE defaults for agents from a file.
    public let agentDefaults: ReinforceConfiguration
    /// How `public-states` builds a set.
    public let publicStateRecipe: PublicStateRecipe
    /// Creates one environment instance; `stream` distinguishes instances (agents) that share a seed.
    public let makeEnvironment: @Sendable (_ stream: UInt64) throws -> any Environment

    /// A task description. `makeEnvironment(stream)` must return a fresh, independent instance on every call (each
    /// agent gets its own); `observationSize` and `actionSpace` must match what it returns.
    public init(
        id: String, aliases: [String], observationSize: Int, actionSpace: ActionSpace, thresholds: [Double],
        defaultEpisodes: Int, publicStateCount: Int, presetAgents: [AgentSpecification],
        agentDefaults: ReinforceConfiguration, publicStateRecipe: PublicStateRecipe,
        makeEnvironment: @escaping @Sendable (_ stream: UInt64) throws -> any Environment
    ) {
        self.id = id
        self.aliases = aliases
        self.observationSize = observationSize
        self.actionSpace = actionSpace
        self.thresholds = thresholds
        self.defaultEpisodes = defaultEpisodes
        self.publicStateCount = publicStateCount
        self.presetAgents = presetAgents
        self.agentDefaults = agentDefaults
        self.publicStateRecipe = publicStateRecipe
        self.makeEnvironment = makeEnvironment
    }

    /// A custom task with defaults for the paper-only fields: thresholds none, 1000 episodes, a public state set of
    /// 5000 states built by a [64,64] tanh virtual agent (greedy rollouts, PCA 2, 5 clusters), and agents that
    /// use `agentDefaults` (the discrete REINFORCE defaults unless given).
    public init(
        id: String, observationSize: Int, actionSpace: ActionSpace, agentDefaults: ReinforceConfiguration? = nil,
        thresholds: [Double] = [], makeEnvironment: @escaping @Sendable (_ stream: UInt64) throws -> any Environment
    ) {
        let defaults: ReinforceConfiguration
        if let agentDefaults {
            defaults = agentDefaults
        } else if case .discrete = actionSpace {
            defaults = AgentPresets.discreteDefaults()
        } else {
            defaults = AgentPresets.continuousDefaults()
        }
        let virtualAgent = AgentSpecification(hiddenSizes: [64, 64], activations: [.tanh, .tanh], reinforce: defaults)
        self.init(
            id: id, aliases: [], observationSize: observationSize, actionSpace: actionSpace, thresholds: thresholds,
            defaultEpisodes: 1000, publicStateCount: 5000, presetAgents: [], agentDefaults: defaults,
            publicStateRecipe: PublicStateRecipe(
                agent: virtualAgent, episodes: 1000, firstCheckpoint: 500, checkpointEvery: 50, testSeeds: 10,
                greedy: true, standardize: true, principalComponents: 2, clusters: 5),
            makeEnvironment: makeEnvironment)
    }

    /// CartPole-v1 (pure Swift).
    public static let cartPole = EnvironmentSpecification(
        id: "CartPole-v1", aliases: ["CartPole", "cartpole"], observationSize: 4, actionSpace: .discrete(count: 2),
        thresholds: [195, 475], defaultEpisodes: 2000, publicStateCount: 5000, presetAgents: AgentPresets.cartPole,
        agentDefaults: AgentPresets.discreteDefaults(),
        publicStateRecipe: PublicStateRecipe(
            agent: AgentPresets.cartPole[0], episodes: 2000, firstCheckpoint: 1000, checkpointEvery: 100, testSeeds: 10,
            greedy: true, standardize: true, principalComponents: 2, clusters: 5),
        makeEnvironment: { _ in CartPole.makeV1() })
}

/// The tasks a trainer can run, looked up by id or alias. The standard catalog holds CartPole; the physics tasks
/// (LunarLander on Box2D, InvertedPendulum on MuJoCo) live in their own products and are registered by the
/// program that links them (the `fedhpd` CLI registers both).
public struct EnvironmentCatalog: Sendable {
    /// The registered tasks, in registration order.
    public private(set) var specifications: [EnvironmentSpecification]

    /// A catalog holding `specifications` (CartPole-v1 by default).
    public init(_ specifications: [EnvironmentSpecification] = [.cartPole]) {
        self.specifications = specifications
    }

    /// Adds (or replaces) a task.
    public mutating func register(_ specification: EnvironmentSpecification) {
        specifications.removeAll { $0.id == specification.id }
        specifications.append(specification)
    }

    /// The task with `id` or an alias (case-insensitive).
    public func specification(for id: String) throws -> EnvironmentSpecification {
        let key = id.lowercased()
        if let match = specifications.first(where: {
            $0.id.lowercased() == key || $0.aliases.contains { $0.lowercased() == key }
        }) {
            return match
        }
        throw FederationError.unknownEnvironment(id, known: specifications.map(\.id))
    }
}
