#if Network
import Foundation
import Testing

/// A2C and PPO agents join a federation over the network like REINFORCE agents: a mixed roster served to two
/// client processes writes the same results and policy files as `fedhpd train` in one process.
@Suite(.serialized) struct LearnerNetworkTests {
    let helpers = NetworkTests()

    @Test(.timeLimit(.minutes(5))) func mixedLearnersOverTheNetworkMatchInProcessTraining() throws {
        let root = try helpers.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let states = root.appendingPathComponent("states.csv")
        try helpers.writeFixtureStates(to: states)
        let agents = root.appendingPathComponent("agents.json")
        try #"""
        [{"hiddenSizes": [16], "activation": "tanh", "learningRate": 0.001, "algorithm": "a2c"},
         {"hiddenSizes": [16, 16], "activation": "tanh", "learningRate": 0.0003, "algorithm": "ppo",
          "ppo": {"rolloutSteps": 64, "minibatchSize": 16}},
         {"hiddenSizes": [16], "activation": "relu", "learningRate": 0.001}]
        """#.write(to: agents, atomically: true, encoding: .utf8)
        let common = ["--public-states", states.path, "--part-size", "100", "--quiet"]
        let train = try NetworkTests.Running(
            ["train"] + NetworkTests.run + [
                "--agents", agents.path, "--method", "fedhpd", "--seeds", "20", "--threads", "2",
                "--out", root.appendingPathComponent("train").path,
            ] + common,
            name: "train", folder: root)
        #expect(train.wait(timeout: 180) == 0, "\(train.error)")

        let port = try helpers.freePort()
        let server = try NetworkTests.Running(
            ["serve"] + NetworkTests.run + [
                "--seed", "20", "--agents", agents.path, "--agents-expected", "3",
                "--port", "\(port)", "--out", root.appendingPathComponent("serve").path,
            ] + common,
            name: "serve", folder: root)
        let clients = try ["1-2", "3"].map { range in
            try NetworkTests.Running(
                [
                    "join", "--server", "127.0.0.1:\(port)", "--env", "CartPole-v1", "--agents",
                    "\(agents.path):\(range)",
                    "--seed", "20", "--threads", "1", "--connect-timeout", "60",
                ],
                name: "join-\(range)", folder: root)
        }
        defer {
            server.stop()
            for client in clients { client.stop() }
        }
        #expect(server.wait(timeout: 180) == 0, "\(server.error)")
        for client in clients { #expect(client.wait(timeout: 30) == 0, "\(client.name): \(client.error)") }
        let trained = root.appendingPathComponent("train").appendingPathComponent(NetworkTests.runFolderName)
        let served = root.appendingPathComponent("serve").appendingPathComponent(NetworkTests.runFolderName)
        for file in ["rewards.csv", "kd_losses.csv", "config.json", "summary.json"] {
            #expect(
                try Data(contentsOf: trained.appendingPathComponent(file))
                    == Data(contentsOf: served.appendingPathComponent(file)), "\(file) differs")
        }
        for agent in 1...3 {
            let name = "policies/agent-\(agent).safetensors"
            let kept = try Data(
                contentsOf: root.appendingPathComponent("runs").appendingPathComponent(NetworkTests.runFolderName)
                    .appendingPathComponent(name))
            #expect(
                kept == (try Data(contentsOf: trained.appendingPathComponent(name))),
                "\(name) differs from fedhpd train's")
        }
    }
}
#endif
