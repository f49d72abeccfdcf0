import HPDRL

/// Whole-run and final performance of one learner or of the system (the mean over agents per episode).
public struct PerformanceSummary: Codable, Equatable, Sendable {
    /// Mean return over all episodes.
    public var wholeRunMean: Double
    /// Mean return over the last 100 episodes.
    public var last100Mean: Double
    /// For each threshold T (as text, e.g. "195"), the first episode whose trailing 100-episode mean reaches T
    /// (complete windows only), or nil if never.
    public var episodesToThreshold: [String: Int?]

    /// Summarises one return series against `thresholds`.
    public init(returns: [Double], thresholds: [Double]) {
        wholeRunMean = LearningCurve.mean(returns)
        last100Mean = LearningCurve.lastMean(returns)
        var reached: [String: Int?] = [:]
        for threshold in thresholds {
            reached[Self.thresholdKey(threshold)] = .some(LearningCurve.firstEpisodeReaching(threshold, in: returns))
        }
        episodesToThreshold = reached
    }

    static func thresholdKey(_ threshold: Double) -> String {
        threshold == threshold.rounded() ? String(Int(threshold)) : String(threshold)
    }

    /// Encodes the thresholds as an object with keys in sorted order (nil as `null`).
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(wholeRunMean, forKey: .wholeRunMean)
        try container.encode(last100Mean, forKey: .last100Mean)
        var thresholds = container.nestedContainer(keyedBy: DynamicKey.self, forKey: .episodesToThreshold)
        for (key, value) in episodesToThreshold.sorted(by: { $0.key < $1.key }) {
            try thresholds.encode(value, forKey: DynamicKey(stringValue: key))
        }
    }

    /// Decodes what `encode(to:)` writes.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        wholeRunMean = try container.decode(Double.self, forKey: .wholeRunMean)
        last100Mean = try container.decode(Double.self, forKey: .last100Mean)
        let thresholds = try container.nestedContainer(keyedBy: DynamicKey.self, forKey: .episodesToThreshold)
        var values: [String: Int?] = [:]
        for key in thresholds.allKeys {
            values[key.stringValue] = .some(try thresholds.decodeIfPresent(Int.self, forKey: key))
        }
        episodesToThreshold = values
    }

    enum CodingKeys: String, CodingKey { case wholeRunMean, last100Mean, episodesToThreshold }

    struct DynamicKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// The content of summary.json.
public struct RunSummary: Codable, Equatable, Sendable {
    /// One agent's line of the summary.
    public struct AgentEntry: Codable, Equatable, Sendable {
        /// 1-based agent index.
        public var agent: Int
        /// The agent's architecture label, e.g. `[128] relu lr=0.001`.
        public var architecture: String
        /// The agent's own performance.
        public var performance: PerformanceSummary
    }

    /// The environment id.
    public var environment: String
    /// The setting label, e.g. `FedHPD d=5`.
    public var setting: String
    /// The run seed.
    public var seed: UInt64
    /// The number of episodes run.
    public var episodes: Int
    /// The system reward: per episode, the mean of the agents' returns.
    public var system: PerformanceSummary
    /// One entry per agent, in index order.
    public var agents: [AgentEntry]
    /// Notes about distributions excluded from a consensus (empty in a healthy run).
    public var exclusions: [String]

    /// Summarises `returns[e][k]`.
    public init(configuration: FederationConfiguration, returns: [[Double]], thresholds: [Double], exclusions: [String])
    {
        environment = configuration.environment
        setting = configuration.settingLabel
        seed = configuration.seed
        episodes = returns.count
        system = PerformanceSummary(returns: returns.map { LearningCurve.mean($0) }, thresholds: thresholds)
        agents = configuration.agents.indices.map { index in
            AgentEntry(
                agent: index + 1, architecture: configuration.agents[index].label,
                performance: PerformanceSummary(returns: returns.map { $0[index] }, thresholds: thresholds))
        }
        self.exclusions = exclusions
    }
}
