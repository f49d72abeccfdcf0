import Foundation
import Testing

/// `fedhpd compare` from the real command line: one experiment is never counted twice, the baseline is found
/// whatever its spelling, and a broken run is refused naming its file.
@Suite struct CompareCommandTests {
    let cli = CommandLineTests()

    @Test func compareCountsEachRunOnceMatchesTheBaselineAndRefusesBrokenRuns() throws {
        let root = cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let states = root.appendingPathComponent("states.csv")
        try cli.writeFixtureStates(to: states)
        let out = root.appendingPathComponent("runs")
        let trained = try cli.run([
            "train", "--method", "fedhpd,nofed", "--episodes", "10", "--seeds", "20,25", "--public-states", states.path,
            "--part-size", "100", "--out", out.path, "--quiet",
        ])
        #expect(trained.status == 0, "\(trained.error)")

        let once = try cli.run(["compare", out.path])
        let twice = try cli.run([
            "compare", out.path, out.path, out.appendingPathComponent("CartPole-v1__nofed__seed20").path,
        ])
        #expect(once.status == 0 && twice.status == 0, "\(once.error) \(twice.error)")
        #expect(twice.output == once.output, "the same runs given twice must give the same table")
        #expect(twice.error.contains("given more than once"), "\(twice.error)")
        #expect(once.output.contains("/2)") && !once.output.contains("/4)"), "\(once.output)")

        let lowercase = try cli.run(["compare", out.path, "--baseline", "nofed"])
        #expect(lowercase.status == 0 && lowercase.output == once.output, "\(lowercase.error)\n\(lowercase.output)")
        let unknown = try cli.run(["compare", out.path, "--baseline", "fedhpd-d7"])
        #expect(
            unknown.status != 0 && unknown.error.contains("no such setting") && unknown.error.contains("FedHPD d=5"),
            "\(unknown.error)")

        // A copy of a run is the same experiment: refused, naming both folders.
        let copies = root.appendingPathComponent("copies")
        try FileManager.default.createDirectory(at: copies, withIntermediateDirectories: true)
        let original = out.appendingPathComponent("CartPole-v1__nofed__seed20")
        try FileManager.default.copyItem(at: original, to: copies.appendingPathComponent("again"))
        let copied = try cli.run(["compare", out.path, copies.path])
        #expect(
            copied.status != 0 && copied.error.contains("counted twice") && copied.error.contains("again"),
            "\(copied.error)")

        // A truncated rewards.csv is refused, naming the file; so is an empty folder of runs.
        let rewards = copies.appendingPathComponent("again/rewards.csv")
        let lines = try String(contentsOf: rewards, encoding: .utf8).split(separator: "\n")
        try (lines.prefix(4).joined(separator: "\n") + "\n").write(to: rewards, atomically: true, encoding: .utf8)
        let truncated = try cli.run(["compare", copies.path])
        #expect(truncated.status != 0 && truncated.error.contains("rewards.csv: 3 episode rows"), "\(truncated.error)")
        let nothing = root.appendingPathComponent("nothing")
        try FileManager.default.createDirectory(at: nothing, withIntermediateDirectories: true)
        let none = try cli.run(["compare", nothing.path])
        #expect(none.status != 0 && none.error.contains("holds no run folder"), "\(none.error)")
    }
}
