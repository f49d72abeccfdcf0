import Foundation
import HPDRL

/// `fedhpd compare`: per-setting statistics over seeds and paired differences against a baseline.
public struct Comparison {
    /// One run read back from disk.
    public struct Run {
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
    }

    /// Runs grouped by setting label, in first-seen order.
    public private(set) var settings: [(label: String, runs: [Run])] = []
    /// The thresholds reported.
    public let thresholds: [Double]

    /// Reads every run folder (each needs config.json and rewards.csv). Runs are grouped by setting and by the kind
    /// of public state set (a file's name, or `built` for sets built per seed); groups are ordered NoFed, FedHPD by
    /// interval, DPA-FedRL. `countedAgents` (0-based; nil: all) restricts the system reward to some agents — e.g.
    /// the honest ones of a run with an adversary.
    public init(runFolders: [URL], thresholds: [Double], countedAgents: [Int]? = nil) throws {
        self.thresholds = thresholds
        var groups: [(key: String, label: String, order: Int, runs: [Run])] = []
        for url in runFolders {
            let folder = RunFolder(url: url)
            let configuration: FederationConfiguration
            do { configuration = try folder.readConfiguration() } catch {
                throw FederationError.invalidConfiguration("\(folder.configurationURL.path): not a run folder (\(error.localizedDescription))")
            }
            let run = Run(
                configuration: configuration, returns: try RunFolder.readRewards(from: folder.rewardsURL),
                counted: countedAgents)
            if let countedAgents, let outside = countedAgents.first(where: { $0 >= configuration.agents.count }) {
                throw FederationError.invalidConfiguration(
                    "\(folder.url.path): agent \(outside + 1) is not among its \(configuration.agents.count) agents")
            }
            let statesKind = configuration.publicStates.map { record -> String in
                record.source.hasPrefix("auto") || record.source.hasPrefix("built")
                    ? "built" : URL(fileURLWithPath: record.path ?? record.source).lastPathComponent
            }
            let key = configuration.settingLabel + "|" + (statesKind ?? "")
            if let index = groups.firstIndex(where: { $0.key == key }) {
                groups[index].runs.append(run)
            } else {
                let order: Int
                switch configuration.method {
                case .nofed: order = 0
                case .fedhpd: order = 1 + configuration.interval
                case .dpa: order = 1_000_000 + configuration.interval
                }
                groups.append((key, configuration.settingLabel, order, [run]))
            }
        }
        groups.sort { ($0.order, $0.key) < ($1.order, $1.key) }
        for group in groups {
            let shared = groups.filter { $0.label == group.label }.count > 1
            let kind = String(group.key.split(separator: "|", omittingEmptySubsequences: false).last ?? "")
            settings.append((shared && !kind.isEmpty ? "\(group.label) [\(kind)]" : group.label, group.runs))
        }
    }

    static func meanAndDeviation(_ values: [Double]) -> (mean: Double, deviation: Double) {
        let mean = LearningCurve.mean(values)
        guard values.count > 1 else { return (mean, 0) }
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
        return (mean, variance.squareRoot())
    }

    /// The aligned text table: whole-run and last-100 system means (mean ± sd over seeds), mean episodes to each
    /// threshold (over the seeds that reach it, with how many did), and the paired whole-run difference against
    /// `baseline` (default: NoFed when present) with the number of seeds where the setting is better.
    public func table(baseline requestedBaseline: String? = nil) -> String {
        let baselineLabel = requestedBaseline ?? (settings.contains { $0.label == "NoFed" } ? "NoFed" : settings.first?.label)
        let baseline = settings.first { $0.label == baselineLabel }
        var header = ["setting", "seeds", "whole", "last-100"]
        header += thresholds.map { "MA100≥\(PerformanceSummary.thresholdKey($0))" }
        header.append("Δwhole vs \(baselineLabel ?? "-") (wins)")
        var rows: [[String]] = []
        for (label, runs) in settings {
            let whole = Self.meanAndDeviation(runs.map { LearningCurve.mean($0.systemReturns) })
            let last = Self.meanAndDeviation(runs.map { LearningCurve.lastMean($0.systemReturns) })
            var row = [label, "\(runs.count)", format(whole), format(last)]
            for threshold in thresholds {
                let reached = runs.compactMap { LearningCurve.firstEpisodeReaching(threshold, in: $0.systemReturns) }
                row.append(reached.isEmpty ? "— (0/\(runs.count))" : "\(Int(LearningCurve.mean(reached.map(Double.init)).rounded())) (\(reached.count)/\(runs.count))")
            }
            if let baseline, label != baseline.label {
                var differences: [Double] = []
                for run in runs {
                    guard let partner = baseline.runs.first(where: { $0.configuration.seed == run.configuration.seed }) else { continue }
                    differences.append(LearningCurve.mean(run.systemReturns) - LearningCurve.mean(partner.systemReturns))
                }
                if differences.isEmpty {
                    row.append("no paired seeds")
                } else {
                    let summary = Self.meanAndDeviation(differences)
                    row.append("\(format(summary)) (\(differences.filter { $0 > 0 }.count)/\(differences.count))")
                }
            } else {
                row.append(label == baseline?.label ? "baseline" : "-")
            }
            rows.append(row)
        }
        return Self.align([header] + rows)
    }

    func format(_ statistic: (mean: Double, deviation: Double)) -> String {
        String(format: "%.1f ± %.1f", statistic.mean, statistic.deviation)
    }

    /// Left-aligned columns separated by two spaces, with a rule under the header.
    public static func align(_ rows: [[String]]) -> String {
        let widths = rows[0].indices.map { column in rows.map { $0.count > column ? $0[column].count : 0 }.max() ?? 0 }
        var lines = rows.map { row in
            row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        lines.insert(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "), at: 1)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The seed-averaged system reward per episode of every setting (for the overlay plot).
    public var averagedSystemCurves: [(label: String, values: [Double])] {
        settings.map { label, runs in
            let length = runs.map { $0.returns.count }.min() ?? 0
            return (label, (0..<length).map { episode in LearningCurve.mean(runs.map { $0.systemReturns[episode] }) })
        }
    }

    /// Reads the authors' published curves (`env,setting,seeds,episode,system_reward`) for `environmentNames`.
    public static func referenceCurves(from url: URL, environmentNames: [String]) throws -> [(label: String, values: [Double])] {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw FederationError.invalidConfiguration("\(url.path): cannot be read (\(error.localizedDescription))")
        }
        var curves: [String: [(Int, Double)]] = [:]
        var order: [String] = []
        let wanted = Set(environmentNames.map { $0.lowercased() })
        for (index, line) in text.split(whereSeparator: \.isNewline).enumerated() where index > 0 {
            let cells = line.split(separator: ",").map(String.init)
            guard cells.count == 5, let episode = Int(cells[3]), let value = Double(cells[4]) else {
                throw FederationError.invalidConfiguration("\(url.path):\(index + 1): expected env,setting,seeds,episode,system_reward")
            }
            guard wanted.contains(cells[0].lowercased()) else { continue }
            let label = "reference \(cells[1])"
            if curves[label] == nil { order.append(label) }
            curves[label, default: []].append((episode, value))
        }
        return order.map { label in (label, curves[label]!.sorted { $0.0 < $1.0 }.map(\.1)) }
    }
}
