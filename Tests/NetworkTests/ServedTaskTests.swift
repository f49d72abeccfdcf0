#if Network
import Foundation
import Testing

extension NetworkTests {
    /// `fedhpd serve --method nofed`: no distillation event, no public states; the run folder's rewards.csv and
    /// config.json equal `fedhpd train --method nofed`'s byte for byte.
    @Test(.timeLimit(.minutes(5))) func aServedNoFedRunMatchesInProcessTraining() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let train = try Running(
            [
                "train", "--env", "CartPole-v1", "--episodes", "12", "--method", "nofed", "--seeds", "20", "--quiet",
                "--out", root.appendingPathComponent("train").path,
            ],
            name: "train", folder: root)
        #expect(train.wait(timeout: 180) == 0, "\(train.error)")
        let (server, port) = try startServer(
            [
                "--env", "CartPole-v1", "--method", "nofed", "--episodes", "12", "--seed", "20",
                "--agents-expected", "10",
                "--out", root.appendingPathComponent("serve").path,
            ],
            in: root)
        defer { server.stop() }
        let client = try Running(
            ["join", "--server", "127.0.0.1:\(port)", "--agents", "paper", "--seed", "20", "--threads", "1"],
            name: "join", folder: root)
        defer { client.stop() }
        #expect(server.wait(timeout: 120) == 0, "\(server.error)")
        #expect(client.wait(timeout: 30) == 0, "\(client.error)")
        let name = "CartPole-v1__nofed__seed20"
        for file in ["rewards.csv", "config.json"] {
            let expected = try Data(
                contentsOf: root.appendingPathComponent("train").appendingPathComponent(name).appendingPathComponent(
                    file))
            let actual = try Data(
                contentsOf: root.appendingPathComponent("serve").appendingPathComponent(name).appendingPathComponent(
                    file))
            #expect(expected == actual, "\(file) differs")
        }
        #expect(server.error.contains("0 events × 5 loops"), "\(server.error)")
    }

    /// Describing the task: an unknown id needs its sizes; sizes that contradict a known task, both action options,
    /// a task the server cannot build public states for, DPA without a task the server simulates and lists where serve runs one setting are refused with
    /// the reason (exit 1).
    @Test(.timeLimit(.minutes(2))) func servedTaskOptionsAreCheckedWithClearMessages() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let cases: [([String], String)] = [
            (["--env", "Acrobot-v1"], "describe it with --observation-size N and --actions N"),
            (
                ["--env", "Acrobot-v1", "--observation-size", "6"],
                "exactly one of --actions N (discrete) and --action-dimensions N"
            ),
            (
                ["--env", "Acrobot-v1", "--observation-size", "6", "--actions", "3", "--action-dimensions", "1"],
                "exactly one of"
            ),
            (
                ["--env", "Acrobot-v1", "--observation-size", "0", "--actions", "3"],
                "--observation-size must be positive"
            ),
            (["--env", "Acrobot-v1", "--observation-size", "6", "--actions", "1"], "--actions must be at least 2"),
            (["--env", "CartPole-v1", "--observation-size", "5", "--actions", "2"], "the sizes given differ"),
            (["--env", "Acrobot-v1", "--observation-size", "6", "--actions", "3"], "give --public-states FILE"),
            (["--method", "dpa"], "--method dpa needs --env ID"),
            (
                ["--env", "Acrobot-v1", "--method", "dpa", "--observation-size", "6", "--actions", "3"],
                "this server does not simulate Acrobot-v1"
            ),
            (["--env", "CartPole-v1", "--method", "fedavg"], "unknown method 'fedavg'"),
            // The run options are train's (shared groups); serve runs one setting of them.
            (["--env", "CartPole-v1", "--interval", "5,10"], "--interval 5,10: fedhpd serve runs one setting"),
            (["--env", "CartPole-v1", "--seeds", "20,25"], "--seed 20,25: fedhpd serve runs one setting"),
            (["--env", "CartPole-v1", "--method", "nofed,fedhpd"], "--method nofed,fedhpd: fedhpd serve runs one"),
        ]
        for (arguments, expected) in cases {
            let serve = try Running(
                ["serve", "--agents-expected", "3", "--port", "0", "--out", root.path] + arguments, name: "serve",
                folder: root)
            defer { serve.stop() }
            #expect(serve.wait(timeout: 60) != 0, "\(arguments)")
            #expect(serve.error.contains(expected), "\(arguments): \(serve.error)")
        }
    }
}
#endif
