import Foundation
import HPDTensor

/// The end of a run, ordered so that no finished work is lost:
///
///     1. a checkpoint of the finished training (also with periodic checkpoints off)
///     2. the final policies, then rewards.csv, kd_losses.csv, curves.svg, timings.json and summary.json (the
///        completion marker, last)
///     3. only then the checkpoints are removed
///
/// A failed write in step 2 (a full disk, a folder where a file must go) throws a `FileSystemError` naming the file
/// and the cause and leaves the end-of-run checkpoint: rerunning the same command restores it and writes the results
/// without training again.
extension RunFolder {
    /// Writes the end-of-run checkpoint, the policies and every result file of a finished `training`, then removes
    /// the checkpoints.
    public func complete(_ training: FederatedTraining, thresholds: [Double]) throws {
        Precondition.check(training.isFinished, "complete: the training has run \(training.returns.count) episodes")
        let episodes = training.returns.count
        if checkpointFiles().first?.lastPathComponent != Self.checkpointName(episode: episodes) {
            try writeCheckpoint(of: training)
        }
        try writePolicies(of: training)
        try writeResults(of: training, thresholds: thresholds)
        try removeCheckpoints()
    }

    /// The end-of-run checkpoint of a run of `episodes` episodes, if it has been written (after a failed
    /// `complete`, it says whether the finished training is kept).
    public func finishedCheckpoint(episodes: Int) -> URL? {
        checkpointFiles().first { $0.lastPathComponent == Self.checkpointName(episode: episodes) }
    }

    /// Removes `checkpoints/` (after the results are written); a failure names the folder.
    public func removeCheckpoints() throws(FileSystemError) {
        guard FileManager.default.fileExists(atPath: checkpointsURL.path) else { return }
        do { try FileManager.default.removeItem(at: checkpointsURL) } catch {
            throw FileSystemError(
                action: "remove", path: checkpointsURL.path,
                reason: FileSystemError.diagnose(
                    checkpointsURL, error: error, writing: true))
        }
    }
}
