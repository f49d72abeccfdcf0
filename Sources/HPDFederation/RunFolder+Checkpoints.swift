import Foundation
import HPDNN
import HPDTensor
import Logging

/// Checkpoints inside a run folder: `checkpoints/checkpoint-<episode>.bin`, written atomically; the previous one is
/// kept until a newer one is complete, older ones are removed.
extension RunFolder {
    /// `<run folder>/checkpoints`.
    public var checkpointsURL: URL { url.appendingPathComponent("checkpoints") }

    /// Writes a checkpoint of `training` and prunes all but the two newest. Returns the file and its size.
    @discardableResult
    public func writeCheckpoint(of training: FederatedTraining) throws -> (url: URL, bytes: Int) {
        let start = monotonicSeconds()
        let data = try Checkpoint.encode(training)
        let file = try writeCheckpointFile(data, episode: training.returns.count)
        training.timings.checkpoints += 1
        training.timings.checkpointSeconds += monotonicSeconds() - start
        training.timings.checkpointBytes = data.count
        return (file, data.count)
    }

    /// Writes an encoded checkpoint taken after `episode` atomically, then prunes all but the two newest (so the
    /// previous one stays until this one is complete). The one writer of checkpoint files (`fedhpd train`'s and a
    /// network client's).
    @discardableResult
    package func writeCheckpointFile(_ data: Data, episode: Int) throws -> URL {
        let file = checkpointsURL.appendingPathComponent(Self.checkpointName(episode: episode))
        try RunFolder.writeFile(data, to: file)
        for old in checkpointFiles().dropFirst(2) { try? FileManager.default.removeItem(at: old) }
        return file
    }

    /// `checkpoint-<episode, 8 digits>.bin`.
    static func checkpointName(episode: Int) -> String { String(format: "checkpoint-%08d.bin", episode) }

    /// Checkpoint files, newest first.
    public func checkpointFiles() -> [URL] {
        let files =
            (try? FileManager.default.contentsOfDirectory(at: checkpointsURL, includingPropertiesForKeys: nil)) ?? []
        return files.filter { $0.lastPathComponent.hasPrefix("checkpoint-") && $0.pathExtension == "bin" }
            .sorted { $0.lastPathComponent > $1.lastPathComponent }
    }

    /// Restores the newest valid checkpoint into `training`; a corrupt newer one is logged as a warning through
    /// `training.logger` and the previous one is used, as is a change of BLAS kernel set since the checkpoint.
    /// Returns the episode resumed from (0 when there is no valid checkpoint).
    public func restoreNewestCheckpoint(into training: FederatedTraining) throws -> Int {
        try restoreNewestCheckpoint(into: training, warn: { training.logger.warning("\($0)") })
    }

    /// `restoreNewestCheckpoint(into:)` with each warning passed to `log` as `warning: <message>` instead of logged.
    public func restoreNewestCheckpoint(into training: FederatedTraining, log: (String) -> Void) throws -> Int {
        try restoreNewestCheckpoint(into: training, warn: { log("warning: \($0)") })
    }

    private func restoreNewestCheckpoint(into training: FederatedTraining, warn: (String) -> Void) throws -> Int {
        for file in checkpointFiles() {
            do {
                let data = try FileSystemError.reading(file) { try Data(contentsOf: file) }
                let checkpointCore = try Checkpoint.restore(data, into: training, path: file.path)
                let core = LinearAlgebraLibrary.kernelStatus.core
                if let checkpointCore, checkpointCore.lowercased() != core.lowercased() {
                    warn(
                        "this run computed with the \(checkpointCore) BLAS kernels until now and continues with "
                            + "\(core): results are bit-identical only for one kernel set (pin it with --blas-core "
                            + "\(checkpointCore) or FEDHPD_BLAS_CORE=\(checkpointCore))")
                }
                return training.returns.count
            } catch let error as FederationError {
                if case .checkpointConfigurationMismatch = error { throw error }
                warn("\(error); trying the previous checkpoint")
            }
        }
        return 0
    }
}
