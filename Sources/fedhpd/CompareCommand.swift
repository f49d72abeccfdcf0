import ArgumentParser
import Foundation
import HPDFederation
import HPDNN

/// `fedhpd compare`: statistics over seeds per setting, paired differences, and one overlay SVG.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract:
            "Compare run folders: whole / last-100 / episodes-to-threshold (mean ± sd over seeds), paired differences.")

    @Argument(help: "Run folders (each with config.json and rewards.csv), or roots holding run folders.")
    var runs: [String]
    @Option(help: "The setting to compare against, e.g. NoFed (default: NoFed if present).")
    var baseline: String?
    @Option(help: "Write an SVG overlaying the settings' seed-averaged system MA100 curves.")
    var svg: String?
    @Option(
        name: .customLong("reference-curves"),
        help: "The authors' published curves CSV to overlay (env,setting,seeds,episode,system_reward).")
    var referenceCurves: String?
    @Option(
        help:
            "Count only these agents (1-based, e.g. 2-10: the honest agents of a run whose agent 1 was adversarial) in the system reward."
    )
    var agents: AgentSelection?

    func run() throws {
        var folders: [URL] = []
        for path in runs {
            let url = URL(fileURLWithPath: path)
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("config.json").path) {
                folders.append(url)
            } else if let children = try? FileManager.default.contentsOfDirectory(
                at: url, includingPropertiesForKeys: nil)
            {
                let runFolders = children.filter {
                    FileManager.default.fileExists(atPath: $0.appendingPathComponent("config.json").path)
                }
                guard !runFolders.isEmpty else {
                    throw CommandError("\(path): holds no run folder (none of its folders has a config.json)")
                }
                folders += runFolders.sorted { $0.path < $1.path }
            } else {
                throw CommandError("\(path): not a run folder or a folder of runs")
            }
        }
        let distinct = Set(folders.map { $0.resolvingSymlinksInPath().standardizedFileURL.path })
        if distinct.count < folders.count {
            FileHandle.standardError.write(
                Data(
                    "note: \(folders.count - distinct.count) run folder(s) were given more than once; each is counted once\n"
                        .utf8))
        }
        var comparison: Comparison
        do {
            comparison = try Comparison(
                runFolders: folders, thresholds: [], countedAgents: agents?.agents.map { $0 - 1 })
        } catch { throw CommandError("\(error)") }
        let environments = Set(comparison.settings.flatMap { $0.runs.map(\.configuration.environment) })
        guard environments.count == 1, let environmentName = environments.first else {
            throw CommandError(
                "compare one environment at a time; these runs are in \(environments.sorted().joined(separator: ", "))")
        }
        let environment = try Catalog.all.specification(for: environmentName)
        if let baseline, comparison.setting(named: baseline) == nil {
            throw CommandError(
                "--baseline \(baseline): no such setting among the runs (settings: \(comparison.settings.map(\.label).joined(separator: "; ")))"
            )
        }
        comparison.thresholds = environment.thresholds
        print(comparison.table(baseline: baseline))
        if let svg {
            var series = comparison.averagedSystemCurves.map { (name: $0.label, values: $0.values, emphasised: false) }
            if let referenceCurves {
                let names = [environment.id] + environment.aliases
                series += try Comparison.referenceCurves(
                    from: URL(fileURLWithPath: referenceCurves), environmentNames: names
                )
                .map { (name: $0.label, values: $0.values, emphasised: false) }
            }
            try AtomicFile.write(
                CurvePlot.svg(
                    title: "\(environment.id): system reward", series: series, thresholds: environment.thresholds),
                to: URL(fileURLWithPath: svg))
            print("wrote \(svg)")
        }
    }
}
