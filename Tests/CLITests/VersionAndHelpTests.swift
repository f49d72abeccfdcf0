import Foundation
import TestSupport
import Testing

/// `fedhpd --version` and the defaults in `--help`.
@Suite struct VersionAndHelpTests {
    let cli = CommandLineTests()

    @Test func versionPrintsThePackageVersionAndTheKernelSetInUse() throws {
        let outcome = try cli.run(["--version"])
        #expect(outcome.status == 0, "\(outcome.error)")
        let lines = outcome.output.split(separator: "\n")
        #expect(lines.count == 2, "\(outcome.output)")
        #expect(lines.first?.hasPrefix("fedhpd ") == true && lines.first!.dropFirst(7).split(separator: ".").count == 3)
        #expect(lines.last?.hasPrefix("BLAS kernels: ") == true, "\(outcome.output)")
    }

    @Test func trainHelpShowsTheDefaults() throws {
        let outcome = try cli.run(["train", "--help"])
        #expect(outcome.status == 0)
        let help = outcome.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for expected in [
            "default: CartPole-v1", "default: paper", "default: fedhpd", "default: 5)", "default: 20)",
            "default: auto)", "default: equal-per-cluster)", "default: runs)", "default: 2500)",
        ] {
            #expect(help.contains(expected), "train --help lacks '\(expected)'")
        }
    }
}
