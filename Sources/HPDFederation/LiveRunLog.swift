import Foundation
import HPDNN

/// `rewards.csv` and `kd_losses.csv` grown while a run trains: one row per episode and one per digestion step,
/// each handed to the operating system (`write(2)`) as soon as it exists, so `tail -f` and mid-run plots work.
///
/// Opening the log rewrites both files from the trainer's state — header only for a fresh run, the checkpoint's
/// rows for a resumed one — which cuts away rows written after the checkpoint by a run that was then killed. So the
/// files of a resumed run end byte-identical to an uninterrupted run's; `RunFolder.writeResults` rewrites them
/// atomically at the end with the same bytes, and `summary.json` stays the completion marker.
public final class LiveRunLog {
    private let rewards: FileHandle
    private let losses: FileHandle
    private var episodesLogged: Int
    private var stepsLogged: Int

    /// Starts (or restarts) the logs of `training` in `folder`.
    public init(folder: RunFolder, training: FederatedTraining) throws {
        let agentCount = training.configuration.agents.count
        try RunFolder.writeFile(RunFolder.rewardsCSV(training.returns, agentCount: agentCount), to: folder.rewardsURL)
        try RunFolder.writeFile(
            RunFolder.distillationLossesCSV(training.distillationRecords, agentCount: agentCount),
            to: folder.distillationLossesURL)
        rewards = try FileHandle(forWritingTo: folder.rewardsURL)
        losses = try FileHandle(forWritingTo: folder.distillationLossesURL)
        try rewards.seekToEnd()
        try losses.seekToEnd()
        episodesLogged = training.returns.count
        stepsLogged = training.distillationRecords.count
    }

    deinit {
        try? rewards.close()
        try? losses.close()
    }

    /// Appends the rows `training` produced since the last call.
    public func append(from training: FederatedTraining) throws {
        let newSteps = training.distillationRecords[stepsLogged...]
        if !newSteps.isEmpty {
            try losses.write(
                contentsOf: Data(
                    newSteps.map { RunFolder.distillationLossesRow(episode: $0.episode, step: $0.step) }.joined().utf8))
            stepsLogged = training.distillationRecords.count
        }
        let newEpisodes = training.returns[episodesLogged...]
        if !newEpisodes.isEmpty {
            try rewards.write(contentsOf: Data(newEpisodes.map(RunFolder.rewardsRow).joined().utf8))
            episodesLogged = training.returns.count
        }
    }
}
