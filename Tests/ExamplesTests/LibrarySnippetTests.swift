import FedHPD
import Foundation
import TestSupport
import Testing

/// The "A first program" example of README.md's "Use it as a library" section, compiled and run
/// here so that it cannot rot.
///
/// KEEP THE CODE BETWEEN THE MARKERS IDENTICAL TO THE SWIFT BLOCK IN README.md (without its `import FedHPD`
/// line): `snippetMatchesTheDocument` fails when the two differ.
@Suite struct LibrarySnippetTests {
    @Test func snippetCompilesAndTrains() throws {
        // BEGIN LIBRARY SNIPPET
        var generator = RandomGenerator(seed: 7)
        let publicStates = PublicStateSet(
            states: Tensor.uniform([500, 4], low: -0.2, high: 0.2, generator: &generator), source: "random states")
        let configuration = FederationConfiguration(
            environment: "CartPole-v1", method: .fedhpd, interval: 5, episodes: 100, seed: 20, partSize: 250,
            agents: Array(AgentPresets.cartPole.prefix(3)), publicStates: PublicStatesRecord(publicStates))
        let training = try FederatedTraining(
            configuration: configuration, environment: .cartPole, publicStates: publicStates, threads: 2)
        training.run()
        let system = training.returns.map { LearningCurve.mean($0) }  // per episode: the mean return over agents
        print("system mean return, first 20 episodes: \(LearningCurve.mean(Array(system.prefix(20))))")
        print("system mean return, last 20 episodes: \(LearningCurve.lastMean(system, count: 20))")
        // END LIBRARY SNIPPET

        #expect(training.returns.count == 100 && training.returns.allSatisfy { $0.count == 3 })
        // 100 episodes, interval 5 → 20 events; 500 states in parts of 250 → 2 parts × 5 loops each.
        #expect(training.timings.distillationEvents == 20)
        #expect(training.distillationRecords.count == 20 * 2 * 5)
        #expect(training.exclusions.isEmpty)
        #expect(system.allSatisfy { $0 >= 8 && $0 <= 500 })  // CartPole-v1 episodes last 8…500 steps, reward 1 each
    }

    @Test func snippetMatchesTheDocument() throws {
        let document = try String(
            contentsOf: ProcessRunner.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let test = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
        let documented = try #require(Self.swiftBlock(startingWith: "import FedHPD", in: document))
            .filter { $0 != "import FedHPD" }
        let tested = try #require(
            Self.lines(between: "// BEGIN LIBRARY SNIPPET", and: "// END LIBRARY SNIPPET", in: test))
        #expect(
            Self.trimmed(documented) == Self.trimmed(tested),
            "README.md's library snippet and this test's snippet differ")
    }

    /// The lines of the first ```swift block whose first line is `firstLine`.
    static func swiftBlock(startingWith firstLine: String, in markdown: String) -> [String]? {
        let lines = markdown.components(separatedBy: "\n")
        var index = 0
        while index < lines.count {
            if lines[index].trimmingCharacters(in: .whitespaces) == "```swift", index + 1 < lines.count,
                lines[index + 1] == firstLine
            {
                let body = lines[(index + 1)...].prefix { $0.trimmingCharacters(in: .whitespaces) != "```" }
                return Array(body)
            }
            index += 1
        }
        return nil
    }

    /// The lines strictly between the marker lines, with the first marker's indentation removed.
    static func lines(between start: String, and end: String, in text: String) -> [String]? {
        let lines = text.components(separatedBy: "\n")
        guard let first = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == start }),
            let last = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == end }), first < last
        else { return nil }
        let indentation = lines[first].prefix { $0 == " " }.count
        return lines[(first + 1)..<last].map { $0.count >= indentation ? String($0.dropFirst(indentation)) : $0 }
    }

    /// Without leading and trailing blank lines.
    static func trimmed(_ lines: [String]) -> [String] {
        Array(lines.drop { $0.isEmpty }.reversed().drop { $0.isEmpty }.reversed())
    }
}
