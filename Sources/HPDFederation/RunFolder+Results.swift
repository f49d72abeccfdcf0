import Foundation
import HPDNN
import HPDRL

/// How a run's result files treat returns that were never reported (NaN cells of the returns matrix).
public enum MissingReturnPolicy: Sendable, Equatable {
    /// Every return is present (an in-process run): every value, whatever it is, enters the summaries and curves.
    case complete
    /// NaN marks a return that never arrived (a lost client of a served run): rewards.csv keeps `nan`, the system
    /// reward of an episode is the mean over the agents that reported it, and every summary and curve uses only the
    /// reported returns.
    case skipMissing
}

/// An extra text file written into a run folder with the results, before the completion marker (e.g. a served
/// run's `exclusions.csv` and `server.log`).
public struct RunFolderAttachment: Sendable {
    /// The file name inside the run folder.
    public var name: String
    /// Its text.
    public var contents: String

    public init(name: String, contents: String) {
        self.name = name
        self.contents = contents
    }
}

extension RunFolder {
    /// The encoder of every JSON result file: pretty, sorted keys, non-finite numbers as "nan"/"inf"/"-inf"
    /// strings (identical bytes to a plain encoder when every number is finite).
    static func resultEncoder() -> JSONEncoder {
        let encoder = encoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// Writes every result file of a finished (or partial) training: rewards.csv, kd_losses.csv, curves.svg,
    /// timings.json, the attachments, then summary.json (the completion marker, last). The one writer of both
    /// `fedhpd train` and `fedhpd serve`; `missingReturns` says how NaN returns are treated.
    public func writeResults(
        configuration: FederationConfiguration, returns: [[Double]],
        distillationRecords: [(episode: Int, step: DistillationStep)], exclusions: [String], thresholds: [Double],
        timings: some Encodable, missingReturns: MissingReturnPolicy, attachments: [RunFolderAttachment] = []
    ) throws {
        let agentCount = configuration.agents.count
        try RunFolder.writeFile(Self.rewardsCSV(returns, agentCount: agentCount), to: rewardsURL)
        try RunFolder.writeFile(
            Self.distillationLossesCSV(distillationRecords, agentCount: agentCount), to: distillationLossesURL)
        let skipsMissing = missingReturns == .skipMissing && returns.contains { $0.contains(where: \.isNaN) }
        let agentReturns = { (index: Int) -> [Double] in
            let column = returns.map { $0[index] }
            return skipsMissing ? column.filter { !$0.isNaN } : column
        }
        let system = returns.map { LearningCurve.mean(skipsMissing ? $0.filter { !$0.isNaN } : $0) }
        try RunFolder.writeFile(
            CurvePlot.svg(
                title: "\(configuration.environment) — \(configuration.settingLabel), seed \(configuration.seed)",
                series: [("system (mean of agents)", system, true)]
                    + (0..<agentCount).map { index in ("agent \(index + 1)", agentReturns(index), false) },
                thresholds: thresholds),
            to: curvesURL)
        let encoder = Self.resultEncoder()
        try RunFolder.writeFile(encoder.encode(timings), to: timingsURL)
        for attachment in attachments {
            try RunFolder.writeFile(attachment.contents, to: url.appendingPathComponent(attachment.name))
        }
        var summary = RunSummary(
            configuration: configuration, returns: returns, thresholds: thresholds, exclusions: exclusions)
        if skipsMissing {
            summary.system = PerformanceSummary(returns: system, thresholds: thresholds)
            for index in 0..<agentCount {
                summary.agents[index].performance = PerformanceSummary(
                    returns: agentReturns(index), thresholds: thresholds)
            }
        }
        try RunFolder.writeFile(encoder.encode(summary), to: summaryURL)
    }

    /// Writes every result file of an in-process training (`writeResults(configuration:…)` with the trainer's
    /// timings, stamped with this machine; complete returns, or `.skipMissing` once an agent left the federation
    /// after diverging).
    public func writeResults(of training: FederatedTraining, thresholds: [Double]) throws {
        var timings = training.timings
        timings.machine = MachineRecord.current
        try writeResults(
            configuration: training.configuration, returns: training.returns,
            distillationRecords: training.distillationRecords, exclusions: training.exclusions, thresholds: thresholds,
            timings: timings, missingReturns: training.excludedAgents.isEmpty ? .complete : .skipMissing)
    }
}
