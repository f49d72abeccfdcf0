import ArgumentParser
import Foundation
import HPDFederation
import HPDNN

/// `fedhpd compare`: statistics over seeds per setting, paired differences, and one overlay SVG.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare run folders: whole / last-100 / episodes-to-threshold (mean ± sd over seeds), paired differences.")

    @Argument(help: "Run folders (each with config.json and rewards.csv), or roots holding run folders.")
    var runs: [String]
    @Option(help: "The setting to compare against, e.g. NoFed (default: NoFed if present).")
    var baseline: String?
    @Option(help: "Write an SVG overlaying the settings' seed-averaged system MA100 curves.")
    var svg: String?
    @Option(name: .customLong("reference-curves"), help: "The authors' published curves CSV to overlay (env,setting,seeds,episode,system_reward).")
    var referenceCurves: String?
    @Option(help: "Count only these agents (1-based, e.g. 2-10: the honest agents of a run whose agent 1 was adversarial) in the system reward.")
    var agents: AgentSelection?

    func run() throws {
        var folders: [URL] = []
        for path in runs {
            let url = URL(fileURLWithPath: path)
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("config.json").path) {
                folders.append(url)
            } else if let children = try? FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil) {
                folders += children.filter { FileManager.default.fileExists(atPath: $0.appendingPathComponent("rewards.csv").path) }
                    .sorted { $0.path < $1.path }
            } else {
                throw CommandError("\(path): not a run folder or a folder of runs")
            }
        }
        guard !folders.isEmpty else { throw CommandError("no run folders found in \(runs.joined(separator: " "))") }
        let first = try RunFolder(url: folders[0]).readConfiguration()
        let environment = try Catalog.all.specification(for: first.environment)
        let comparison: Comparison
        do {
            comparison = try Comparison(
                runFolders: folders, thresholds: environment.thresholds, countedAgents: agents?.agents.map { $0 - 1 })
        } catch { throw CommandError("\(error)") }
        print(comparison.table(baseline: baseline))
        if let svg {
            var series = comparison.averagedSystemCurves.map { (name: $0.label, values: $0.values, emphasised: false) }
            if let referenceCurves {
                let names = [environment.id] + environment.aliases
                series += try Comparison.referenceCurves(from: URL(fileURLWithPath: referenceCurves), environmentNames: names)
                    .map { (name: $0.label, values: $0.values, emphasised: false) }
            }
            try AtomicFile.write(
                CurvePlot.svg(title: "\(environment.id): system reward", series: series, thresholds: environment.thresholds),
                to: URL(fileURLWithPath: svg))
            print("wrote \(svg)")
        }
    }
}
