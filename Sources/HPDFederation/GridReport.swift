import Foundation
import HPDRL

/// `paper-comparison.md`: the grid's results beside the authors' (`PaperFacts`), one section per task — the table
/// (mean ± sd over seeds, the relative difference to the authors' figure, the paired whole-run difference to NoFed
/// with wins), the checks (`GridReport+Checks`), the overlay figure (`GridCurvePlot`) and per-agent means —
/// then the time table (`GridReport+Time`). Cells without a complete run are shown as pending.
public struct GridReport {
    /// The runs found.
    public let index: GridRunIndex
    /// The task specifications, by task.
    public let environments: [PaperGrid.Task: EnvironmentSpecification]
    /// The authors' curves per environment id (label, seed-averaged system reward per episode); may be empty.
    public let referenceCurves: [String: [(label: String, values: [Double])]]
    /// The machine's yardstick rates for the time limit; nil leaves the limit out.
    public let rates: GridMachineRates?
    /// The command that produced the grid, quoted in the report.
    public let command: String

    public init(
        index: GridRunIndex, environments: [PaperGrid.Task: EnvironmentSpecification],
        referenceCurves: [String: [(label: String, values: [Double])]], rates: GridMachineRates?, command: String
    ) {
        self.index = index
        self.environments = environments
        self.referenceCurves = referenceCurves
        self.rates = rates
        self.command = command
    }

    /// The figure's file name for `task`, next to the markdown.
    public static func figureName(for task: PaperGrid.Task) -> String { "paper-\(task.environmentID).svg" }

    /// Mean and sample standard deviation (NaN for one value: no spread to show).
    static func statistics(_ values: [Double]) -> (mean: Double, deviation: Double) {
        Comparison.meanAndDeviation(values)
    }

    /// The per-seed whole-run and last-100 system means of `entries`.
    static func systemMeans(_ entries: [GridRunIndex.Entry]) -> (whole: [Double], last: [Double]) {
        (
            entries.map { LearningCurve.mean($0.run.systemReturns) },
            entries.map { LearningCurve.lastMean($0.run.systemReturns) }
        )
    }

    /// Paired whole-run differences of `entries` against NoFed runs of the same seed.
    func pairedDifferences(_ entries: [GridRunIndex.Entry], task: PaperGrid.Task) -> [Double] {
        let baseline = index.runs(task: task, setting: PaperGrid.Setting(method: .nofed, interval: 1))
        return entries.compactMap { entry in
            guard let partner = baseline.first(where: { $0.cell.seed == entry.cell.seed }) else { return nil }
            return LearningCurve.mean(entry.run.systemReturns) - LearningCurve.mean(partner.run.systemReturns)
        }
    }

    /// The settings of `task` in display order.
    func settings(of task: PaperGrid.Task) -> [PaperGrid.Setting] {
        PaperGrid.settings(for: task, choice: index.grid.choice).sorted { $0.displayOrder < $1.displayOrder }
    }

    /// The whole report.
    public func markdown() -> String {
        let grid = index.grid
        let total = grid.cells.count
        var text = "# The paper's grid: our runs beside the authors'\n\n"
        text += "Produced by `\(command)`.\n\n"
        text +=
            "Grid: \(grid.tasks.map(\.environmentID).joined(separator: ", ")); seeds "
            + "\(grid.seeds.map(String.init).joined(separator: ", ")); settings `\(grid.choice.rawValue)`. "
            + "Complete: **\(index.entries.count) of \(total) runs**.\n\n"
        if !index.missing.isEmpty { text += pendingSummary() }
        text +=
            "Authors' figures: system reward (mean over the 10 agents) whole run / last 100 episodes over their "
            + "\(PaperFacts.seedCount) seeds (`PaperFacts`). Ours: mean ± sd over the seeds done; “vs authors” is "
            + "(ours − authors) / |authors|; “Δ vs NoFed” is the paired whole-run difference (mean ± sd) with the number "
            + "of seeds where the setting beats NoFed.\n\n"
        for task in grid.tasks { text += section(for: task) }
        text += timeSection()
        return text
    }

    /// The missing runs grouped by task and setting, with their seeds.
    func pendingSummary() -> String {
        var groups: [String] = []
        for task in index.grid.tasks {
            for setting in settings(of: task) {
                let seeds = index.missing.filter { $0.task == task && $0.setting == setting }.map(\.seed)
                guard !seeds.isEmpty else { continue }
                let which =
                    seeds.count == index.grid.seeds.count
                    ? "all seeds" : "seeds " + seeds.map(String.init).joined(separator: ", ")
                groups.append("\(task.environmentID) \(setting.label) (\(which))")
            }
        }
        return
            "Pending — \(index.missing.count) runs without a complete result yet, shown as “pending” or counted in the "
            + "seeds column below: " + groups.joined(separator: "; ") + ".\n\n"
    }

    /// One task's table, checks, figure and per-agent table.
    func section(for task: PaperGrid.Task) -> String {
        let episodes =
            index.entries.first { $0.cell.task == task }?.run.configuration.episodes
            ?? environments[task]?.defaultEpisodes
        var text = "## \(task.environmentID)" + (episodes.map { " — \($0) episodes" } ?? "") + "\n\n"
        var rows = [
            [
                "setting", "seeds", "whole (ours)", "whole (authors)", "vs authors", "last-100 (ours)",
                "last-100 (authors)", "vs authors", "Δ whole vs NoFed (wins)",
            ]
        ]
        for setting in settings(of: task) {
            let entries = index.runs(task: task, setting: setting)
            let facts = PaperFacts.cell(environment: task.environmentID, setting: setting.label)
            var row = [setting.label, "\(entries.count)/\(index.grid.seeds.count)"]
            if entries.isEmpty {
                row += [
                    "pending", facts.map { Self.number($0.wholeRunMean) } ?? "—", "", "pending",
                    facts.map { Self.number($0.last100Mean) } ?? "—", "", "",
                ]
            } else {
                let (whole, last) = Self.systemMeans(entries)
                let wholeStatistics = Self.statistics(whole)
                let lastStatistics = Self.statistics(last)
                row += [
                    Self.format(wholeStatistics), facts.map { Self.number($0.wholeRunMean) } ?? "—",
                    facts.map { Self.relative(wholeStatistics.mean, to: $0.wholeRunMean) } ?? "",
                    Self.format(lastStatistics), facts.map { Self.number($0.last100Mean) } ?? "—",
                    facts.map { Self.relative(lastStatistics.mean, to: $0.last100Mean) } ?? "",
                ]
                if setting.method == .nofed {
                    row.append("baseline")
                } else {
                    let differences = pairedDifferences(entries, task: task)
                    row.append(
                        differences.isEmpty
                            ? "no paired seeds"
                            : "\(Self.format(Self.statistics(differences))) (\(differences.filter { $0 > 0 }.count)/\(differences.count))"
                    )
                }
            }
            rows.append(row)
        }
        text += Self.markdownTable(rows) + "\n"
        text += checks(for: task).map { "- \($0)\n" }.joined() + "\n"
        text +=
            "![\(task.environmentID): our mean ± sd over seeds beside the authors' curves](\(Self.figureName(for: task)))\n\n"
        text += agentSection(for: task)
        return text
    }

    /// Per agent: whole-run / last-100 mean over seeds, one column per setting with runs.
    func agentSection(for task: PaperGrid.Task) -> String {
        let available = settings(of: task).filter { !index.runs(task: task, setting: $0).isEmpty }
        guard let first = available.first.map({ index.runs(task: task, setting: $0)[0] }) else { return "" }
        let agents = first.run.configuration.agents
        var rows = [["agent", "architecture"] + available.map(\.label)]
        for (position, agent) in agents.enumerated() {
            var row = ["\(position + 1)", agent.label]
            for setting in available {
                let entries = index.runs(task: task, setting: setting)
                let whole = LearningCurve.mean(entries.map { LearningCurve.mean($0.run.returns.map { $0[position] }) })
                let last = LearningCurve.mean(
                    entries.map { LearningCurve.lastMean($0.run.returns.map { $0[position] }) })
                row.append("\(Self.number(whole)) / \(Self.number(last))")
            }
            rows.append(row)
        }
        return "### \(task.environmentID) per agent (whole run / last 100, mean over seeds)\n\n"
            + Self.markdownTable(rows) + "\n"
    }

    static func number(_ value: Double) -> String { String(format: "%.1f", value) }

    static func format(_ statistics: (mean: Double, deviation: Double)) -> String {
        statistics.deviation.isNaN
            ? String(format: "%.1f ± n/a", statistics.mean)
            : String(format: "%.1f ± %.1f", statistics.mean, statistics.deviation)
    }

    static func relative(_ ours: Double, to authors: Double) -> String {
        String(format: "%+.1f %%", (ours - authors) / abs(authors) * 100)
    }

    /// A GitHub-flavoured markdown table: header, rule, rows.
    static func markdownTable(_ rows: [[String]]) -> String {
        var lines = [
            "| " + rows[0].joined(separator: " | ") + " |",
            "|" + rows[0].map { _ in "---" }.joined(separator: "|") + "|",
        ]
        lines += rows.dropFirst().map { "| " + $0.joined(separator: " | ") + " |" }
        return lines.joined(separator: "\n") + "\n"
    }
}
