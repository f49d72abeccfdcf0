import Foundation
import HPDFederation
import HPDTensor
import Logging
import TestSupport
import Testing

/// Diagnostics that do not stop a run (excluded reports, checkpoint fall-backs) reach the run's `Logger`.
@Suite struct DiagnosticsLoggingTests {
    /// A checkpoint whose newest file is truncated falls back to the previous one and says so once, as a warning
    /// naming the failed checksum, through `training.logger`.
    @Test func aCheckpointFallBackIsLoggedAsOneWarning() throws {
        let fixture = try CheckpointFallBackFixture()
        defer { fixture.remove() }
        let capture = LogCapture()
        let restored = try fixture.makeTraining()
        restored.logger = capture.logger
        #expect(try fixture.folder.restoreNewestCheckpoint(into: restored) == 3)
        let messages = capture.messages
        #expect(messages.count == 1, "\(messages)")
        #expect(messages.first?.level == .warning && messages.first?.message.contains("checksum") == true)
        #expect(messages.first?.message.hasPrefix("warning:") == false, "the backend adds the level, not the library")
    }

    /// An agent whose reports are not finite is left out of every consensus; each exclusion is kept in
    /// `exclusions` and logged as a warning with the same text.
    @Test func excludedReportsAreLoggedAsWarnings() throws {
        let configuration = FederationTests.configuration(method: .fedhpd, episodes: 10, interval: 5)
        let built = try FederatedTraining(
            configuration: configuration, environment: .cartPole, publicStates: FederationTests.smallPublicStates(),
            threads: 1)
        var agents = built.agents
        agents[2] = NonFiniteReportingAgent(wrapping: agents[2])
        let training = try FederatedTraining(
            configuration: configuration, environment: .cartPole, agents: agents,
            publicStates: FederationTests.smallPublicStates(), threads: 1)
        let capture = LogCapture()
        training.logger = capture.logger
        training.run(shouldContinue: { true })

        #expect(training.returns.count == 10)
        #expect(!training.exclusions.isEmpty)
        #expect(training.exclusions.allSatisfy { $0.contains("agent 3 excluded") }, "\(training.exclusions)")
        let messages = capture.messages
        #expect(messages.map(\.message) == training.exclusions)
        #expect(messages.allSatisfy { $0.level == .warning })
    }
}

/// Trains like the agent it wraps but reports NaN probabilities, so validation excludes its reports.
private final class NonFiniteReportingAgent: LocalLearningAgent {
    private let inner: any LocalLearningAgent

    init(wrapping inner: any LocalLearningAgent) { self.inner = inner }

    var distributionFamily: DistributionFamily { inner.distributionFamily }

    func actionDistribution(on states: Tensor) -> ActionDistribution {
        guard case .categorical(let probabilities) = inner.actionDistribution(on: states) else {
            preconditionFailure("NonFiniteReportingAgent wraps categorical agents")
        }
        return .categorical(
            probabilities: Tensor(
                rows: probabilities.rows, columns: probabilities.columns,
                scalars: Array(repeating: .nan, count: probabilities.count)))
    }

    func digest(consensus: ActionDistribution, on states: Tensor, loss: DigestionLoss) -> Float {
        inner.digest(consensus: consensus, on: states, loss: loss)
    }

    func trainOneEpisode() -> EpisodeReport { inner.trainOneEpisode() }
}
