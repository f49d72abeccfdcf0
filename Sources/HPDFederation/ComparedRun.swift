import Foundation
import HPDRL

extension Comparison {
    /// One finished run read back from disk and checked, so that a table built from it cannot be a plausible wrong
    /// answer: config.json, summary.json (the completion marker) and rewards.csv with exactly one row per configured
    /// episode, one column per agent and a finite return in every counted cell.
    public struct Run {
        /// The run's folder.
        public var folder: URL
        /// The run's configuration (config.json).
        public var configuration: FederationConfiguration
        /// returns[e][k]: agent k's return in episode e (rewards.csv).
        public var returns: [[Double]]
        /// The agents (0-based) the system reward averages; nil: all.
        public var counted: [Int]?
        /// The system reward per episode: the mean of the (counted) agents' returns.
        public var systemReturns: [Double] {
            guard let counted else { return returns.map { LearningCurve.mean($0) } }
            return returns.map { row in LearningCurve.mean(counted.map { row[$0] }) }
        }

        /// A run from values already in memory (no checks).
        public init(configuration: FederationConfiguration, returns: [[Double]], counted: [Int]?, folder: URL) {
            self.configuration = configuration
            self.returns = returns
            self.counted = counted
            self.folder = folder
        }

        /// Reads and checks the run in `url`; every error names the file and what is wrong with it.
        public init(reading url: URL, countedAgents: [Int]?) throws(FederationError) {
            let runFolder = RunFolder(url: url)
            let configuration: FederationConfiguration
            do { configuration = try runFolder.readConfiguration() } catch {
                throw .invalidConfiguration(
                    "\(runFolder.configurationURL.path): not a run folder's configuration (\(Self.describe(error)))")
            }
            let agentCount = configuration.agents.count
            if let countedAgents, let outside = countedAgents.first(where: { $0 < 0 || $0 >= agentCount }) {
                throw .invalidConfiguration("\(url.path): agent \(outside + 1) is not among its \(agentCount) agents")
            }
            guard FileManager.default.fileExists(atPath: runFolder.summaryURL.path) else {
                throw .invalidConfiguration(
                    "\(url.path): unfinished run (no summary.json); finish it with `fedhpd train --resume \(url.path)`")
            }
            do {
                // Networked runs write a lost agent's statistics as "nan" (see RunFolderWriter).
                let decoder = JSONDecoder()
                decoder.nonConformingFloatDecodingStrategy = .convertFromString(
                    positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
                _ = try decoder.decode(RunSummary.self, from: Data(contentsOf: runFolder.summaryURL))
            } catch {
                throw .invalidConfiguration(
                    "\(runFolder.summaryURL.path): unreadable summary (\(Self.describe(error)))")
            }
            let returns: [[Double]]
            do { returns = try RunFolder.readRewards(from: runFolder.rewardsURL) } catch let error as FederationError {
                throw error
            } catch {
                throw .invalidConfiguration("\(runFolder.rewardsURL.path): \(Self.describe(error))")
            }
            guard returns.count == configuration.episodes else {
                throw .invalidConfiguration(
                    "\(runFolder.rewardsURL.path): \(returns.count) episode rows, but config.json says "
                        + "\(configuration.episodes) episodes")
            }
            if let width = returns.first?.count, width != agentCount {
                throw .invalidConfiguration(
                    "\(runFolder.rewardsURL.path): \(width) agent columns, but config.json lists \(agentCount) agents")
            }
            let checked = countedAgents ?? Array(0..<agentCount)
            for (episode, row) in returns.enumerated() {
                if let agent = checked.first(where: { !row[$0].isFinite }) {
                    throw .invalidConfiguration(
                        "\(runFolder.rewardsURL.path):\(episode + 2):\(agent + 1): agent \(agent + 1)'s return in "
                            + "episode \(episode + 1) is \(row[agent]), not a finite number (an agent lost in a "
                            + "networked run? count the others with --agents)")
                }
            }
            self.init(configuration: configuration, returns: returns, counted: countedAgents, folder: url)
        }

        static func describe(_ error: any Error) -> String {
            if let federationError = error as? FederationError { return "\(federationError)" }
            if let decodingError = error as? DecodingError { return "\(decodingError)" }
            return (error as NSError).localizedFailureReason ?? error.localizedDescription
        }
    }
}
