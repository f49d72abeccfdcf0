#if Network
import Foundation
import Testing

extension NetworkTests {
    /// A client started with `join --adversarial` uploads exactly what `train --adversarial-agents` simulates: with
    /// the median as consensus, the networked run's rewards.csv and kd_losses.csv equal the in-process run's byte for
    /// byte.
    @Test(.timeLimit(.minutes(5))) func aRemoteAdversaryGivesTheSameRunAsTheSimulatedOne() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let states = root.appendingPathComponent("states.csv")
        try writeFixtureStates(to: states)
        let common = ["--public-states", states.path, "--part-size", "100", "--quiet", "--aggregation", "median"]
        let train = try Running(
            ["train"] + Self.run + [
                "--method", "fedhpd", "--seeds", "20", "--adversarial-agents", "1",
                "--out", root.appendingPathComponent("train").path,
            ] + common,
            name: "train", folder: root)
        #expect(train.wait(timeout: 180) == 0, "\(train.error)")

        let (server, port) = try startServer(
            Self.run + [
                "--seed", "20", "--agents-expected", "10", "--out", root.appendingPathComponent("serve").path,
            ] + common,
            in: root)
        defer { server.stop() }
        let adversary = try Running(
            ["join", "--server", "127.0.0.1:\(port)", "--agents", "paper:1", "--seed", "20", "--adversarial"],
            name: "join-adversary", folder: root)
        let honest = try Running(
            ["join", "--server", "127.0.0.1:\(port)", "--agents", "paper:2-10", "--seed", "20"],
            name: "join-honest", folder: root)
        defer {
            adversary.stop()
            honest.stop()
        }
        #expect(server.wait(timeout: 180) == 0, "\(server.error)")
        #expect(adversary.wait(timeout: 30) == 0, "\(adversary.error)")
        #expect(honest.wait(timeout: 30) == 0, "\(honest.error)")

        let trained = root.appendingPathComponent("train/CartPole-v1__fedhpd-d5-median-adv1__seed20")
        let served = root.appendingPathComponent("serve/CartPole-v1__fedhpd-d5-median__seed20")
        for file in ["rewards.csv", "kd_losses.csv"] {
            let expected = try Data(contentsOf: trained.appendingPathComponent(file))
            let actual = try Data(contentsOf: served.appendingPathComponent(file))
            #expect(expected == actual, "\(file) differs")
        }
        // The adversary's uploads are valid: nothing was excluded.
        let exclusions = try String(contentsOf: served.appendingPathComponent("exclusions.csv"), encoding: .utf8)
        #expect(exclusions == "episode,loop,part,agent,reason\n")
    }
}
#endif
