import Foundation
import TestSupport
import Testing

/// A hostile-input matrix against the real `fedhpd`: wrong flags, lists, JSON configuration and agent files, CSV
/// public states, paths, `--resume` with other settings, `compare` and `public-states`. Every case must exit ≠ 0,
/// say what is wrong (its key words) and write nothing. The cases run in parallel on tiny budgets.
@Suite struct HostileInputTests {
    /// One hostile invocation.
    struct Case: CustomTestStringConvertible, Sendable {
        /// A short name (shown by the test runner).
        var name: String
        /// The arguments; `{root}` is the case's own empty folder, `{fixtures}` the shared fixture folder.
        var arguments: [String]
        /// Words the error message must contain.
        var keywords: [String]
        /// Whether the tiny-run defaults (`--episodes 4 --interval 2 …`) go before the arguments (train only).
        var trainDefaults = true
        /// Files to create in the case folder first: relative path → contents (a trailing "/" makes a folder).
        var files: [String: String] = [:]
        /// Folders to copy into the case folder first (before `files`): relative path → source (`{fixtures}/…`).
        var copies: [String: String] = [:]
        /// Files to remove from the copies.
        var removals: [String] = []

        var testDescription: String { name }
    }

    static let fixtures = Fixtures.shared

    /// `--episodes 4 --interval 2 --threads 1`, two tiny agents, a fixture public state file and `--out {root}/out`:
    /// a case that is wrongly accepted finishes in a second (and fails on its exit status).
    static let trainDefaults = [
        "train", "--episodes", "4", "--interval", "2", "--threads", "1", "--agents", "{fixtures}/agents.json",
        "--public-states", "{fixtures}/states.csv", "--part-size", "100", "--quiet", "--out", "{root}/out",
    ]

    static func train(
        _ name: String, _ arguments: [String], _ keywords: [String], files: [String: String] = [:]
    ) -> Case {
        Case(name: name, arguments: arguments, keywords: keywords, files: files)
    }

    static func command(
        _ name: String, _ arguments: [String], _ keywords: [String], files: [String: String] = [:]
    ) -> Case {
        Case(name: name, arguments: arguments, keywords: keywords, trainDefaults: false, files: files)
    }

    static func config(_ name: String, _ json: String, _ keywords: [String]) -> Case {
        train(name, ["--config", "{root}/run.json"], keywords, files: ["run.json": json])
    }

    /// A configuration file whose values are not overridden by the tiny-run flags.
    static func configurationOnly(_ name: String, _ json: String, _ keywords: [String]) -> Case {
        command(
            name,
            [
                "train", "--agents", "{fixtures}/agents.json", "--public-states", "{fixtures}/states.csv",
                "--part-size", "100",
                "--quiet", "--out", "{root}/out", "--config", "{root}/run.json",
            ],
            keywords, files: ["run.json": json])
    }

    static func agents(_ name: String, _ json: String, _ keywords: [String]) -> Case {
        train(name, ["--agents", "{root}/agents.json"], keywords, files: ["agents.json": json])
    }

    static func states(_ name: String, _ csv: String, _ keywords: [String]) -> Case {
        train(name, ["--public-states", "{root}/states.csv"], keywords, files: ["states.csv": csv])
    }

    static func resume(
        _ name: String, _ arguments: [String], _ keywords: [String], files: [String: String] = [:]
    ) -> Case {
        command(
            name, ["train", "--resume", "{fixtures}/runs/CartPole-v1__nofed__seed3"] + arguments, keywords, files: files
        )
    }

    static func copied(
        _ name: String, _ arguments: [String], _ keywords: [String], files: [String: String] = [:],
        removing: [String] = []
    ) -> Case {
        var hostile = command(name, arguments, keywords, files: files)
        hostile.copies = ["copy": "{fixtures}/runs/CartPole-v1__nofed__seed3"]
        hostile.removals = removing
        return hostile
    }

    static let agent = #"{"hiddenSizes": [8], "activation": "relu", "learningRate": 0.01"#

    static let cases: [Case] =
        flagCases + configurationCases + agentCases + stateCases + pathCases + resumeCases
        + compareCases + publicStateCases

    @Test func theMatrixHasAtLeastSixtyCases() {
        #expect(Self.cases.count >= 60, "\(Self.cases.count) cases")
        #expect(Set(Self.cases.map(\.name)).count == Self.cases.count, "case names are unique")
    }

    @Test(arguments: HostileInputTests.cases)
    func hostileInputIsRefusedClearlyAndWritesNothing(_ hostile: Case) throws {
        let fixtures = try Self.fixtures.folder()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fedhpd-hostile-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for (path, source) in hostile.copies {
            try FileManager.default.copyItem(
                at: URL(fileURLWithPath: source.replacingOccurrences(of: "{fixtures}", with: fixtures.path)),
                to: root.appendingPathComponent(path))
        }
        for path in hostile.removals { try FileManager.default.removeItem(at: root.appendingPathComponent(path)) }
        for (path, contents) in hostile.files {
            let url = root.appendingPathComponent(path)
            if path.hasSuffix("/") {
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            } else {
                try contents.write(to: url, atomically: true, encoding: .utf8)
            }
        }
        let before = try Snapshot(root, fixtures: fixtures)
        let arguments = ((hostile.trainDefaults ? Self.trainDefaults : []) + hostile.arguments).map {
            $0.replacingOccurrences(of: "{root}", with: root.path).replacingOccurrences(
                of: "{fixtures}", with: fixtures.path)
        }
        let outcome = try ProcessRunner.run(ProcessRunner.builtProduct("fedhpd"), arguments)
        #expect(outcome.status != 0, "\(hostile.name): accepted\n\(outcome.error)")
        for keyword in hostile.keywords {
            #expect(outcome.error.contains(keyword), "\(hostile.name): '\(keyword)' missing from:\n\(outcome.error)")
        }
        #expect(
            !outcome.error.contains("NSCocoaErrorDomain") && !outcome.error.contains("error 256"), "\(outcome.error)")
        #expect(try Snapshot(root, fixtures: fixtures) == before, "\(hostile.name) wrote something")
    }
}
