#if Network
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// End-to-end tests of `fedhpd serve` and `fedhpd join`: real processes on 127.0.0.1, random free ports, every wait
/// bounded. Built and run only with the `Network` trait (`swift test --traits Network`).
@Suite(.serialized) struct NetworkTests {
    static var executable: URL { ProcessRunner.builtProduct("fedhpd") }

    static let run = ["--env", "CartPole-v1", "--interval", "5", "--episodes", "12"]
    static let runFolderName = "CartPole-v1__fedhpd-d5__seed20"

    /// 10 agents over 2 client processes + 1 server on loopback write byte-identical results to `fedhpd train`.
    @Test(.timeLimit(.minutes(5))) func networkRunMatchesInProcessTraining() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let states = root.appendingPathComponent("states.csv")
        try writeFixtureStates(to: states)
        let common = ["--public-states", states.path, "--part-size", "100", "--quiet"]
        let train = try Running(
            ["train"] + Self.run + [
                "--method", "fedhpd", "--seeds", "20", "--threads", "2", "--out",
                root.appendingPathComponent("train").path,
            ] + common,
            name: "train", folder: root)
        #expect(train.wait(timeout: 180) == 0, "\(train.error)")

        // The clients start first: they retry until the server listens.
        let port = try freePort()
        let clients = try ["1-5", "6-10"].map { range in
            try Running(
                [
                    "join", "--server", "127.0.0.1:\(port)", "--env", "CartPole-v1", "--agents", "paper:\(range)",
                    "--seed", "20",
                    "--threads", "1", "--connect-timeout", "60",
                ],
                name: "join-\(range)", folder: root)
        }
        // Start the server once both clients have failed to reach it at least once.
        let limit = Date().addingTimeInterval(60)
        while !clients.allSatisfy({ $0.error.contains("no server at 127.0.0.1:\(port) yet") }) && Date() < limit {
            usleep(50_000)
        }
        let server = try Running(
            ["serve"] + Self.run + [
                "--seed", "20", "--agents-expected", "10", "--port", "\(port)",
                "--out", root.appendingPathComponent("serve").path,
            ] + common,
            name: "serve", folder: root)
        defer {
            server.stop()
            for client in clients { client.stop() }
        }
        #expect(server.wait(timeout: 180) == 0, "\(server.error)")
        for client in clients {
            #expect(client.wait(timeout: 30) == 0, "\(client.name): \(client.error)")
            #expect(client.error.contains("no server at 127.0.0.1:\(port) yet"), "\(client.error)")
            #expect(client.output.contains("run complete"))
        }
        let trained = root.appendingPathComponent("train").appendingPathComponent(Self.runFolderName)
        let served = root.appendingPathComponent("serve").appendingPathComponent(Self.runFolderName)
        // Each client kept its own agents' policies under its --out (default runs/): the same files `train` wrote.
        #expect(!FileManager.default.fileExists(atPath: served.appendingPathComponent("policies").path))
        for agent in 1...10 {
            let name = "policies/agent-\(agent).safetensors"
            let kept = try Data(
                contentsOf: root.appendingPathComponent("runs").appendingPathComponent(Self.runFolderName)
                    .appendingPathComponent(name))
            #expect(
                kept == (try Data(contentsOf: trained.appendingPathComponent(name))),
                "\(name) differs from fedhpd train's")
        }
        for file in ["rewards.csv", "kd_losses.csv", "config.json", "summary.json"] {
            let expected = try Data(contentsOf: trained.appendingPathComponent(file))
            let actual = try Data(contentsOf: served.appendingPathComponent(file))
            #expect(expected == actual, "\(file) differs")
        }
        let rewards = try String(contentsOf: served.appendingPathComponent("rewards.csv"), encoding: .utf8)
        #expect(rewards.split(separator: "\n").count == 13)
        let exclusions = try String(contentsOf: served.appendingPathComponent("exclusions.csv"), encoding: .utf8)
        #expect(exclusions == "episode,loop,part,agent,reason\n")
        for file in ["curves.svg", "timings.json", "server.log"] {
            #expect(FileManager.default.fileExists(atPath: served.appendingPathComponent(file).path), "\(file)")
        }
    }

    /// Hostile uploads, a straggler, an oversize message and a client killed mid-run: the server rejects, records,
    /// aggregates over whoever answered and completes the run.
    @Test(.timeLimit(.minutes(5))) func faultsAreSurvivedAndRecorded() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let states = root.appendingPathComponent("states.csv")
        try writeFixtureStates(to: states)
        let (server, port) = try startServer(
            Self.run + [
                "--seed", "20", "--agents-expected", "10", "--public-states", states.path, "--part-size", "100",
                "--deadline", "3", "--quorum", "2",
                "--heartbeat-timeout", "3", "--out", root.appendingPathComponent("serve").path,
            ],
            in: root)
        defer { server.stop() }
        let hostile = try Running(
            [
                "join", "--server", "127.0.0.1:\(port)", "--agents", "paper:1-5", "--seed", "20", "--threads", "1",
                "--inject-fault", "nan:1@5", "--inject-fault", "negative:2@5", "--inject-fault", "unnormalised:3@5",
                "--inject-fault", "shape:4@5", "--inject-fault", "mismatch:5@5",
                "--inject-fault", "oversize:1@10", "--inject-fault", "straggle:2@10",
            ],
            name: "join-hostile", folder: root)
        let doomed = try Running(
            [
                "join", "--server", "127.0.0.1:\(port)", "--agents", "paper:6-10", "--seed", "20", "--threads", "1",
                "--inject-fault", "crash@7",
            ],
            name: "join-doomed", folder: root)
        defer {
            hostile.stop()
            doomed.stop()
        }
        #expect(server.wait(timeout: 180) == 0, "\(server.error)")
        #expect(hostile.wait(timeout: 30) == 0, "\(hostile.error)")
        doomed.wait(timeout: 30)
        #expect(doomed.process.terminationReason == .uncaughtSignal)

        let folder = root.appendingPathComponent("serve").appendingPathComponent(Self.runFolderName)
        let rows = try String(contentsOf: folder.appendingPathComponent("rewards.csv"), encoding: .utf8).split(
            separator: "\n")
        #expect(rows.count == 13)
        // Agents 6–10 died after episode 7: their later returns are recorded as nan.
        for row in rows[8...] {
            let cells = row.split(separator: ",")
            #expect(cells[5...].allSatisfy { $0 == "nan" } && cells[..<5].allSatisfy { $0 != "nan" }, "\(row)")
        }
        let summary =
            try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("summary.json")))
            as! [String: Any]
        let notes = (summary["exclusions"] as? [String] ?? []).joined(separator: "\n")
        for expected in [
            "not finite", "negative probability", "sum to", "expected 100 states", "values for shape",
            "no distributions within the 3 s deadline", "lost", "agent 6: no return for episodes 8–12",
        ] where !notes.contains(expected) {
            Issue.record("summary.json exclusions lack '\(expected)':\n\(notes)")
        }
        #expect(notes.contains("episode 5: loop 1 part 1: aggregated over 5 of 10 agents"), "\(notes)")
        let table = try String(contentsOf: folder.appendingPathComponent("exclusions.csv"), encoding: .utf8)
        #expect(table.contains("5,1,1,1,") && table.contains("10,1,1,2,") && table.contains("10,1,1,6,"), "\(table)")
        // The oversized upload (2 M floats, over the 4 MiB limit) is refused with the reason, on both sides.
        #expect(
            table.contains("10,1,1,1,\"rejected upload: ")
                && table.contains("over the server's --max-message-bytes 4194304"), "\(table)")
        #expect(server.error.contains("over the server's --max-message-bytes 4194304"), "\(server.error)")
        #expect(hostile.error.contains("resourceExhausted"), "\(hostile.error)")
        #expect(hostile.error.contains("rejected the upload (invalidArgument)"))
        #expect(
            hostile.error.contains(
                "agent 1, episode 10 loop 1 part 1: the server refused the deliberately broken upload"),
            "\(hostile.error)")
        #expect(hostile.error.contains("late"))
        #expect(server.error.contains("lost: no call for 3 s"))
    }

    /// A wrong token is refused, missing agents are named and the server gives up after --wait-for-agents; a
    /// client without a server, or that loses it, gives up with a clear message.
    @Test(.timeLimit(.minutes(3))) func refusalsAndTimeoutsAreClear() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let states = root.appendingPathComponent("states.csv")
        try writeFixtureStates(to: states)
        let (server, port) = try startServer(
            Self.run + [
                "--agents-expected", "10", "--token", "s3cret",
                "--public-states", states.path, "--part-size", "100", "--wait-for-agents", "6",
                "--out", root.appendingPathComponent("serve").path,
            ],
            in: root)
        defer { server.stop() }
        let intruder = try Running(
            [
                "join", "--server", "127.0.0.1:\(port)", "--agents", "paper:1-3", "--token", "guess",
                "--connect-timeout", "5",
            ],
            name: "intruder", folder: root)
        #expect(intruder.wait(timeout: 30) == 1)
        #expect(intruder.error.contains("refused this client") && intruder.error.contains("token"), "\(intruder.error)")
        let member = try Running(
            [
                "join", "--server", "127.0.0.1:\(port)", "--agents", "paper:1-3", "--token", "s3cret",
                "--retry-timeout", "3",
            ],
            name: "member", folder: root)
        defer { member.stop() }
        #expect(server.wait(timeout: 60) == 1)
        #expect(server.error.contains("waiting for agents 4–10"), "\(server.error)")
        #expect(server.error.contains("gave up after 6 s waiting for agents: missing 4–10"), "\(server.error)")
        #expect(member.wait(timeout: 30) == 1)
        #expect(member.error.contains("missing 4–10") || member.error.contains("lost the server"), "\(member.error)")

        let nobody = try freePort()
        let started = Date()
        let lonely = try Running(
            ["join", "--server", "127.0.0.1:\(nobody)", "--agents", "paper:1", "--connect-timeout", "2"],
            name: "lonely", folder: root)
        #expect(lonely.wait(timeout: 30) == 1)
        #expect(lonely.error.contains("no server at 127.0.0.1:\(nobody)"), "\(lonely.error)")
        #expect(Date().timeIntervalSince(started) < 20)
    }

    /// Over TLS (a self-signed certificate for 127.0.0.1 made with openssl) a run completes; a plaintext client
    /// cannot talk to it.
    @Test(.timeLimit(.minutes(3)), .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")))
    func tlsRunCompletes() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let certificate = root.appendingPathComponent("server.pem")
        let key = root.appendingPathComponent("server.key")
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.path, "-out", certificate.path,
        ]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        try #require(openssl.terminationStatus == 0)
        let states = root.appendingPathComponent("states.csv")
        try writeFixtureStates(to: states)
        let (server, port) = try startServer(
            [
                "--env", "CartPole-v1", "--interval", "5", "--episodes", "5", "--agents-expected", "10",
                "--public-states", states.path, "--part-size", "100", "--tls-cert",
                certificate.path,
                "--tls-key", key.path, "--token", "s3cret", "--out", root.appendingPathComponent("serve").path,
            ],
            in: root)
        defer { server.stop() }
        let plain = try Running(
            [
                "join", "--server", "127.0.0.1:\(port)", "--agents", "paper", "--token", "s3cret", "--connect-timeout",
                "2",
            ],
            name: "plain", folder: root)
        #expect(plain.wait(timeout: 30) == 1)
        let client = try Running(
            [
                "join", "--server", "127.0.0.1:\(port)", "--agents", "paper", "--token", "s3cret", "--tls-ca",
                certificate.path,
            ],
            name: "client", folder: root)
        defer { client.stop() }
        #expect(server.wait(timeout: 120) == 0, "\(server.error)")
        #expect(client.wait(timeout: 30) == 0, "\(client.error)")
        #expect(server.error.contains("(TLS)"))
    }

    /// A client whose server dies mid-run retries with backoff, then exits with a clear message.
    @Test(.timeLimit(.minutes(3))) func clientGivesUpOnALostServer() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let states = root.appendingPathComponent("states.csv")
        try writeFixtureStates(to: states)
        let (server, port) = try startServer(
            [
                "--env", "CartPole-v1", "--interval", "5", "--episodes", "100000", "--agents-expected", "10",
                "--public-states", states.path, "--part-size", "100",
                "--out", root.appendingPathComponent("serve").path,
            ],
            in: root)
        defer { server.stop() }
        let client = try Running(
            ["join", "--server", "127.0.0.1:\(port)", "--agents", "paper", "--threads", "1", "--retry-timeout", "3"],
            name: "client", folder: root)
        defer { client.stop() }
        let limit = Date().addingTimeInterval(60)
        while !client.error.contains("public states") && Date() < limit && client.process.isRunning { usleep(50_000) }
        usleep(500_000)
        server.stop()
        let killed = Date()
        #expect(client.wait(timeout: 40) == 1)
        #expect(client.error.contains("lost the server at 127.0.0.1:\(port)"), "\(client.error)")
        #expect(Date().timeIntervalSince(killed) < 30)
    }
}
#endif
