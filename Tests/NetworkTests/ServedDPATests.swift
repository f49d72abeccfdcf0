#if Network
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// DPA-FedRL served over the network (`fedhpd serve --method dpa --env ID`): the server steps its own environment,
/// the clients align on its states with the squared error, and the run folder equals `fedhpd train --method dpa`'s.
extension NetworkTests {
    /// The run of these tests: 10 paper agents on CartPole-v1, an alignment round after every 2nd episode.
    static func dpaRun(episodes: Int) -> [String] {
        ["--env", "CartPole-v1", "--method", "dpa", "--interval", "2", "--episodes", "\(episodes)", "--quiet"]
    }

    /// `fedhpd train --method dpa` in `folder`; returns its run folder.
    func trainedDPARun(episodes: Int, in folder: URL) throws -> URL {
        let out = folder.appendingPathComponent("train")
        let train = try Running(
            ["train"] + Self.dpaRun(episodes: episodes) + ["--seeds", "20", "--threads", "2", "--out", out.path],
            name: "train", folder: folder)
        #expect(train.wait(timeout: 180) == 0, "\(train.error)")
        return try onlyRunFolder(in: out)
    }

    /// A DPA server for `episodes` episodes writing under `root`/serve.
    func startDPAServer(episodes: Int, in root: URL) throws -> (server: Running, port: Int, out: URL) {
        let out = root.appendingPathComponent("serve")
        let (server, port) = try startServer(
            Self.dpaRun(episodes: episodes) + ["--seed", "20", "--agents-expected", "10", "--out", out.path], in: root)
        return (server, port, out)
    }

    /// A DPA server and clients for agents 1–5 and 6–10 (with `clientArguments`).
    func startDPARun(
        episodes: Int, clientArguments: [String] = [], in root: URL
    ) throws -> (server: Running, clients: [Running], out: URL) {
        let (server, port, out) = try startDPAServer(episodes: episodes, in: root)
        let clients = try ["1-5", "6-10"].map {
            try join(port: port, agents: "paper:\($0)", clientArguments, name: "join-\($0)", in: root)
        }
        return (server, clients, out)
    }

    /// The single run folder under `root`.
    func onlyRunFolder(in root: URL) throws -> URL {
        let names = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { !$0.hasPrefix(".") }
        try #require(names.count == 1, "\(root.path): \(names)")
        return root.appendingPathComponent(names[0])
    }

    /// Two clients (agents 1–5 and 6–10) and a DPA server: rewards.csv and kd_losses.csv equal the in-process run's
    /// byte for byte, so every agent saw the same server states, consensus and squared-error steps.
    @Test(.timeLimit(.minutes(5))) func aServedDPARunMatchesInProcessTraining() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let trained = try trainedDPARun(episodes: 12, in: root)
        let (server, clients, out) = try startDPARun(episodes: 12, in: root)
        defer {
            server.stop()
            for client in clients { client.stop() }
        }
        #expect(server.wait(timeout: 180) == 0, "\(server.error)")
        for client in clients { #expect(client.wait(timeout: 30) == 0, "\(client.name): \(client.error)") }
        let served = try onlyRunFolder(in: out)
        #expect(served.lastPathComponent == trained.lastPathComponent)
        try expectSameResults(trained, served)
        let losses = try String(contentsOf: served.appendingPathComponent("kd_losses.csv"), encoding: .utf8)
        #expect(losses.split(separator: "\n").count == 1 + 6, "one row per event: \(losses)")
    }

    /// The DPA server killed (SIGKILL) after its first closed round and restarted with `serve --resume RUN_DIR`
    /// rebuilds its environment from the journal's consensus and ends byte-identical to `fedhpd train --method dpa`.
    @Test(.timeLimit(.minutes(5))) func aDPAServerKilledAndResumedEndsLikeInProcessTraining() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let trained = try trainedDPARun(episodes: 30, in: root)
        let (server, clients, out) = try startDPARun(
            episodes: 30, clientArguments: ["--retry-timeout", "120"], in: root)
        defer {
            server.stop()
            for client in clients { client.stop() }
        }
        let runFolder = out.appendingPathComponent(trained.lastPathComponent)
        let restarted = try killAndResumeAfterFirstRound(server, runFolder: runFolder, in: root)
        defer { restarted.stop() }
        #expect(restarted.wait(timeout: 180) == 0, "\(restarted.error)")
        for client in clients { #expect(client.wait(timeout: 30) == 0, "\(client.name): \(client.error)") }
        try expectSameResults(trained, runFolder)
    }

    /// A client killed (SIGKILL) after episode 6, before that event, and restarted with `join --resume` from its
    /// checkpoint of episode 3 asks again for the states of the closed round of episode 4 (kept by the server) and
    /// gets the same consensus, then rejoins the open round of episode 6: the run ends byte-identical to `train`.
    @Test(.timeLimit(.minutes(5))) func aDPAClientKilledAndResumedEndsLikeInProcessTraining() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let trained = try trainedDPARun(episodes: 12, in: root)
        let (server, port, out) = try startDPAServer(episodes: 12, in: root)
        defer { server.stop() }
        let resumedLog = try runWithClientCrash(
            server: server, port: port, doomed: ["--checkpoint-every", "3", "--inject-fault", "crash@6"],
            resumed: ["--checkpoint-every", "3", "--resume"], in: root)
        #expect(resumedLog.contains("resuming agents 6–10 after episode 3"), "\(resumedLog)")
        try expectSameResults(trained, try onlyRunFolder(in: out))
    }
}
#endif
