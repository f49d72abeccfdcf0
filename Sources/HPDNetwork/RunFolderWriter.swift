#if Network
import Foundation
import HPDFederation
import HPDNN
import HPDRL

/// One agent left out of one part's consensus (a row of exclusions.csv).
struct ExclusionRecord {
    var episode: Int
    var loop: Int
    var part: Int
    var agent: Int
    var reason: String
}

/// One digestion step of every agent on one part (a row of kd_losses.csv).
struct LossRecord {
    var episode: Int
    var loop: Int
    var part: Int
    var losses: [Float]
}

/// Where the network run's time went (timings.json of a `serve` run).
struct NetworkTimings: Codable {
    var wallSeconds: Double
    /// From the first submission of an event to the consensus of its last part, summed over events.
    var distillationSeconds: Double
    var distillationEvents: Int
    var rounds: Int
    var clients: Int
    /// Parts aggregated over fewer agents than expected.
    var excludedRoundCount: Int
}

/// Writes a served run's folder in the same layout as `fedhpd train` (RunFolder's CSV writers, RunSummary,
/// CurvePlot), plus exclusions.csv (one row per agent left out of a part) and server.log.
enum RunFolderWriter {
    static func write(
        folder: RunFolder, configuration: FederationConfiguration, returns: [[Double]],
        records: [LossRecord], exclusions: [String], exclusionRows: [ExclusionRecord],
        thresholds: [Double], timings: NetworkTimings, log: [String]
    ) throws {
        let agentCount = configuration.agents.count
        try AtomicFile.write(RunFolder.rewardsCSV(returns, agentCount: agentCount), to: folder.rewardsURL)
        let steps = records.map {
            (episode: $0.episode, step: DistillationStep(loop: $0.loop, part: $0.part, losses: $0.losses))
        }
        try AtomicFile.write(
            RunFolder.distillationLossesCSV(steps, agentCount: agentCount), to: folder.distillationLossesURL)
        var csv = "episode,loop,part,agent,reason\n"
        for row in exclusionRows {
            csv += "\(row.episode),\(row.loop),\(row.part),\(row.agent + 1),\"\(row.reason.replacingOccurrences(of: "\"", with: "\"\""))\"\n"
        }
        try AtomicFile.write(csv, to: folder.url.appendingPathComponent("exclusions.csv"))
        // Returns missing from lost agents are nan in rewards.csv; summaries and curves use what was reported (the
        // system reward of an episode is the mean over the agents that reported it).
        let reported = { (index: Int) in returns.map { $0[index] }.filter { !$0.isNaN } }
        let system = returns.map { LearningCurve.mean($0.filter { !$0.isNaN }) }
        try AtomicFile.write(
            CurvePlot.svg(
                title: "\(configuration.environment) — \(configuration.settingLabel), seed \(configuration.seed)",
                series: [("system (mean of agents)", system, true)]
                    + (0..<agentCount).map { index in ("agent \(index + 1)", reported(index), false) },
                thresholds: thresholds),
            to: folder.curvesURL)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try AtomicFile.write(encoder.encode(timings), to: folder.timingsURL)
        try AtomicFile.write(log.joined(separator: "\n") + "\n", to: folder.url.appendingPathComponent("server.log"))
        var summary = RunSummary(configuration: configuration, returns: returns, thresholds: thresholds, exclusions: exclusions)
        if returns.contains(where: { $0.contains(where: \.isNaN) }) {
            summary.system = PerformanceSummary(returns: system, thresholds: thresholds)
            for index in 0..<agentCount {
                summary.agents[index].performance = PerformanceSummary(returns: reported(index), thresholds: thresholds)
            }
        }
        try AtomicFile.write(encoder.encode(summary), to: folder.summaryURL)
    }
}
#endif
