import Foundation
import HPDNN

/// The outcome of `fedhpd evaluate`: per-agent return statistics and the system mean, as written to
/// `evaluation.json`.
public struct EvaluationReport: Codable, Equatable, Sendable {
    /// One agent's statistics over the evaluation episodes.
    public struct AgentResult: Codable, Equatable, Sendable {
        /// k (from 1).
        public var agent: Int
        /// The policy file.
        public var file: String
        /// The architecture label, e.g. `[128] relu`.
        public var architecture: String
        /// Local training episodes behind the policy (from its metadata).
        public var episodesTrained: Int?
        /// Mean return.
        public var mean: Double
        /// Population standard deviation of the returns (numpy's default, as SB3 reports).
        public var standardDeviation: Double
        /// Lowest return.
        public var minimum: Double
        /// Highest return.
        public var maximum: Double
        /// For each environment threshold, the share of episodes whose return reached it.
        public var thresholdShares: [ThresholdShare]
        /// Every episode's return.
        public var returns: [Double]

        /// Statistics of `returns`.
        public init(
            agent: Int, file: String, architecture: String, episodesTrained: Int?, returns: [Double],
            thresholds: [Double]
        ) {
            self.agent = agent
            self.file = file
            self.architecture = architecture
            self.episodesTrained = episodesTrained
            self.returns = returns
            let count = Double(max(returns.count, 1))
            let average = returns.reduce(0, +) / count
            mean = average
            standardDeviation = (returns.map { ($0 - average) * ($0 - average) }.reduce(0, +) / count).squareRoot()
            minimum = returns.min() ?? 0
            maximum = returns.max() ?? 0
            thresholdShares = thresholds.map { threshold in
                ThresholdShare(threshold: threshold, share: Double(returns.filter { $0 >= threshold }.count) / count)
            }
        }
    }

    /// The share of episodes with return ≥ threshold.
    public struct ThresholdShare: Codable, Equatable, Sendable {
        /// The return threshold.
        public var threshold: Double
        /// The share of episodes (0…1) whose return is at least `threshold`.
        public var share: Double
    }

    /// The environment id.
    public var environment: String
    /// The run folder or policy file evaluated.
    public var source: String
    /// Greedy or sampled actions.
    public var mode: PolicyEvaluation.Mode
    /// S (episode i resets with S + i).
    public var seed: UInt64
    /// Episodes per agent.
    public var episodes: Int
    /// Per-agent results, by agent.
    public var agents: [AgentResult]
    /// The mean of the agents' mean returns.
    public var systemMean: Double

    /// A report over `agents`.
    public init(
        environment: String, source: String, mode: PolicyEvaluation.Mode, seed: UInt64, episodes: Int,
        agents: [AgentResult]
    ) {
        self.environment = environment
        self.source = source
        self.mode = mode
        self.seed = seed
        self.episodes = episodes
        self.agents = agents
        systemMean = agents.map(\.mean).reduce(0, +) / Double(max(agents.count, 1))
    }

    /// Pretty-printed JSON with sorted keys.
    public func encoded() throws -> Data { try RunFolder.encoder().encode(self) }

    /// The per-agent table: mean ± sd, min, max, share of episodes reaching each threshold; then the system mean.
    public func table() -> String {
        let thresholds = agents.first?.thresholdShares.map(\.threshold) ?? []
        let thresholdHeaders = thresholds.map { "≥\(Self.number($0))" }
        var rows = [["agent", "architecture", "mean ± sd", "min", "max"] + thresholdHeaders]
        for result in agents {
            rows.append(
                [
                    "\(result.agent)", result.architecture,
                    String(format: "%.1f ± %.1f", result.mean, result.standardDeviation),
                    String(format: "%.1f", result.minimum), String(format: "%.1f", result.maximum),
                ]
                    + result.thresholdShares.map { String(format: "%.0f%%", 100 * $0.share) })
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max()! }
        var text =
            "\(environment), \(episodes) \(mode.rawValue) episodes per agent, seeds \(seed)…\(seed + UInt64(max(episodes, 1)) - 1)\n"
        for row in rows {
            text +=
                row.enumerated().map { column, cell in
                    let padding = String(repeating: " ", count: widths[column] - cell.count)
                    return column == 1 ? cell + padding : padding + cell
                }.joined(separator: "  ") + "\n"
        }
        return text + String(format: "system mean %.1f over ", systemMean)
            + "\(agents.count) agent\(agents.count == 1 ? "" : "s")\n"
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : "\(value)"
    }
}
