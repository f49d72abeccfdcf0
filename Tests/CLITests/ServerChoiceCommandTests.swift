import Foundation
import Testing

/// `--aggregation`, `--participation`, `--dropout-probability`, `--adversarial-agents` and `public-states
/// --selection` from the real command line.
@Suite struct ServerChoiceCommandTests {
    let cli = CommandLineTests()

    @Test func aRobustFederationWithAnAdversaryRecordsItsChoicesAndNamesItsFolder() throws {
        let root = cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let states = root.appendingPathComponent("states.csv")
        try cli.writeFixtureStates(to: states)
        let out = root.appendingPathComponent("runs")
        let outcome = try cli.run([
            "train", "--method", "fedhpd,nofed", "--episodes", "10", "--seeds", "20", "--public-states", states.path,
            "--part-size", "100", "--aggregation", "trimmed:0.2", "--adversarial-agents", "3", "--participation", "0.8",
            "--out", out.path, "--quiet",
        ])
        #expect(outcome.status == 0, "\(outcome.error)")
        let folder = out.appendingPathComponent("CartPole-v1__fedhpd-d5-trimmed0.2-adv3-p0.8__seed20")
        let configuration = try String(contentsOf: folder.appendingPathComponent("config.json"), encoding: .utf8)
        #expect(
            configuration.contains("\"aggregation\" : \"trimmed:0.2\"")
                || configuration.contains("\"aggregation\":\"trimmed:0.2\""))
        #expect(configuration.contains("adversarialAgents") && configuration.contains("participation"))
        #expect(
            FileManager.default.fileExists(
                atPath: out.appendingPathComponent("CartPole-v1__nofed__seed20/summary.json").path))
        #expect(outcome.output.contains("FedHPD d=5 trimmed:0.2 adversary 3 P=0.8"), "\(outcome.output)")
        // The honest agents' system reward differs from the one over all ten agents.
        let all = try cli.run(["compare", out.path])
        let honest = try cli.run(["compare", out.path, "--agents", "1,2,4-10"])
        #expect(all.status == 0 && honest.status == 0, "\(all.error) \(honest.error)")
        #expect(honest.output.contains("NoFed") && honest.output != all.output)
        let outside = try cli.run(["compare", out.path, "--agents", "11"])
        #expect(outside.status != 0 && outside.error.contains("agent 11"), "\(outside.error)")
    }

    @Test func badServerChoicesAreRefusedNamingTheFlagAndWriteNothing() throws {
        let root = cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let states = root.appendingPathComponent("states.csv")
        try cli.writeFixtureStates(to: states)
        let out = root.appendingPathComponent("runs")
        let cases: [([String], String)] = [
            (["--aggregation", "mode"], "unknown aggregation"),
            (["--aggregation", "trimmed:0.5"], "[0, 0.5)"),
            (["--aggregation", "weighted:0"], "positive"),
            (["--participation", "0"], "--participation"),
            (["--participation", "1.2"], "--participation"),
            (["--dropout-probability", "1"], "--dropout-probability"),
            (["--adversarial-agents", "11"], "out of range"),
            (["--adversarial-agents", "2,2"], "twice"),
            (["--adversarial-agents", "x"], "not an agent number"),
        ]
        for (flags, words) in cases {
            let outcome = try cli.run(
                ["train", "--episodes", "5", "--public-states", states.path, "--part-size", "100", "--out", out.path]
                    + flags)
            #expect(outcome.status != 0, "\(flags) was accepted")
            #expect(outcome.error.contains(words), "\(flags): \(outcome.error)")
        }
        let nofed = try cli.run([
            "train", "--method", "nofed", "--episodes", "5", "--aggregation", "median", "--out", out.path,
        ])
        #expect(nofed.status != 0 && nofed.error.contains("apply to --method fedhpd"), "\(nofed.error)")
        #expect(!FileManager.default.fileExists(atPath: out.path), "a refused run wrote \(out.path)")
        let selection = try cli.run([
            "public-states", "--selection", "two-clusters", "--out", root.appendingPathComponent("s.csv").path,
        ])
        #expect(selection.status != 0 && selection.error.contains("single-cluster"), "\(selection.error)")
    }
}
