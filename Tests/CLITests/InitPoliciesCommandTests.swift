import Foundation
import Testing

/// `fedhpd train --init-policies DIR`: warm starts from policy files.
@Suite struct InitPoliciesCommandTests {
    let cli = CommandLineTests()

    @Test func aRunStartsFromAnotherRunsPoliciesAndRefusesMismatchedOnesWritingNothing() throws {
        let root = cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try cli.run([
            "train", "--method", "nofed", "--episodes", "3", "--seeds", "1", "--out",
            root.appendingPathComponent("a").path,
        ])
        #expect(first.status == 0, "\(first.error)")
        let policies = root.appendingPathComponent("a/CartPole-v1__nofed__seed1/policies")
        let warm = try cli.run([
            "train", "--method", "nofed", "--episodes", "2", "--seeds", "2", "--init-policies", policies.path,
            "--out", root.appendingPathComponent("b").path,
        ])
        #expect(warm.status == 0, "\(warm.error)")
        let configuration = try String(
            contentsOf: root.appendingPathComponent("b/CartPole-v1__nofed__seed2/config.json"), encoding: .utf8)
        #expect(configuration.contains("initialPolicies") && configuration.contains("checksums"))

        // Agent 1 is [128] relu; give it agent 2's [32,32] relu file.
        try FileManager.default.removeItem(at: policies.appendingPathComponent("agent-1.safetensors"))
        try FileManager.default.copyItem(
            at: policies.appendingPathComponent("agent-2.safetensors"),
            to: policies.appendingPathComponent("agent-1.safetensors"))
        let out = root.appendingPathComponent("c")
        let refused = try cli.run([
            "train", "--method", "nofed", "--episodes", "2", "--seeds", "2", "--init-policies", policies.path, "--out",
            out.path,
        ])
        #expect(refused.status != 0)
        #expect(
            refused.error.contains("agent 1: ")
                && refused.error.contains(
                    "agent-1.safetensors: tensor body.0.weight has shape [32, 4], expected [128, 4]"),
            "\(refused.error)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}
