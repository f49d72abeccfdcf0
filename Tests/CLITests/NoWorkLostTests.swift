import Foundation
import TestSupport
import Testing

/// `fedhpd train` keeps finished work: an end-of-run checkpoint before the results, a failed result write that names
/// the file and its cause, a rerun that writes the results without training again; and `--resume` accepts the run's
/// own settings in any spelling.
@Suite struct NoWorkLostTests {
    let cli = CommandLineTests()

    func makeAgents(in root: URL) throws -> URL {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let agents = root.appendingPathComponent("agents.json")
        try
            #"[{"hiddenSizes": [8], "activation": "relu", "learningRate": 0.01}, {"hiddenSizes": [4, 4], "activation": "tanh", "learningRate": 0.005}]"#
            .write(to: agents, atomically: true, encoding: .utf8)
        return agents
    }

    @Test func aFailedResultWriteKeepsTheRunAndARerunFinishesIt() throws {
        let root = cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let agents = try makeAgents(in: root)
        let arguments = { (out: URL) in
            [
                "train", "--agents", agents.path, "--method", "nofed", "--episodes", "6", "--seeds", "3", "--threads",
                "1",
                "--checkpoint-every", "0", "--quiet", "--out", out.path,
            ]
        }
        let reference = root.appendingPathComponent("reference")
        #expect(try cli.run(arguments(reference)).status == 0)

        // A folder where summary.json must go: the last result write fails.
        let out = root.appendingPathComponent("runs")
        let folder = out.appendingPathComponent("CartPole-v1__nofed__seed3")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("summary.json"), withIntermediateDirectories: true)
        let failed = try cli.run(arguments(out))
        #expect(failed.status != 0)
        #expect(
            failed.error.contains("summary.json") && failed.error.contains("it is a folder, not a file"),
            "\(failed.error)")
        #expect(!failed.error.contains("NSCocoaErrorDomain"))
        let checkpoints = try FileManager.default.contentsOfDirectory(
            atPath: folder.appendingPathComponent("checkpoints").path)
        #expect(
            checkpoints == ["checkpoint-00000006.bin"],
            "the end-of-run checkpoint is kept even with --checkpoint-every 0")

        // Fixed and rerun: the results are written from the checkpoint, the same bytes as an undisturbed run.
        try FileManager.default.removeItem(at: folder.appendingPathComponent("summary.json"))
        let rerun = try cli.run(arguments(out))
        #expect(rerun.status == 0, "\(rerun.error)")
        let referenceFolder = reference.appendingPathComponent("CartPole-v1__nofed__seed3")
        for file in ["rewards.csv", "policies/agent-1.safetensors", "policies/agent-2.safetensors"] {
            #expect(
                try Data(contentsOf: folder.appendingPathComponent(file))
                    == Data(contentsOf: referenceFolder.appendingPathComponent(file)), "\(file)")
        }
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("summary.json").path))
        #expect(
            !FileManager.default.fileExists(atPath: folder.appendingPathComponent("checkpoints").path),
            "removed after the results")
    }

    @Test func aResultFileThatCannotBeWrittenIsNamedWithItsCause() throws {
        let root = cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let agents = try makeAgents(in: root)
        let out = root.appendingPathComponent("runs")
        let folder = out.appendingPathComponent("CartPole-v1__nofed__seed3")
        // A file where the policies folder must go.
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "x".write(to: folder.appendingPathComponent("policies"), atomically: true, encoding: .utf8)
        let failed = try cli.run(
            [
                "train", "--agents", agents.path, "--method", "nofed", "--episodes", "3", "--seeds", "3", "--threads",
                "1",
                "--quiet", "--out", out.path,
            ])
        #expect(failed.status != 0)
        #expect(
            failed.error.contains("policies") && failed.error.contains("is a file, not a folder"), "\(failed.error)")
        #expect(failed.error.contains("run the same command again"))
    }

    @Test func resumeAcceptsTheRunsOwnSettingsInAnySpelling() throws {
        let root = cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let agents = try makeAgents(in: root)
        let out = root.appendingPathComponent("runs")
        let trained = try cli.run(
            [
                "train", "--agents", agents.path, "--method", "nofed", "--episodes", "4", "--seeds", "3", "--threads",
                "1",
                "--quiet", "--out", out.path,
            ])
        #expect(trained.status == 0, "\(trained.error)")
        let copy = root.appendingPathComponent("same-agents.json")
        try FileManager.default.copyItem(at: agents, to: copy)
        let folder = out.appendingPathComponent("CartPole-v1__nofed__seed3")
        let config = root.appendingPathComponent("run.json")
        try #"{"episodes": 4, "seeds": [3], "method": ["NoFed"]}"#.write(to: config, atomically: true, encoding: .utf8)
        let resumed = try cli.run(
            [
                "train", "--resume", folder.path, "--method", "NOFED", "--seeds", "3", "--agents", copy.path, "--env",
                "CartPole-v1",
                "--out", root.path + "/./runs", "--config", config.path, "--threads", "2", "--checkpoint-every", "1",
            ])
        #expect(resumed.status == 0 && resumed.error.contains("already complete"), "\(resumed.error)")
    }
}
