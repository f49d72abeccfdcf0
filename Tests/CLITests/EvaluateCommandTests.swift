import Foundation
import Testing

/// `fedhpd evaluate` end to end on tiny runs of every task.
@Suite struct EvaluateCommandTests {
    let cli = CommandLineTests()

    /// Trains a tiny NoFed run of two small agents on `environment` and returns its run folder.
    func trainTinyRun(_ environment: String, in root: URL, extra: [String] = []) throws -> URL {
        let agents = root.appendingPathComponent("agents.json")
        try cli.writeFixtureAgents(to: agents)
        let out = root.appendingPathComponent("runs")
        let trained = try cli.run(
            [
                "train", "--env", environment, "--agents", agents.path, "--method", "nofed", "--episodes", "4",
                "--seeds", "7", "--out", out.path,
            ] + extra)
        #expect(trained.status == 0, "\(trained.error)")
        let folder = out.appendingPathComponent("\(environment)__nofed__seed7")
        return folder
    }

    func report(_ url: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }

    @Test(arguments: ["CartPole-v1", "LunarLander-v3", "InvertedPendulum-v4"])
    func evaluatingARunFolderPrintsTheTableAndWritesTheSameReportForAnyThreadCount(environment: String) throws {
        let root = cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = try trainTinyRun(environment, in: root)
        let evaluationURL = folder.appendingPathComponent("evaluation.json")
        var reports: [Data] = []
        for threads in ["1", "2"] {
            let outcome = try cli.run([
                "evaluate", folder.path, "--episodes", "3", "--seed", "11", "--mode", "sample", "--threads", threads,
            ])
            #expect(outcome.status == 0, "\(outcome.error)")
            #expect(outcome.output.contains("mean ± sd") && outcome.output.contains("system mean"), "\(outcome.output)")
            reports.append(try Data(contentsOf: evaluationURL))
        }
        #expect(reports[0] == reports[1])
        let json = try report(evaluationURL)
        let agents = json["agents"] as! [[String: Any]]
        #expect(agents.count == 2 && (agents[0]["returns"] as! [Double]).count == 3)
        #expect(json["environment"] as? String == environment && json["mode"] as? String == "sample")
        let mean = agents.map { $0["mean"] as! Double }.reduce(0, +) / 2
        #expect(abs(json["systemMean"] as! Double - mean) < 1e-9)
    }

    @Test func aSinglePolicyFileIsEvaluatedAndWrittenOnlyWithJSON() throws {
        let root = cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = try trainTinyRun("CartPole-v1", in: root, extra: ["--save-every", "2"])
        let file = folder.appendingPathComponent("policies/episode-2/agent-2.safetensors")
        #expect(FileManager.default.fileExists(atPath: file.path))
        let plain = try cli.run(["evaluate", file.path, "--episodes", "4"])
        #expect(plain.status == 0 && plain.output.contains("[8,8] relu,tanh"), "\(plain.error)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("evaluation.json").path))
        let jsonURL = root.appendingPathComponent("one.json")
        let written = try cli.run(["evaluate", file.path, "--episodes", "4", "--json", jsonURL.path])
        #expect(written.status == 0)
        let agents = try report(jsonURL)["agents"] as! [[String: Any]]
        #expect(agents.count == 1 && agents[0]["agent"] as? Int == 2 && agents[0]["episodesTrained"] as? Int == 2)
        let selected = try cli.run(["evaluate", folder.path, "--episodes", "2", "--agents", "2"])
        #expect(selected.status == 0)
        #expect(
            (try report(folder.appendingPathComponent("evaluation.json"))["agents"] as! [[String: Any]]).map {
                $0["agent"] as! Int
            } == [2])
    }

    @Test func badInputNamesTheFileAndTheProblemAndWritesNothing() throws {
        let root = cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = try trainTinyRun("LunarLander-v3", in: root)
        let policy = folder.appendingPathComponent("policies/agent-1.safetensors")
        let bytes = try Data(contentsOf: policy)
        let truncated = root.appendingPathComponent("truncated.safetensors")
        try bytes.prefix(bytes.count - 10).write(to: truncated)
        let garbage = root.appendingPathComponent("garbage.safetensors")
        try Data("not a policy".utf8).write(to: garbage)
        // The LunarLander policy relabelled as a CartPole one: 8 inputs against CartPole's 4.
        let relabelled = root.appendingPathComponent("relabelled.safetensors")
        let length = Int(
            bytes.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        let header = String(decoding: bytes[8..<(8 + length)], as: UTF8.self).replacingOccurrences(
            of: "LunarLander-v3", with: "CartPole-v1")
        var relabelledBytes = Data()
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { relabelledBytes.append(contentsOf: $0) }
        try (relabelledBytes + Data(header.utf8) + bytes[(8 + length)...]).write(to: relabelled)
        let empty = root.appendingPathComponent("empty-run")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let json = root.appendingPathComponent("out.json")
        let cases: [(String, String)] = [
            (truncated.path, "truncated.safetensors: bad data_offsets"),
            (garbage.path, "garbage.safetensors: bad header length"),
            (relabelled.path, "relabelled.safetensors: the policy takes observations of size 8, CartPole-v1 gives 4"),
            (empty.path, "empty-run: no policies/agent-<k>.safetensors"),
        ]
        for (source, message) in cases {
            let outcome = try cli.run(["evaluate", source, "--episodes", "2", "--json", json.path])
            #expect(outcome.status != 0 && outcome.error.contains(message), "\(outcome.error)")
        }
        #expect(!FileManager.default.fileExists(atPath: json.path))
        #expect(!FileManager.default.fileExists(atPath: empty.appendingPathComponent("evaluation.json").path))
        let badSelection = try cli.run(["evaluate", folder.path, "--agents", "2-1"])
        #expect(badSelection.status != 0 && badSelection.error.contains("--agents"))
    }
}
