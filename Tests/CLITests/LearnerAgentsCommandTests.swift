import Foundation
import Testing

/// `fedhpd train` with A2C and PPO agents: a mixed agents file trains and resumes, and a bad learner setting stops
/// the command before anything is written, naming the agent and the field.
@Suite struct LearnerAgentsCommandTests {
    let commandLine = CommandLineTests()

    @Test func mixedLearnersTrainAndBadSettingsFail() throws {
        let root = commandLine.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let agents = root.appendingPathComponent("agents.json")
        try #"""
        [{"hiddenSizes": [16], "activation": "tanh", "learningRate": 0.001, "algorithm": "a2c"},
         {"hiddenSizes": [16], "activation": "tanh", "learningRate": 0.0003, "algorithm": "ppo",
          "ppo": {"rolloutSteps": 64, "minibatchSize": 16}},
         {"hiddenSizes": [16], "activation": "relu", "learningRate": 0.001}]
        """#.write(to: agents, atomically: true, encoding: .utf8)
        let out = root.appendingPathComponent("runs")
        let trained = try commandLine.run([
            "train", "--agents", agents.path, "--method", "nofed", "--episodes", "6", "--seeds", "3",
            "--checkpoint-every", "2", "--out", out.path,
        ])
        #expect(trained.status == 0, "\(trained.error)")
        let policies = out.appendingPathComponent("CartPole-v1__nofed__seed3/policies")
        for agent in 1...3 {
            #expect(
                FileManager.default.fileExists(
                    atPath: policies.appendingPathComponent("agent-\(agent).safetensors").path))
        }

        let bad = root.appendingPathComponent("bad.json")
        try
            #"[{"hiddenSizes": [16], "activation": "tanh", "learningRate": 0.001, "algorithm": "ppo", "ppo": {"clip": 0}}]"#
            .write(to: bad, atomically: true, encoding: .utf8)
        let unknown = root.appendingPathComponent("unknown.json")
        try #"[{"hiddenSizes": [16], "activation": "tanh", "learningRate": 0.001, "algorithm": "sac"}]"#
            .write(to: unknown, atomically: true, encoding: .utf8)
        let badOut = root.appendingPathComponent("bad-runs")
        let clip = try commandLine.run(["train", "--agents", bad.path, "--episodes", "2", "--out", badOut.path])
        let algorithm = try commandLine.run([
            "train", "--agents", unknown.path, "--episodes", "2", "--out", badOut.path,
        ])
        #expect(clip.status != 0 && clip.error.contains("agent 1: ppo.clip must be positive"), "\(clip.error)")
        #expect(
            algorithm.status != 0 && algorithm.error.contains("agent 1: algorithm 'sac' is unknown"),
            "\(algorithm.error)")
        #expect(!FileManager.default.fileExists(atPath: badOut.path))
    }
}
