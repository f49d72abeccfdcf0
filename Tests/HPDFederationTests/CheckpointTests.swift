import Foundation
import HPDFederation
import HPDTensor
import Testing

@Suite struct CheckpointTests {
    func outputs(of training: FederatedTraining, in folder: URL) throws -> [Data] {
        let run = RunFolder(url: folder)
        try run.writeConfiguration(training.configuration)
        try run.writeResults(of: training, thresholds: [195, 475])
        return try [run.rewardsURL, run.distillationLossesURL, run.summaryURL].map { try Data(contentsOf: $0) }
    }

    /// The live logs' text: (rewards.csv, kd_losses.csv).
    func liveLogs(in folder: RunFolder) throws -> (String, String) {
        (
            try String(contentsOf: folder.rewardsURL, encoding: .utf8),
            try String(contentsOf: folder.distillationLossesURL, encoding: .utf8)
        )
    }

    /// The first `episodes` episodes' part of finished logs: the header, then the rows of those episodes.
    func prefix(of logs: (String, String), episodes: Int) -> (String, String) {
        let rewards = logs.0.split(separator: "\n").prefix(1 + episodes).map { $0 + "\n" }.joined()
        let losses = logs.1.split(separator: "\n").enumerated()
            .filter { $0.offset == 0 || Int($0.element.prefix { $0 != "," })! <= episodes }.map { $0.element + "\n" }
            .joined()
        return (rewards, losses)
    }

    /// Interrupt after `stopAfter` episodes, checkpoint, play two more episodes (their rows reach the live logs, as
    /// when a run is killed between checkpoints), rebuild from scratch, restore, finish: the live logs are cut back to
    /// the checkpoint on restart, grow row by row, and every output equals an uninterrupted run's, byte for byte.
    func expectResumeIsBitIdentical(method: FederationConfiguration.Method, interval: Int, stopAfter: Int) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fedhpd-resume-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        let configuration = FederationTests.configuration(method: method, episodes: 16, interval: interval)
        let publicStates = method == .fedhpd ? FederationTests.smallPublicStates() : nil
        let uninterrupted = try FederatedTraining(
            configuration: configuration, environment: .cartPole, publicStates: publicStates, threads: 2)
        uninterrupted.run()
        let expected = try outputs(of: uninterrupted, in: root.appendingPathComponent("uninterrupted"))
        let expectedLogs = try liveLogs(in: RunFolder(url: root.appendingPathComponent("uninterrupted")))

        let folder = RunFolder(url: root.appendingPathComponent("interrupted"))
        let first = try FederatedTraining(
            configuration: configuration, environment: .cartPole, publicStates: publicStates, threads: 2)
        let firstLog = try LiveRunLog(folder: folder, training: first)
        first.run(
            progress: { _ in try! firstLog.append(from: first) }, shouldContinue: { first.returns.count < stopAfter })
        try folder.writeCheckpoint(of: first)
        first.run(
            progress: { _ in try! firstLog.append(from: first) },
            shouldContinue: { first.returns.count < stopAfter + 2 })
        #expect(try liveLogs(in: folder) == prefix(of: expectedLogs, episodes: stopAfter + 2))

        let second = try FederatedTraining(
            configuration: configuration, environment: .cartPole, publicStates: publicStates, threads: 1)
        #expect(try folder.restoreNewestCheckpoint(into: second, log: { _ in }) == stopAfter)
        let secondLog = try LiveRunLog(folder: folder, training: second)
        #expect(try liveLogs(in: folder) == prefix(of: expectedLogs, episodes: stopAfter))
        second.run(progress: { done in
            try! secondLog.append(from: second)
            if done == stopAfter + 3 { #expect(try! liveLogs(in: folder) == prefix(of: expectedLogs, episodes: done)) }
        })
        #expect(try liveLogs(in: folder) == expectedLogs)
        #expect(try outputs(of: second, in: folder.url) == expected)
    }

    @Test func resumingRightAfterADistillationEventIsBitIdentical() throws {
        try expectResumeIsBitIdentical(method: .fedhpd, interval: 5, stopAfter: 10)
    }

    @Test func resumingBetweenDistillationEventsIsBitIdentical() throws {
        try expectResumeIsBitIdentical(method: .fedhpd, interval: 5, stopAfter: 7)
    }

    @Test func resumingDPAMidServerEpisodeIsBitIdentical() throws {
        try expectResumeIsBitIdentical(method: .dpa, interval: 1, stopAfter: 9)
    }

    @Test func aCorruptNewestCheckpointFallsBackToThePreviousOne() throws {
        let fixture = try CheckpointFallBackFixture()
        defer { fixture.remove() }
        var messages: [String] = []
        let restored = try fixture.makeTraining()
        #expect(try fixture.folder.restoreNewestCheckpoint(into: restored, log: { messages.append($0) }) == 3)
        #expect(messages.count == 1 && messages[0].contains("checksum"))
    }

    @Test func aCheckpointOfAnotherConfigurationIsRefusedNamingTheFields() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fedhpd-mismatch-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = RunFolder(url: root)
        let training = try FederatedTraining(
            configuration: FederationTests.configuration(method: .nofed, episodes: 4), environment: .cartPole,
            publicStates: nil, threads: 1)
        training.run(shouldContinue: { training.returns.count < 2 })
        try folder.writeCheckpoint(of: training)
        var other = FederationTests.configuration(method: .nofed, episodes: 6)
        other.seed = 21
        let different = try FederatedTraining(
            configuration: other, environment: .cartPole, publicStates: nil, threads: 1)
        #expect {
            _ = try folder.restoreNewestCheckpoint(into: different, log: { _ in })
        } throws: { error in
            "\(error)".contains("episodes (4 vs 6)") && "\(error)".contains("seed (20 vs 21)")
        }
    }
}
