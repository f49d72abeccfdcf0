import Foundation
import HPDFederation
import Testing

/// `Comparison` reads only finished, consistent runs, never counts one experiment twice, keeps incomparable runs in
/// separate rows and says `n/a` for the spread of one seed.
@Suite struct ComparisonTests {
    /// Writes a finished run folder under `root`: config.json, rewards.csv (episode e, agent k: `value(e, k)`) and
    /// summary.json. Returns its folder.
    @discardableResult
    func writeRun(
        in root: URL, method: FederationConfiguration.Method, seed: UInt64, episodes: Int, agents: Int = 2,
        value: (Int, Int) -> Double = { episode, agent in Double(episode + agent) }, rows: Int? = nil,
        folderName: String? = nil
    ) throws -> URL {
        var configuration = FederationConfiguration(
            environment: "CartPole-v1", method: method, interval: 5, episodes: episodes, seed: seed,
            agents: Array(AgentPresets.cartPole.prefix(agents)))
        if method == .fedhpd {
            configuration.publicStates = PublicStatesRecord(
                source: "states.csv", count: 10, checksum: "0", path: "states.csv")
        }
        let folder = RunFolder(url: root.appendingPathComponent(folderName ?? configuration.runName))
        try FileManager.default.createDirectory(at: folder.url, withIntermediateDirectories: true)
        try folder.writeConfiguration(configuration)
        let returns = (0..<(rows ?? episodes)).map { episode in (0..<agents).map { value(episode, $0) } }
        try RunFolder.rewardsCSV(returns, agentCount: agents).write(
            to: folder.rewardsURL, atomically: true, encoding: .utf8)
        let summary = RunSummary(configuration: configuration, returns: returns, thresholds: [], exclusions: [])
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try encoder.encode(summary).write(to: folder.summaryURL)
        return folder.url
    }

    func temporaryFolder() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("comparison-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func message(of body: () throws -> Void) -> String {
        do { try body() } catch { return "\(error)" }
        return "no error"
    }

    @Test func aFolderGivenTwiceIsCountedOnce() throws {
        let root = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try writeRun(in: root, method: .nofed, seed: 20, episodes: 10)
        let comparison = try Comparison(
            runFolders: [run, run, root.appendingPathComponent("./\(run.lastPathComponent)")], thresholds: [])
        #expect(comparison.settings.count == 1 && comparison.settings[0].runs.count == 1)
        #expect(comparison.table().contains("± n/a"), "one seed has no spread")
    }

    @Test func twoFoldersOfTheSameSettingAndSeedAreRefusedNamingBoth() throws {
        let root = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try writeRun(in: root, method: .nofed, seed: 20, episodes: 10)
        let copy = try writeRun(in: root, method: .nofed, seed: 20, episodes: 10, folderName: "copy")
        let text = message { _ = try Comparison(runFolders: [first, copy], thresholds: []) }
        #expect(text.contains(first.path) && text.contains(copy.path) && text.contains("counted twice"), "\(text)")
    }

    @Test func runsOfDifferentLengthsOrAgentSetsGetRowsOfTheirOwn() throws {
        let root = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let long = try writeRun(in: root.appendingPathComponent("a"), method: .nofed, seed: 20, episodes: 30)
        let short = try writeRun(in: root.appendingPathComponent("b"), method: .nofed, seed: 25, episodes: 20)
        let wider = try writeRun(
            in: root.appendingPathComponent("c"), method: .nofed, seed: 30, episodes: 20, agents: 3)
        let comparison = try Comparison(runFolders: [long, short, wider], thresholds: [])
        let labels = comparison.settings.map(\.label)
        #expect(labels.count == 3, "\(labels)")
        #expect(
            labels.contains { $0.contains("30 episodes") } && labels.contains { $0.contains("3 agents") }, "\(labels)")
        #expect(comparison.settings.allSatisfy { $0.runs.count == 1 })
    }

    @Test func pairedDifferencesUseOnlyAComparableBaseline() throws {
        let root = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        var folders: [URL] = []
        for seed: UInt64 in [20, 25] {
            folders.append(try writeRun(in: root, method: .nofed, seed: seed, episodes: 10))
            folders.append(
                try writeRun(in: root, method: .fedhpd, seed: seed, episodes: 10, value: { e, k in Double(e + k + 1) }))
        }
        folders.append(try writeRun(in: root.appendingPathComponent("long"), method: .fedhpd, seed: 20, episodes: 12))
        let comparison = try Comparison(runFolders: folders, thresholds: [])
        let table = comparison.table(baseline: "nofed")
        let lines = table.split(separator: "\n")
        let paired = lines.first { $0.hasPrefix("FedHPD d=5 [10 episodes]") }
        #expect(paired?.contains("1.0 ± 0.0 (2/2)") == true, "\(table)")
        let other = lines.first { $0.hasPrefix("FedHPD d=5 [12 episodes]") }
        #expect(other?.contains("not comparable (12 vs 10 episodes)") == true, "\(table)")
        #expect(comparison.setting(named: "NOFED") == "NoFed" && comparison.setting(named: "fedhpd-d5") == nil)
        #expect(comparison.setting(named: "median") == nil)
    }

    @Test func unfinishedShortOrNonFiniteRunsAreRefusedNamingTheFile() throws {
        let root = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let short = try writeRun(
            in: root.appendingPathComponent("short"), method: .nofed, seed: 20, episodes: 10, rows: 7)
        #expect(
            message { _ = try Comparison(runFolders: [short], thresholds: []) }.contains(
                "7 episode rows, but config.json says 10"))
        let empty = try writeRun(
            in: root.appendingPathComponent("empty"), method: .nofed, seed: 20, episodes: 10, rows: 0)
        #expect(message { _ = try Comparison(runFolders: [empty], thresholds: []) }.contains("0 episode rows"))
        let lost = try writeRun(
            in: root.appendingPathComponent("lost"), method: .nofed, seed: 20, episodes: 10,
            value: { episode, agent in agent == 1 && episode == 4 ? .nan : 1 })
        let lostText = message { _ = try Comparison(runFolders: [lost], thresholds: []) }
        #expect(lostText.contains("rewards.csv:6:2") && lostText.contains("not a finite number"), "\(lostText)")
        // Counting only the agents with complete returns is allowed.
        let honest = try Comparison(runFolders: [lost], thresholds: [], countedAgents: [0])
        #expect(honest.settings[0].runs[0].systemReturns == Array(repeating: 1, count: 10))
        let unfinished = try writeRun(
            in: root.appendingPathComponent("unfinished"), method: .nofed, seed: 20, episodes: 10)
        try FileManager.default.removeItem(at: RunFolder(url: unfinished).summaryURL)
        #expect(message { _ = try Comparison(runFolders: [unfinished], thresholds: []) }.contains("unfinished run"))
    }
}
