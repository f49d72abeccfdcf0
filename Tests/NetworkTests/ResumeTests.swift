#if Network
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The federation survives its own faults: a client or the server killed with SIGKILL and restarted with `--resume`
/// continues the run, which ends with the same rewards.csv and kd_losses.csv as the uninterrupted networked run.
extension NetworkTests {
    /// The run of these tests: 10 paper agents on CartPole-v1, d = 5, the fixture's 300 public states in 3 parts.
    func resumeRunArguments(episodes: Int, states: URL, out: URL) -> [String] {
        [
            "--env", "CartPole-v1", "--interval", "5", "--episodes", "\(episodes)", "--seed", "20",
            "--agents-expected", "10", "--public-states", states.path, "--part-size", "100", "--quiet",
            "--out", out.path,
        ]
    }

    /// An uninterrupted networked run (a server, clients for agents 1–5 and 6–10) in `folder`; returns its run folder.
    func uninterruptedRun(episodes: Int, states: URL, in folder: URL) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let out = folder.appendingPathComponent("serve")
        let (server, port) = try startServer(
            resumeRunArguments(episodes: episodes, states: states, out: out), in: folder)
        let clients = try ["1-5", "6-10"].map {
            try join(port: port, agents: "paper:\($0)", name: "join-\($0)", in: folder)
        }
        defer {
            server.stop()
            for client in clients { client.stop() }
        }
        #expect(server.wait(timeout: 180) == 0, "\(server.error)")
        for client in clients { #expect(client.wait(timeout: 30) == 0, "\(client.name): \(client.error)") }
        return out.appendingPathComponent(Self.runFolderName)
    }

    /// Runs clients for agents 1–5 and 6–10 against `server` on `port`: the second with `doomed` (a fault that kills
    /// it), then, once it has died, again with `resumed`; expects the server and both live clients to end with 0.
    /// Returns the resumed client's log.
    func runWithClientCrash(
        server: Running, port: Int, doomed doomedArguments: [String], resumed resumedArguments: [String],
        in folder: URL
    ) throws -> String {
        let steady = try join(port: port, agents: "paper:1-5", name: "join-1-5", in: folder)
        let doomed = try join(port: port, agents: "paper:6-10", doomedArguments, name: "doomed", in: folder)
        defer {
            steady.stop()
            doomed.stop()
        }
        doomed.wait(timeout: 60)
        #expect(doomed.process.terminationReason == .uncaughtSignal, "\(doomed.error)")
        let resumed = try join(port: port, agents: "paper:6-10", resumedArguments, name: "resumed", in: folder)
        defer { resumed.stop() }
        #expect(server.wait(timeout: 180) == 0, "\(server.error)")
        #expect(steady.wait(timeout: 30) == 0, "\(steady.error)")
        #expect(resumed.wait(timeout: 30) == 0, "\(resumed.error)")
        return resumed.error
    }

    /// Kills `server` (SIGKILL) once its journal records a closed round, then starts `serve --resume RUN_DIR` in
    /// `folder`; fails the test when the run ended first.
    func killAndResumeAfterFirstRound(_ server: Running, runFolder: URL, in folder: URL) throws -> Running {
        let journal = runFolder.appendingPathComponent("server-journal.jsonl")
        let limit = Date().addingTimeInterval(120)
        while Date() < limit && server.process.isRunning {
            if let text = try? String(contentsOf: journal, encoding: .utf8), text.contains("\"round\"") { break }
            usleep(10_000)
        }
        try #require(server.process.isRunning, "the run ended before the server could be killed: \(server.error)")
        server.stop()
        return try Running(["serve", "--resume", runFolder.path], name: "restarted", folder: folder)
    }

    /// Expects the result files of two runs to be byte-identical.
    func expectSameResults(_ expected: URL, _ actual: URL) throws {
        for file in ["rewards.csv", "kd_losses.csv"] {
            let wanted = try Data(contentsOf: expected.appendingPathComponent(file))
            let got = try Data(contentsOf: actual.appendingPathComponent(file))
            #expect(wanted == got, "\(file) differs from the uninterrupted run's")
        }
    }

    /// A client killed (SIGKILL) right before the event of episode 5 and restarted with `join --resume` continues
    /// from its checkpoint (after episode 4); the server holds the event for it meanwhile.
    @Test(.timeLimit(.minutes(5))) func clientKilledAndResumedEndsLikeTheUninterruptedRun() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let states = root.appendingPathComponent("states.csv")
        try writeFixtureStates(to: states)
        let expected = try uninterruptedRun(episodes: 12, states: states, in: root.appendingPathComponent("baseline"))

        let folder = root.appendingPathComponent("interrupted")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let out = folder.appendingPathComponent("serve")
        let (server, port) = try startServer(resumeRunArguments(episodes: 12, states: states, out: out), in: folder)
        defer { server.stop() }
        let resumedLog = try runWithClientCrash(
            server: server, port: port, doomed: ["--inject-fault", "crash@5"], resumed: ["--resume"], in: folder)
        #expect(resumedLog.contains("resuming agents 6–10 after episode 4"), "\(resumedLog)")
        try expectSameResults(expected, out.appendingPathComponent(Self.runFolderName))
        // The resumed client's policies are the uninterrupted client's.
        let policy = "runs/\(Self.runFolderName)/policies/agent-8.safetensors"
        #expect(
            try Data(contentsOf: folder.appendingPathComponent(policy))
                == Data(contentsOf: root.appendingPathComponent("baseline").appendingPathComponent(policy)))
    }

    /// The server killed (SIGKILL) in the middle of a distillation event and restarted with `serve --resume
    /// RUN_DIR` continues from its journal on the same port; both clients reconnect and the run completes.
    @Test(.timeLimit(.minutes(5))) func serverKilledAndResumedEndsLikeTheUninterruptedRun() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let states = root.appendingPathComponent("states.csv")
        try writeFixtureStates(to: states)
        let expected = try uninterruptedRun(episodes: 20, states: states, in: root.appendingPathComponent("baseline"))

        let folder = root.appendingPathComponent("interrupted")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let out = folder.appendingPathComponent("serve")
        let runFolder = out.appendingPathComponent(Self.runFolderName)
        let (server, port) = try startServer(resumeRunArguments(episodes: 20, states: states, out: out), in: folder)
        let clients = try ["1-5", "6-10"].map {
            try join(port: port, agents: "paper:\($0)", ["--retry-timeout", "120"], name: "join-\($0)", in: folder)
        }
        defer {
            server.stop()
            for client in clients { client.stop() }
        }
        // Kill the server once it has closed the first round of the first event (the event is then in progress).
        let restarted = try killAndResumeAfterFirstRound(server, runFolder: runFolder, in: folder)
        defer { restarted.stop() }
        #expect(restarted.wait(timeout: 180) == 0, "\(restarted.error)")
        for client in clients { #expect(client.wait(timeout: 30) == 0, "\(client.name): \(client.error)") }
        #expect(
            clients.contains { $0.error.contains("answers again") }, "no client saw the server come back")
        try expectSameResults(expected, runFolder)
    }

    /// The shared secret never lands in the run folder: serve-launch.json leaves `--token` out, and `serve --resume`
    /// refuses to start until the secret is given again.
    @Test(.timeLimit(.minutes(2))) func theSharedSecretIsNotKeptForAResumedServer() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("serve")
        let (server, _) = try startServer(
            [
                "--env", "CartPole-v1", "--method", "nofed", "--episodes", "4", "--agents-expected", "10",
                "--token", "s3cret-value", "--out", out.path,
            ], in: root)
        server.stop()
        let run = out.appendingPathComponent("CartPole-v1__nofed__seed20")
        let launch = try String(contentsOf: run.appendingPathComponent("serve-launch.json"), encoding: .utf8)
        #expect(!launch.contains("s3cret-value") && launch.contains("tokenRequired"), "\(launch)")
        let refused = try Running(["serve", "--resume", run.path], name: "resume", folder: root)
        defer { refused.stop() }
        #expect(refused.wait(timeout: 60) != 0)
        #expect(refused.error.contains("launched with --token") && refused.error.contains("give it again"))
    }
}
#endif
