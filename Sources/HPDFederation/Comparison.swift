import Foundation
import HPDRL

/// `fedhpd compare`: per-setting statistics over seeds and paired differences against a baseline.
public struct Comparison {
    /// Runs grouped by setting, in table order.
    public private(set) var settings: [(label: String, runs: [Run])] = []
    /// What the runs of each row share, parallel to `settings`.
    private var keys: [Group.Key] = []
    /// The thresholds whose episodes-to-reach the table reports (the environment's, usually).
    public var thresholds: [Double]

    /// Reads and checks every run folder (see `Run.init(reading:countedAgents:)`) and groups them.
    ///
    /// A group (one table row) holds runs that differ only in their seed: the same setting, environment, episode
    /// count, agents and kind of public state set (a file's name, or `built` for sets built per seed). Runs that
    /// differ in any of these get rows of their own, labelled with what tells them apart. Groups are ordered NoFed,
    /// FedHPD by interval, DPA-FedRL. A folder given twice is read once; two different folders with the same group
    /// and seed are refused (they would count one experiment twice). `countedAgents` (0-based; nil: all) restricts
    /// the system reward to some agents — e.g. the honest ones of a run with an adversary.
    public init(runFolders: [URL], thresholds: [Double], countedAgents: [Int]? = nil) throws(FederationError) {
        var runs: [Run] = []
        var seen = Set<String>()
        for url in runFolders where seen.insert(url.resolvingSymlinksInPath().standardizedFileURL.path).inserted {
            runs.append(try Run(reading: url, countedAgents: countedAgents))
        }
        try self.init(runs: runs, thresholds: thresholds)
    }

    /// Groups runs already read (see `init(runFolders:thresholds:countedAgents:)`).
    public init(runs: [Run], thresholds: [Double]) throws(FederationError) {
        self.thresholds = thresholds
        var groups: [Group] = []
        for run in runs {
            let key = Group.Key(run.configuration)
            if let index = groups.firstIndex(where: { $0.key == key }) {
                if let twin = groups[index].runs.first(where: { $0.configuration.seed == run.configuration.seed }) {
                    throw .invalidConfiguration(
                        "\(twin.folder.path) and \(run.folder.path) are both \(key.label) with seed "
                            + "\(run.configuration.seed): one experiment would be counted twice")
                }
                groups[index].runs.append(run)
            } else {
                groups.append(Group(key: key, runs: [run]))
            }
        }
        groups.sort { ($0.key.order, $0.key.description) < ($1.key.order, $1.key.description) }
        for group in groups {
            let namesakes = groups.filter { $0.key.label == group.key.label }.map(\.key)
            settings.append((group.key.label(among: namesakes), group.runs))
            keys.append(group.key)
        }
    }

    /// The label of the setting that `name` names: a table label (`NoFed`, `FedHPD d=5`) or a method as `train`
    /// spells it (`nofed`, `fedhpd-d5`), compared without case, spaces, `=`, `-` and `_`; a name without the
    /// bracketed part of a label matches when exactly one row has that setting. nil when nothing matches.
    public func setting(named name: String) -> String? {
        func normalised(_ text: some StringProtocol) -> String { text.lowercased().filter { !" =-_".contains($0) } }
        let wanted = normalised(name)
        if let exact = settings.first(where: { normalised($0.label) == wanted }) { return exact.label }
        let unbracketed = settings.filter { normalised($0.label.prefix { $0 != "[" }) == wanted }
        return unbracketed.count == 1 ? unbracketed[0].label : nil
    }

    static func meanAndDeviation(_ values: [Double]) -> (mean: Double, deviation: Double) {
        let mean = LearningCurve.mean(values)
        guard values.count > 1 else { return (mean, .nan) }
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
        return (mean, variance.squareRoot())
    }

    /// The aligned text table: whole-run and last-100 system means (mean ± sd over seeds; `n/a` for the spread of
    /// one seed), mean episodes to each threshold (over the seeds that reach it, with how many did), and the paired
    /// whole-run difference against a baseline with the number of seeds where the setting is better.
    ///
    /// `baseline` names a setting (see `setting(named:)`); by default each row is paired with the NoFed row of the
    /// same environment, episode count and agents. Rows are paired by seed, and only with a baseline of the same
    /// environment, episode count and agents (otherwise the cell says why not).
    public func table(baseline requestedBaseline: String? = nil) -> String {
        let namedBaseline = requestedBaseline.map { setting(named: $0) ?? $0 }
        var header = ["setting", "seeds", "whole", "last-100"]
        header += thresholds.map { "MA100≥\(PerformanceSummary.thresholdKey($0))" }
        header.append("Δwhole vs \(namedBaseline ?? "NoFed") (wins)")
        var rows: [[String]] = []
        for (index, (label, runs)) in settings.enumerated() {
            let whole = Self.meanAndDeviation(runs.map { LearningCurve.mean($0.systemReturns) })
            let last = Self.meanAndDeviation(runs.map { LearningCurve.lastMean($0.systemReturns) })
            var row = [label, "\(runs.count)", format(whole), format(last)]
            for threshold in thresholds {
                let reached = runs.compactMap { LearningCurve.firstEpisodeReaching(threshold, in: $0.systemReturns) }
                row.append(
                    reached.isEmpty
                        ? "— (0/\(runs.count))"
                        : "\(Int(LearningCurve.mean(reached.map(Double.init)).rounded())) (\(reached.count)/\(runs.count))"
                )
            }
            row.append(pairedDifferenceCell(row: index, baseline: namedBaseline))
            rows.append(row)
        }
        return Self.align([header] + rows)
    }

    /// The paired-difference cell of row `row` against the named baseline (nil: the comparable NoFed row).
    func pairedDifferenceCell(row: Int, baseline: String?) -> String {
        let key = keys[row]
        let candidates = settings.indices.filter { other in
            baseline.map { settings[other].label == $0 }
                ?? (keys[other].label == "NoFed" && keys[other].isComparable(with: key))
        }
        guard let partnerRow = candidates.first else { return baseline == nil ? "-" : "no such setting" }
        guard partnerRow != row else { return "baseline" }
        guard keys[partnerRow].isComparable(with: key) else {
            return "not comparable (\(key.difference(from: keys[partnerRow])))"
        }
        var differences: [Double] = []
        for run in settings[row].runs {
            guard
                let partner = settings[partnerRow].runs.first(where: { $0.configuration.seed == run.configuration.seed }
                )
            else { continue }
            differences.append(LearningCurve.mean(run.systemReturns) - LearningCurve.mean(partner.systemReturns))
        }
        guard !differences.isEmpty else { return "no paired seeds" }
        return
            "\(format(Self.meanAndDeviation(differences))) (\(differences.filter { $0 > 0 }.count)/\(differences.count))"
    }

    /// `mean ± sd`, with `n/a` for the spread of a single value.
    func format(_ statistic: (mean: Double, deviation: Double)) -> String {
        statistic.deviation.isNaN
            ? String(format: "%.1f ± n/a", statistic.mean)
            : String(format: "%.1f ± %.1f", statistic.mean, statistic.deviation)
    }

    /// Left-aligned columns separated by two spaces, with a rule under the header.
    public static func align(_ rows: [[String]]) -> String {
        let widths = rows[0].indices.map { column in rows.map { $0.count > column ? $0[column].count : 0 }.max() ?? 0 }
        var lines = rows.map { row in
            row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
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
    public static func referenceCurves(
        from url: URL, environmentNames: [String]
    ) throws -> [(label: String, values: [Double])] {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw FederationError.invalidConfiguration(
                "\(url.path): cannot be read (\(FileSystemError(reading: url, error).reason))")
        }
        var curves: [String: [(Int, Double)]] = [:]
        var order: [String] = []
        let wanted = Set(environmentNames.map { $0.lowercased() })
        for (index, line) in text.split(whereSeparator: \.isNewline).enumerated() where index > 0 {
            let cells = line.split(separator: ",").map(String.init)
            guard cells.count == 5, let episode = Int(cells[3]), let value = Double(cells[4]) else {
                throw FederationError.invalidConfiguration(
                    "\(url.path):\(index + 1): expected env,setting,seeds,episode,system_reward")
            }
            guard wanted.contains(cells[0].lowercased()) else { continue }
            let label = "reference \(cells[1])"
            if curves[label] == nil { order.append(label) }
            curves[label, default: []].append((episode, value))
        }
        return order.map { label in (label, curves[label]!.sorted { $0.0 < $1.0 }.map(\.1)) }
    }
}
