import Foundation
import HPDNN

/// One stretch of a run executed by one process (`fedhpd reproduce` writes one per start or resume into the run
/// folder's `grid-segments.json`), so a run interrupted and resumed still accounts for all its time and work.
public struct GridRunSegment: Codable, Equatable, Sendable {
    /// Episodes done when the segment started and when it ended.
    public var firstEpisode: Int
    public var lastEpisode: Int
    /// Wall seconds of the segment (training, federation and checkpoints).
    public var wallSeconds: Double
    /// Wall seconds of local training and of federation steps (from `TrainingTimings`).
    public var localSeconds: Double
    public var distillationSeconds: Double
    /// Federation steps (distillation events or DPA alignments) and environment steps (summed over agents).
    public var distillationEvents: Int
    public var environmentSteps: Int
    /// Worker threads and the BLAS kernel set used.
    public var threads: Int
    public var blasCore: String

    public init(
        firstEpisode: Int, lastEpisode: Int, wallSeconds: Double, timings: TrainingTimings, threads: Int,
        blasCore: String
    ) {
        self.firstEpisode = firstEpisode
        self.lastEpisode = lastEpisode
        self.wallSeconds = wallSeconds
        localSeconds = timings.localSeconds
        distillationSeconds = timings.distillationSeconds
        distillationEvents = timings.distillationEvents
        environmentSteps = timings.environmentSteps
        self.threads = threads
        self.blasCore = blasCore
    }

    /// `<run folder>/grid-segments.json`.
    public static func url(in folder: RunFolder) -> URL { folder.url.appendingPathComponent("grid-segments.json") }

    /// The run's segments: its ledger if present; otherwise one segment made from timings.json (a run finished by
    /// `fedhpd train`, whose timings cover only its last process); empty when neither is readable.
    public static func read(from folder: RunFolder) -> [GridRunSegment] {
        if let data = try? Data(contentsOf: url(in: folder)),
            let segments = try? JSONDecoder().decode([GridRunSegment].self, from: data)
        {
            return segments
        }
        guard let data = try? Data(contentsOf: folder.timingsURL),
            let timings = try? JSONDecoder().decode(TrainingTimings.self, from: data),
            let configuration = try? folder.readConfiguration()
        else { return [] }
        return [
            GridRunSegment(
                firstEpisode: 0, lastEpisode: configuration.episodes,
                wallSeconds: timings.localSeconds + timings.distillationSeconds + timings.checkpointSeconds,
                timings: timings, threads: 0, blasCore: timings.machine?.blasCore ?? "unknown")
        ]
    }

    /// Appends `segment` to the run's ledger (rewritten atomically).
    public static func append(_ segment: GridRunSegment, to folder: RunFolder) throws {
        var segments: [GridRunSegment] = []
        if let data = try? Data(contentsOf: url(in: folder)) {
            segments = (try? JSONDecoder().decode([GridRunSegment].self, from: data)) ?? []
        }
        segments.append(segment)
        try AtomicFile.write(RunFolder.encoder().encode(segments), to: url(in: folder))
    }
}
