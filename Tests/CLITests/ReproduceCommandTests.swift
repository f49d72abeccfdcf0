import Foundation
import Testing

/// End-to-end tests of `fedhpd reproduce` on a tiny grid (CartPole, main settings, a few episodes, a 300-state public
/// set written by the test under the authors' file name).
@Suite struct ReproduceCommandTests {
    let cli = CommandLineTests()

    /// A --public-states folder with the authors' CartPole file name and a two-curve reference file.
    func makeDataFolder(in root: URL) throws -> URL {
        let folder = root.appendingPathComponent("data")
        try cli.writeFixtureStates(to: folder.appendingPathComponent("cartpole_public_states_5-from-each.csv"))
        var curves = "env,setting,seeds,episode,system_reward\n"
        for episode in 1...6 {
            curves +=
                "CartPole-v1,NoFed,5,\(episode),\(20 + episode)\nCartPole-v1,FedHPD d=5,5,\(episode),\(30 + episode)\n"
        }
        try curves.write(
            to: folder.appendingPathComponent("reference_system_curves.csv"), atomically: true, encoding: .utf8)
        return folder
    }

    func reproduce(_ data: URL, _ extra: [String]) throws -> CommandLineTests.Outcome {
        try cli.run(
            [
                "reproduce", "--tasks", "cartpole", "--settings", "main", "--episodes", "6", "--threads", "2",
                "--public-states", data.path,
            ] + extra)
    }

    func rewards(in root: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for child in try FileManager.default.contentsOfDirectory(at: root, includingPropertiesForKeys: nil)
        where FileManager.default.fileExists(atPath: child.appendingPathComponent("summary.json").path) {
            files[child.lastPathComponent] = try Data(contentsOf: child.appendingPathComponent("rewards.csv"))
        }
        return files
    }

    @Test func theGridRunsResumesAfterAnInterruptionAndReports() throws {
        let root = cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let data = try makeDataFolder(in: root)
        let whole = root.appendingPathComponent("whole")
        let outcome = try reproduce(data, ["--seeds", "20,25", "--out", whole.path])
        #expect(outcome.status == 0, "\(outcome.error)")
        let finished = try rewards(in: whole)
        #expect(finished.count == 8)
        #expect(
            finished.keys.contains("CartPole-v1__fedhpd-d20__seed25")
                && finished.keys.contains("CartPole-v1__nofed__seed20"))
        // The report: authors' figures beside ours, paired wins, per-agent table, overlay figure with their curves.
        let report = try String(contentsOf: whole.appendingPathComponent("paper-comparison.md"), encoding: .utf8)
        #expect(report.contains("Complete: **8 of 8 runs**"))
        #expect(report.contains("| FedHPD d=5 | 2/2 |") && report.contains("343.2") && report.contains("455.5"))
        #expect(report.contains("baseline") && report.contains("/2) |"))
        #expect(report.contains("per agent") && report.contains("| 10 |"))
        #expect(report.contains("## Time") && report.contains("| CartPole-v1 | 8 |"))
        #expect(outcome.output.contains("Complete: **8 of 8 runs**"))
        let figure = try String(contentsOf: whole.appendingPathComponent("paper-CartPole-v1.svg"), encoding: .utf8)
        #expect(
            figure.contains("ours FedHPD d=5 (n=2)") && figure.contains("authors FedHPD d=5")
                && figure.contains("<polygon"))
        // The grid order: every setting of seed 20 before seed 25.
        let order = outcome.error.split(separator: "\n").filter { $0.contains(" complete after episode") }
        #expect(order.count == 8 && order.prefix(4).allSatisfy { $0.contains("seed 20") })

        // Interrupted after 15 episodes (two runs and half of the third), then continued: the same bytes.
        let interrupted = root.appendingPathComponent("interrupted")
        let first = try reproduce(data, ["--seeds", "20,25", "--out", interrupted.path, "--stop-after-episodes", "15"])
        #expect(first.status == 0, "\(first.error)")
        #expect(try rewards(in: interrupted).count == 2)
        #expect(!FileManager.default.fileExists(atPath: interrupted.appendingPathComponent("paper-comparison.md").path))
        let third = interrupted.appendingPathComponent("CartPole-v1__fedhpd-d10__seed20/checkpoints")
        #expect(try FileManager.default.contentsOfDirectory(atPath: third.path).contains("checkpoint-00000003.bin"))
        let second = try reproduce(data, ["--seeds", "20,25", "--out", interrupted.path])
        #expect(second.status == 0, "\(second.error)")
        #expect(second.error.contains("skip CartPole-v1 NoFed seed 20: complete"))
        #expect(second.error.contains("CartPole-v1 FedHPD d=10 seed 20: resuming after episode 3"))
        #expect(try rewards(in: interrupted) == finished)
        let segments =
            try JSONSerialization.jsonObject(
                with: Data(
                    contentsOf: interrupted.appendingPathComponent("CartPole-v1__fedhpd-d10__seed20/grid-segments.json")
                )) as! [[String: Any]]
        #expect(
            segments.count == 2 && segments[0]["lastEpisode"] as? Int == 3 && segments[1]["firstEpisode"] as? Int == 3)
    }

    @Test func shardsSplitTheGridAndTheReportRefusesAnIncompleteOne() throws {
        let root = cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let data = try makeDataFolder(in: root)
        let one = root.appendingPathComponent("shard1")
        let two = root.appendingPathComponent("shard2")
        let a = try reproduce(data, ["--seeds", "20", "--out", one.path, "--shard", "1/2"])
        #expect(a.status == 0, "\(a.error)")
        let b = try cli.run(
            [
                "reproduce", "--tasks", "cartpole", "--settings", "main", "--episodes", "6", "--seeds", "20",
                "--public-states", data.path, "--out", two.path, "--shard", "slurm",
            ],
            environment: ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "2"])
        #expect(b.status == 0, "\(b.error)")
        let firstShard = Set(try rewards(in: one).keys)
        let secondShard = Set(try rewards(in: two).keys)
        #expect(firstShard == ["CartPole-v1__nofed__seed20", "CartPole-v1__fedhpd-d10__seed20"])
        #expect(secondShard == ["CartPole-v1__fedhpd-d5__seed20", "CartPole-v1__fedhpd-d20__seed20"])

        let refused = try reproduce(data, ["--seeds", "20", "--out", one.path, "--report-only"])
        #expect(refused.status != 0 && refused.error.contains("incomplete: 2 of 4 runs missing"))
        // Runs of another length belong to another experiment.
        let otherLength = try cli.run([
            "reproduce", "--tasks", "cartpole", "--settings", "main", "--episodes", "7", "--seeds", "20",
            "--out", one.path, "--out", two.path, "--report-only",
        ])
        #expect(otherLength.status != 0 && otherLength.error.contains("incomplete: 4 of 4 runs missing"))
        let partial = try reproduce(data, ["--seeds", "20", "--out", one.path, "--report-only", "--allow-incomplete"])
        #expect(partial.status == 0, "\(partial.error)")
        #expect(
            partial.output.contains("Complete: **2 of 4 runs**")
                && partial.output.contains("| FedHPD d=5 | 0/1 | pending |"))
        let merged = try reproduce(
            data,
            [
                "--seeds", "20", "--out", one.path, "--out", two.path, "--report-only",
                "--report-to", root.appendingPathComponent("report").path,
            ])
        #expect(merged.status == 0, "\(merged.error)")
        #expect(merged.output.contains("Complete: **4 of 4 runs**"))
        #expect(
            FileManager.default.fileExists(atPath: root.appendingPathComponent("report/paper-CartPole-v1.svg").path))
    }

    @Test func autoBuildsOnePublicStateSetPerSeedByTheReferenceRecipe() throws {
        let root = cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("runs")
        let outcome = try cli.run([
            "reproduce", "--tasks", "cartpole", "--seeds", "20", "--episodes", "3", "--threads", "2",
            "--out", out.path,
        ])
        #expect(outcome.status == 0, "\(outcome.error)")
        let cache = out.appendingPathComponent("public-states/CartPole-v1__equal-per-cluster__seed20__5000.csv")
        #expect(FileManager.default.fileExists(atPath: cache.path))
        let configuration =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: out.appendingPathComponent("CartPole-v1__fedhpd-d5__seed20/config.json")))
            as! [String: Any]
        let record = configuration["publicStates"] as! [String: Any]
        #expect(record["count"] as? Int == 5000 && (record["source"] as? String)?.hasPrefix("auto") == true)
        #expect(outcome.output.contains("Complete: **4 of 4 runs**"))
    }

    @Test func badChoicesAreRefusedByName() throws {
        let root = cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let data = try makeDataFolder(in: root)
        let out = root.appendingPathComponent("runs").path
        let shard = try reproduce(data, ["--seeds", "20", "--out", out, "--shard", "3/2"])
        #expect(shard.status != 0 && shard.error.contains("--shard: shard 3 is outside 1…2"))
        let task = try cli.run(["reproduce", "--tasks", "pong", "--seeds", "20", "--out", out])
        #expect(task.status != 0 && task.error.contains("--tasks: unknown task 'pong'"))
        let missing = try reproduce(root.appendingPathComponent("nowhere"), ["--seeds", "20", "--out", out])
        #expect(missing.status != 0 && missing.error.contains("--public-states"))
        let slurm = try reproduce(data, ["--seeds", "20", "--out", out, "--shard", "slurm"])
        #expect(slurm.status != 0 && slurm.error.contains("SLURM_ARRAY_TASK_ID is not set"))
    }
}
