import Foundation
import HPDFederation

/// A NoFed CartPole run folder (8 episodes) holding two checkpoints: a valid one after episode 3 and a newest one
/// after episode 5 truncated to half its bytes, as a kill -9 during a non-atomic write would leave it. Restoring
/// from it must fall back to episode 3. Used by the checkpoint and the logging tests.
struct CheckpointFallBackFixture {
    let configuration = FederationTests.configuration(method: .nofed, episodes: 8)
    let folder: RunFolder

    /// Trains, checkpoints twice and truncates the newest checkpoint in a fresh temporary folder.
    init() throws {
        folder = RunFolder(
            url: FileManager.default.temporaryDirectory.appendingPathComponent("fedhpd-fallback-\(UUID())"))
        let training = try makeTraining()
        training.run(shouldContinue: { training.returns.count < 3 })
        try folder.writeCheckpoint(of: training)
        training.run(shouldContinue: { training.returns.count < 5 })
        let newest = try folder.writeCheckpoint(of: training)
        let bytes = try Data(contentsOf: newest.url)
        try bytes.prefix(bytes.count / 2).write(to: newest.url)
    }

    /// A trainer of the fixture's configuration that has not run yet (to restore into).
    func makeTraining() throws -> FederatedTraining {
        try FederatedTraining(configuration: configuration, environment: .cartPole, publicStates: nil, threads: 1)
    }

    /// Deletes the folder.
    func remove() { try? FileManager.default.removeItem(at: folder.url) }
}
