import Foundation
import Testing

/// Whether `python3` can import TensorBoard's event reader. CI installs it (`scripts/setup-python.sh`), so there a
/// missing TensorBoard fails the test instead of skipping it.
enum PythonTensorBoard {
    static let reader = """
        import json, sys
        from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
        accumulator = EventAccumulator(sys.argv[1], size_guidance={"scalars": 0})
        accumulator.Reload()
        print(json.dumps({tag: [[event.step, event.value] for event in accumulator.Scalars(tag)] for tag in accumulator.Tags()["scalars"]}))
        """
    static let isAvailable: Bool = (try? python(["-c", "import tensorboard"]).status) == 0
    static let isRequired = ProcessInfo.processInfo.environment["CI"] == "true"

    static func python(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: outputData, as: UTF8.self),
            String(decoding: errorData, as: UTF8.self)
        )
    }
}

/// `fedhpd train --tensorboard`, read back with TensorBoard's own event reader.
@Suite(
    .enabled(
        if: PythonTensorBoard.isAvailable || PythonTensorBoard.isRequired,
        "SKIPPED: needs python3 with tensorboard (pip install tensorboard — see scripts/setup-python.sh)"))
struct TensorBoardCommandTests {
    let cli = CommandLineTests()

    func rows(_ url: URL) throws -> [[Double]] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst().map {
            $0.split(separator: ",").map { Double($0)! }
        }
    }

    func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-4 * max(1, abs(b)) }

    @Test func tensorBoardReadsTheRunsTagsStepsAndValuesAsInTheCSVFiles() throws {
        #expect(PythonTensorBoard.isAvailable, "python3 with tensorboard is required when CI=true")
        let root = cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let states = root.appendingPathComponent("states.csv")
        try cli.writeFixtureStates(to: states)
        let agents = root.appendingPathComponent("agents.json")
        try cli.writeFixtureAgents(to: agents)
        let trained = try cli.run([
            "train", "--agents", agents.path, "--episodes", "10", "--interval", "5", "--seeds", "4",
            "--public-states", states.path, "--part-size", "100", "--tensorboard", "--out", root.path,
        ])
        #expect(trained.status == 0, "\(trained.error)")
        let folder = root.appendingPathComponent("CartPole-v1__fedhpd-d5__seed4")
        let read = try PythonTensorBoard.python([
            "-c", PythonTensorBoard.reader, folder.appendingPathComponent("tensorboard").path,
        ])
        #expect(read.status == 0, "\(read.error)")
        let scalars = try JSONDecoder().decode([String: [[Double]]].self, from: Data(read.output.utf8))
        for tag in ["system/reward", "system/reward_ma100", "speed/episodes_per_second"]
            + (1...2).flatMap({
                [
                    "agent_\($0)/return", "agent_\($0)/episode_length", "agent_\($0)/learning_rate",
                    "agent_\($0)/kd_loss",
                ]
            })
        {
            #expect(scalars[tag] != nil, "tag \(tag) missing; found \(scalars.keys.sorted())")
        }
        let rewards = try rows(folder.appendingPathComponent("rewards.csv"))
        for agent in 0..<2 {
            let logged = scalars["agent_\(agent + 1)/return"] ?? []
            #expect(logged.map { Int($0[0]) } == Array(1...10))
            #expect(zip(logged, rewards).allSatisfy { close($0[1], $1[agent]) })
            // CartPole pays 1 per step: the episode length is the return.
            #expect(
                zip(scalars["agent_\(agent + 1)/episode_length"] ?? [], rewards).allSatisfy { close($0[1], $1[agent]) })
        }
        let system = scalars["system/reward"] ?? []
        #expect(system.count == 10 && zip(system, rewards).allSatisfy { close($0[1], ($1[0] + $1[1]) / 2) })
        let losses = try rows(folder.appendingPathComponent("kd_losses.csv"))
        let kd = scalars["agent_2/kd_loss"] ?? []
        #expect(kd.map { Int($0[0]) } == [5, 10])
        for entry in kd {
            let event = losses.filter { Int($0[0]) == Int(entry[0]) }.map { $0[4] }
            #expect(close(entry[1], event.reduce(0, +) / Double(event.count)))
        }
    }

    @Test func aStoppedAndResumedRunShowsEveryEpisodeOnceInTensorBoard() throws {
        #expect(PythonTensorBoard.isAvailable, "python3 with tensorboard is required when CI=true")
        let root = cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let agents = root.appendingPathComponent("agents.json")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try
            #"[{"hiddenSizes": [8], "activation": "tanh", "learningRate": 1e-6}, {"hiddenSizes": [8], "activation": "relu", "learningRate": 1e-6}]"#
            .write(to: agents, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = CommandLineTests.executable
        process.arguments = [
            "train", "--agents", agents.path, "--method", "nofed", "--episodes", "3000", "--seeds", "6",
            "--checkpoint-every", "100", "--tensorboard", "--quiet", "--out", root.path,
        ]
        process.standardError = FileHandle.nullDevice
        try process.run()
        let folder = root.appendingPathComponent("CartPole-v1__nofed__seed6")
        let rewardsURL = folder.appendingPathComponent("rewards.csv")
        // Kill it between two checkpoints, so it has logged episodes its checkpoint does not hold.
        while process.isRunning,
            ((try? String(contentsOf: rewardsURL, encoding: .utf8))?.split(separator: "\n").count ?? 0) < 1 + 150
        {
            usleep(2000)
        }
        #expect(process.isRunning, "the run finished before it could be interrupted")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let resumed = try cli.run(["train", "--resume", folder.path, "--tensorboard", "--quiet"])
        #expect(resumed.status == 0, "\(resumed.error)")
        let read = try PythonTensorBoard.python([
            "-c", PythonTensorBoard.reader, folder.appendingPathComponent("tensorboard").path,
        ])
        #expect(read.status == 0, "\(read.error)")
        let scalars = try JSONDecoder().decode([String: [[Double]]].self, from: Data(read.output.utf8))
        let rewards = try rows(rewardsURL)
        let logged = scalars["agent_2/return"] ?? []
        let steps = logged.map { Int($0[0]) }
        let inOrder = steps == Array(1...3000)
        #expect(
            inOrder,
            "\(steps.count) events for 3000 episodes; first out of order at index \(steps.indices.first { steps[$0] != $0 + 1 } ?? -1)"
        )
        #expect(logged.count == rewards.count && zip(logged, rewards).allSatisfy { close($0[1], $1[1]) })
    }
}
