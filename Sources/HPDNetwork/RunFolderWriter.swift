#if Network
import Foundation
import HPDFederation
import HPDNN
import HPDRL

/// One agent left out of one part's consensus (a row of exclusions.csv).
struct ExclusionRecord: Codable {
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

/// A served run's folder: the same files as `fedhpd train` (`RunFolder.writeResults`, missing returns skipped),
/// plus exclusions.csv (one row per agent left out of a part) and server.log.
enum RunFolderWriter {
    static func write(
        folder: RunFolder, configuration: FederationConfiguration, returns: [[Double]],
        records: [LossRecord], exclusions: [String], exclusionRows: [ExclusionRecord],
        thresholds: [Double], timings: NetworkTimings, log: [String]
    ) throws {
        var csv = "episode,loop,part,agent,reason\n"
        for row in exclusionRows {
            csv +=
                "\(row.episode),\(row.loop),\(row.part),\(row.agent + 1),\"\(row.reason.replacingOccurrences(of: "\"", with: "\"\""))\"\n"
        }
        try folder.writeResults(
            configuration: configuration, returns: returns,
            distillationRecords: records.map {
                (episode: $0.episode, step: DistillationStep(loop: $0.loop, part: $0.part, losses: $0.losses))
            },
            exclusions: exclusions, thresholds: thresholds, timings: timings, missingReturns: .skipMissing,
            attachments: [
                RunFolderAttachment(name: "exclusions.csv", contents: csv),
                RunFolderAttachment(name: "server.log", contents: log.joined(separator: "\n") + "\n"),
            ])
    }
}
#endif
