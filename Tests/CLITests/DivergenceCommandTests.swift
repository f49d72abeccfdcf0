import Foundation
import TestSupport
import Testing

/// Reports excluded from a consensus are summarised on stderr at the end of `fedhpd train`, not only in
/// summary.json.
@Suite struct DivergenceCommandTests {
    let cli = CommandLineTests()

    @Test func excludedReportsAreSummarisedOnStandardError() throws {
        let root = cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        // States near Float's limit with mixed signs: the first layer overflows to ±inf, then NaN, so every report
        // fails validation and is excluded.
        var text = "s0,s1,s2,s3\n"
        for row in 0..<200 {
            text += (0..<4).map { bit in (row >> bit) & 1 == 1 ? "3.3e38" : "-3.3e38" }.joined(separator: ",") + "\n"
        }
        let states = root.appendingPathComponent("huge.csv")
        try text.write(to: states, atomically: true, encoding: .utf8)
        let outcome = try cli.run(
            [
                "train", "--public-states", states.path, "--episodes", "5", "--interval", "5", "--part-size", "100",
                "--threads", "1", "--quiet", "--out", root.appendingPathComponent("runs").path,
            ])
        #expect(outcome.status == 0, "\(outcome.error)")
        #expect(outcome.error.contains("report(s) were excluded from a consensus"), "\(outcome.error)")
        #expect(outcome.error.contains("summary.json's exclusions") && outcome.error.contains("is not finite"))
    }

    /// A real agent diverging inside `fedhpd train`: agent 3 warm-starts from a policy file whose every weight is
    /// 3e38 (finite, so the file is accepted), its logits overflow, and its first local update's loss is NaN.
    @Test func aDivergingAgentStopsTheRunNamingItUnlessItIsExcluded() throws {
        let root = cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let states = root.appendingPathComponent("states.csv")
        try cli.writeFixtureStates(to: states)
        let first = try cli.run([
            "train", "--method", "nofed", "--episodes", "1", "--seeds", "1", "--quiet", "--out",
            root.appendingPathComponent("start").path,
        ])
        #expect(first.status == 0, "\(first.error)")
        let policies = root.appendingPathComponent("start/CartPole-v1__nofed__seed1/policies")
        try overflowWeights(of: policies.appendingPathComponent("agent-3.safetensors"))
        let common = [
            "train", "--episodes", "4", "--interval", "2", "--seeds", "1", "--init-policies", policies.path,
            "--public-states", states.path, "--part-size", "100", "--threads", "2", "--quiet",
        ]

        let stopped = try cli.run(common + ["--out", root.appendingPathComponent("stop").path])
        #expect(stopped.status != 0)
        #expect(
            stopped.error.contains("agent 3 diverged in episode 1: its local update loss is")
                && stopped.error.contains("nan"), "\(stopped.error)")
        let stoppedRun = root.appendingPathComponent("stop/CartPole-v1__fedhpd-d2__seed1")
        #expect(!FileManager.default.fileExists(atPath: stoppedRun.appendingPathComponent("summary.json").path))

        let excluded = try cli.run(
            common + ["--on-divergence", "exclude", "--out", root.appendingPathComponent("exclude").path])
        #expect(excluded.status == 0, "\(excluded.error)")
        #expect(
            excluded.error.contains("agent 3 left the federation: agent 3 diverged in episode 1"), "\(excluded.error)")
        let run = root.appendingPathComponent("exclude/CartPole-v1__fedhpd-d2__seed1")
        let summary = try String(contentsOf: run.appendingPathComponent("summary.json"), encoding: .utf8)
        #expect(summary.contains("agent 3 left the federation"))
        let rows = try String(contentsOf: run.appendingPathComponent("rewards.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst()
        #expect(rows.count == 4)
        #expect(
            !FileManager.default.fileExists(atPath: run.appendingPathComponent("policies/agent-3.safetensors").path))
        #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("policies/agent-4.safetensors").path))
    }

    /// Overwrites every tensor value of a safetensors file (after its 8-byte header length and JSON header) with
    /// 3e38, little-endian float32.
    func overflowWeights(of file: URL) throws {
        var bytes = [UInt8](try Data(contentsOf: file))
        let headerLength = (0..<8).reduce(0) { $0 | Int(bytes[$1]) << (8 * $1) }
        let huge = Float(3e38).bitPattern
        var offset = 8 + headerLength
        while offset + 4 <= bytes.count {
            for byte in 0..<4 { bytes[offset + byte] = UInt8(truncatingIfNeeded: huge >> (8 * UInt32(byte))) }
            offset += 4
        }
        try Data(bytes).write(to: file)
    }
}
