import Foundation
import HPDRL

/// `fedhpd train --tensorboard`: a run's scalars under `RUN_DIR/tensorboard/`, one event per episode (step =
/// episode number from 1):
///
///     system/reward            mean of the agents' returns         system/reward_ma100   its trailing 100-episode mean
///     agent_<k>/return         agent k's return                    agent_<k>/episode_length
///     agent_<k>/learning_rate  its optimiser's current rate        agent_<k>/kd_loss     mean digestion loss of an event
///     speed/episodes_per_second
///
/// A resumed run starts a new event file with a restart marker at the checkpoint, so TensorBoard drops the steps the
/// killed run had logged after its checkpoint.
public final class TensorBoardLog {
    private let file: TensorBoardEventFile
    private var episodesLogged: Int
    private var recordsLogged: Int
    private var lastTime = monotonicSeconds()

    /// Starts a new event file for `training` in `folder`.
    public init(folder: RunFolder, training: FederatedTraining) throws {
        file = try TensorBoardEventFile(folder: folder.tensorBoardURL)
        episodesLogged = training.returns.count
        recordsLogged = training.distillationRecords.count
        if episodesLogged > 0 { try file.writeRestart(step: episodesLogged + 1) }
    }

    /// Logs the episodes and distillation events `training` ran since the last call. Episode lengths and learning
    /// rates are read from the agents now, so call this after every episode.
    public func append(from training: FederatedTraining) throws {
        let now = monotonicSeconds()
        let episodesPerSecond = Double(training.returns.count - episodesLogged) / max(now - lastTime, 1e-9)
        lastTime = now
        while episodesLogged < training.returns.count {
            let returns = training.returns[episodesLogged]
            episodesLogged += 1
            let systemRewards = training.returns[max(0, episodesLogged - 100)..<episodesLogged].map {
                LearningCurve.mean($0)
            }
            var scalars: [(String, Float)] = [
                ("system/reward", Float(LearningCurve.mean(returns))),
                ("system/reward_ma100", Float(LearningCurve.mean(systemRewards))),
                ("speed/episodes_per_second", Float(episodesPerSecond)),
            ]
            for (index, value) in returns.enumerated() { scalars.append(("agent_\(index + 1)/return", Float(value))) }
            if episodesLogged == training.returns.count {
                for (index, agent) in training.agents.enumerated() {
                    guard let learner = (agent as? ReinforceAgent)?.learner else { continue }
                    scalars.append(("agent_\(index + 1)/episode_length", Float(learner.lastEpisodeLength)))
                    scalars.append(("agent_\(index + 1)/learning_rate", learner.optimizer.learningRate))
                }
            }
            let events = training.distillationRecords[recordsLogged...].filter { $0.episode == episodesLogged }
            if let first = events.first {
                for index in first.step.losses.indices {
                    let losses = events.map { Double($0.step.losses[index]) }
                    scalars.append(("agent_\(index + 1)/kd_loss", Float(LearningCurve.mean(losses))))
                }
                recordsLogged += events.count
            }
            try file.write(step: episodesLogged, scalars: scalars)
        }
    }
}
