import Foundation
import Testing

/// rewards.csv and kd_losses.csv grow while `fedhpd train` runs, and a stopped and resumed run ends with the same files.
@Suite struct LiveLogCommandTests {
    let cli = CommandLineTests()

    func lines(_ url: URL) -> [Substring] {
        ((try? String(contentsOf: url, encoding: .utf8)) ?? "").split(separator: "\n", omittingEmptySubsequences: false)
            .dropLast()
    }

    @Test func aRunningTrainingShowsItsRowsSoFarAndAStoppedOneResumesToTheSameFiles() throws {
        let root = cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let states = root.appendingPathComponent("states.csv")
        try cli.writeFixtureStates(to: states)
        // Three agents that barely learn: short episodes, so 1500 episodes take about two seconds.
        let agents = root.appendingPathComponent("agents.json")
        try
            #"[{"hiddenSizes": [16], "activation": "tanh", "learningRate": 1e-6}, {"hiddenSizes": [8, 8], "activations": ["relu", "tanh"], "learningRate": 1e-6}, {"hiddenSizes": [8], "activation": "relu", "learningRate": 1e-6}]"#
            .write(to: agents, atomically: true, encoding: .utf8)
        func arguments(_ out: String) -> [String] {
            [
                "train", "--agents", agents.path, "--episodes", "1500", "--seeds", "5", "--public-states", states.path,
                "--part-size", "100",
                "--checkpoint-every", "50", "--threads", "2", "--quiet", "--out", root.appendingPathComponent(out).path,
            ]
        }
        let whole = try cli.run(arguments("whole"))
        #expect(whole.status == 0, "\(whole.error)")
        let expected = root.appendingPathComponent("whole/CartPole-v1__fedhpd-d5__seed5")

        let folder = root.appendingPathComponent("stopped/CartPole-v1__fedhpd-d5__seed5")
        let process = Process()
        process.executableURL = CommandLineTests.executable
        process.arguments = arguments("stopped")
        process.standardError = FileHandle.nullDevice
        try process.run()
        var seen: [Substring] = []
        while process.isRunning && seen.count < 1 + 120 {
            seen = lines(folder.appendingPathComponent("rewards.csv"))
            usleep(2000)
        }
        #expect(process.isRunning, "the run finished before it could be interrupted")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("summary.json").path))
        // Mid-run, the rows so far are the uninterrupted run's first rows.
        let rewards = lines(expected.appendingPathComponent("rewards.csv"))
        #expect(seen.count > 100 && Array(rewards.prefix(seen.count)) == seen)
        let losses = lines(folder.appendingPathComponent("kd_losses.csv"))
        #expect(
            losses.count > 1
                && Array(lines(expected.appendingPathComponent("kd_losses.csv")).prefix(losses.count)) == losses)
        process.interrupt()
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)

        let resumed = try cli.run(["train", "--resume", folder.path, "--quiet"])
        #expect(resumed.status == 0, "\(resumed.error)")
        for file in ["rewards.csv", "kd_losses.csv", "summary.json"] {
            #expect(
                try Data(contentsOf: folder.appendingPathComponent(file))
                    == Data(contentsOf: expected.appendingPathComponent(file)), "\(file)")
        }
    }
}
