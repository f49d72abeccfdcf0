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
}
