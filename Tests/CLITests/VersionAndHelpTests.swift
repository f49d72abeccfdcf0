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

    /// `reproduce --help` states the default of every option (those with a value as ArgumentParser's `(default: …)`,
    /// the optional ones in their own words), the shared `--blas-core` included.
    @Test func reproduceHelpShowsEveryDefault() throws {
        let outcome = try cli.run(["reproduce", "--help"])
        #expect(outcome.status == 0)
        let help = outcome.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for expected in [
            "default: cartpole,lunarlander,invertedpendulum", "default: 20,25,30,35,40", "default: main",
            "default: runs/paper", "default: the whole grid", "default: no limit", "default: the first --out",
            "--blas-core <name>", "default: the best set this CPU supports",
        ] {
            #expect(help.contains(expected), "reproduce --help lacks '\(expected)'")
        }
    }

    /// An unusable `--blas-core` is refused the same way by every command that declares the shared group: exit 1,
    /// the option named, no usage text.
    @Test func anUnknownKernelSetIsRefusedNamingTheOption() throws {
        for command in [["reproduce", "--report-only"], ["info"]] {
            let outcome = try cli.run(command + ["--blas-core", "Pentium"])
            #expect(outcome.status == 1, "\(command): \(outcome.error)")
            #expect(outcome.error.contains("--blas-core: "), "\(command): \(outcome.error)")
        }
    }
}
