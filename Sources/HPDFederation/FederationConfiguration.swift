import HPDRL

/// Every setting that determines a run's results (written to config.json before training starts). A run is a pure
/// function of this configuration: thread count and machine do not change its outputs.
public struct FederationConfiguration: Codable, Equatable, Sendable {
    /// The training method.
    public enum Method: String, Codable, Sendable, CaseIterable {
        /// FedHPD: KL distillation on the public state set every `interval` episodes.
        case fedhpd
        /// Independent learners (d = ∞).
        case nofed
        /// DPA-FedRL: one shared server state per event, L2 alignment of the agents' distributions.
        case dpa
    }

    /// The file format version of config.json.
    public var formatVersion = 1
    /// The environment id (canonical, e.g. `CartPole-v1`).
    public var environment: String
    /// The method.
    public var method: Method
    /// The distillation interval d (events after every d-th episode; DPA: every d-th episode too).
    public var interval: Int
    /// Episodes per agent.
    public var episodes: Int
    /// The run seed; every agent derives its own streams from (seed, agent index).
    public var seed: UInt64
    /// Digestion loops per event (5).
    public var loops: Int = 5
    /// States per contiguous part of the public set (2500).
    public var partSize: Int = 2500
    /// The heterogeneous agents, in index order.
    public var agents: [AgentSpecification]
    /// Which public state set was used (nil for NoFed and DPA).
    public var publicStates: PublicStatesRecord?
    /// The aggregation strategy's name: one `AggregationChoice` rebuilds (arithmetic-mean, median, trimmed:F,
    /// weighted:T), or a custom strategy's own name when the trainer is given that strategy.
    public var aggregation: String = "arithmetic-mean"
    /// The share P of agents taking part in each event (`--participation`; nil: 1, everyone).
    public var participation: Double?
    /// The probability Q that a chosen agent misses an event (`--dropout-probability`; nil: 0).
    public var dropoutProbability: Double?
    /// 1-based numbers of agents whose uploads are confidently wrong (`--adversarial-agents`; nil: none).
    public var adversarialAgents: [Int]?
    /// The folder of `agent-<k>.safetensors` files the agents start from (`--init-policies`), nil for a cold start.
    public var initialPolicies: InitialPoliciesRecord?
    /// What happens when an agent diverges (`--on-divergence`; nil: `.stop`, the run stops with an error).
    public var onDivergence: DivergencePolicy?

    /// A configuration; `loops` and `partSize` default to the paper's 5 and 2500. Check it with `validate()`.
    public init(
        environment: String, method: Method, interval: Int, episodes: Int, seed: UInt64, loops: Int = 5,
        partSize: Int = 2500, agents: [AgentSpecification], publicStates: PublicStatesRecord? = nil
    ) {
        self.environment = environment
        self.method = method
        self.interval = interval
        self.episodes = episodes
        self.seed = seed
        self.loops = loops
        self.partSize = partSize
        self.agents = agents
        self.publicStates = publicStates
    }

    /// The non-default federation choices as one tag: "median", "trimmed0.1", "weighted100", "adv3", "p0.5", "q0.2"
    /// joined by "-" (empty for the paper's setting).
    public var variantTag: String {
        var parts: [String] = []
        if aggregation != ArithmeticMean().name { parts.append(aggregation.replacingOccurrences(of: ":", with: "")) }
        if let adversarialAgents { parts.append("adv" + adversarialAgents.map(String.init).joined(separator: "+")) }
        if let participation { parts.append("p\(AggregationChoice.format(participation))") }
        if let dropoutProbability { parts.append("q\(AggregationChoice.format(dropoutProbability))") }
        return parts.joined(separator: "-")
    }

    /// The folder name of this run: `<env>__<method>[-d<d>]__seed<seed>`.
    public var runName: String {
        let methodName = method == .nofed ? "nofed" : "\(method.rawValue)-d\(interval)"
        let variant = variantTag.isEmpty ? "" : "-" + variantTag
        return "\(environment)__\(methodName)\(variant)__seed\(seed)"
    }

    /// A label for tables, e.g. `FedHPD d=5`.
    public var settingLabel: String {
        switch method {
        case .fedhpd:
            var label = "FedHPD d=\(interval)"
            if aggregation != ArithmeticMean().name { label += " \(aggregation)" }
            if let adversarialAgents {
                label += " adversary \(adversarialAgents.map(String.init).joined(separator: ","))"
            }
            if let participation { label += " P=\(AggregationChoice.format(participation))" }
            if let dropoutProbability { label += " Q=\(AggregationChoice.format(dropoutProbability))" }
            return label
        case .nofed: return "NoFed"
        case .dpa: return "DPA-FedRL d=\(interval)"
        }
    }
}

/// Identifies the public state set a run used.
public struct PublicStatesRecord: Codable, Equatable, Sendable {
    /// A path or a description (e.g. `auto: virtual agent, seed 20`).
    public var source: String
    /// The number of states.
    public var count: Int
    /// The FNV-1a checksum of the values.
    public var checksum: String
    /// The file the states were read from, if any (used to resume a run).
    public var path: String?

    /// A record with explicit fields.
    public init(source: String, count: Int, checksum: String, path: String? = nil) {
        self.source = source
        self.count = count
        self.checksum = checksum
        self.path = path
    }

    /// The record of `set` (its source, count, checksum and file path).
    public init(_ set: PublicStateSet) {
        self.init(source: set.source, count: set.count, checksum: set.checksum, path: set.filePath)
    }
}
