import Foundation
import HPDFederation

/// The part of running one configuration that `fedhpd train` and `fedhpd reproduce` share: resume `training` from
/// the newest valid checkpoint in `folder`, then train episode by episode until the end, a stop signal (SIGINT or
/// SIGTERM) or the caller's own limit, growing the live logs (`rewards.csv`, `kd_losses.csv`, TensorBoard if asked)
/// after every episode and writing a checkpoint every `checkpointEvery` episodes (and, if asked, every agent's policy
/// every `saveEvery`) before the last one. What happens after the loop — the end-of-run results, a final checkpoint
/// when stopped, the messages — is each command's own.
struct CheckpointedRun {
    /// The trainer, built for `folder`'s configuration.
    let training: FederatedTraining
    /// The run folder (config.json already written).
    let folder: RunFolder
    /// Episodes between checkpoints (0: none during the run).
    var checkpointEvery: Int
    /// Episodes between policy snapshots under `policies/episode-<e>/` (0: none).
    var saveEvery = 0
    /// Also write TensorBoard event files.
    var writesTensorBoard = false

    /// Restores the newest valid checkpoint into `training`; returns the episode resumed from (0: a fresh start).
    func resume() throws -> Int {
        try folder.restoreNewestCheckpoint(into: training)
    }

    /// Trains from where `training` stands. After each episode `afterEpisode(done)` runs first, then the logs and the
    /// periodic writes; the loop ends at the last episode, on a stop signal, when `mayContinue()` is false, or after
    /// the first failed write, which is then thrown. A divergence is not an error here: `training.divergence` says.
    func train(afterEpisode: @escaping (Int) -> Void, mayContinue: @escaping () -> Bool) throws {
        let episodes = training.configuration.episodes
        let liveLog = try LiveRunLog(folder: folder, training: training)
        let tensorBoardLog = writesTensorBoard ? try TensorBoardLog(folder: folder, training: training) : nil
        let stop = StopSignal.shared
        var failure: Error?
        func attempt(_ write: () throws -> Void) {
            guard failure == nil else { return }
            do { try write() } catch { failure = error }
        }
        training.run(
            progress: { done in
                afterEpisode(done)
                attempt { try liveLog.append(from: training) }
                attempt { try tensorBoardLog?.append(from: training) }
                if saveEvery > 0 && done % saveEvery == 0 && done < episodes {
                    attempt { try folder.writePolicies(of: training, episode: done) }
                }
                if checkpointEvery > 0 && done % checkpointEvery == 0 && done < episodes {
                    attempt { try folder.writeCheckpoint(of: training) }
                }
            },
            shouldContinue: { !stop.isRequested && failure == nil && mayContinue() })
        if let failure { throw failure }
    }
}
