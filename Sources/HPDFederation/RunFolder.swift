import Foundation
import HPDNN
import HPDRL

/// A run's folder on disk: `config.json` (written before training), `rewards.csv` and `kd_losses.csv` (grown row by
/// row while training, see `LiveRunLog`, and rewritten whole at the end), then `summary.json` (the completion
/// marker), `curves.svg`, `timings.json` and `policies/`. Every file but the live logs is written atomically (temp
/// file + rename).
public struct RunFolder: Sendable {
    /// The folder.
    public let url: URL

    /// The run folder at `url`.
    public init(url: URL) {
        self.url = url
    }

    /// `root/<run name>`.
    public init(root: URL, configuration: FederationConfiguration) {
        url = root.appendingPathComponent(configuration.runName)
    }

    /// `config.json`: the configuration, written before training.
    public var configurationURL: URL { url.appendingPathComponent("config.json") }
    /// `rewards.csv`: one row per episode, one column per agent.
    public var rewardsURL: URL { url.appendingPathComponent("rewards.csv") }
    /// `kd_losses.csv`: one row per digestion step.
    public var distillationLossesURL: URL { url.appendingPathComponent("kd_losses.csv") }
    /// `summary.json`: whole-run and last-100 means and episodes to thresholds.
    public var summaryURL: URL { url.appendingPathComponent("summary.json") }
    /// `curves.svg`: 100-episode moving averages of the system and every agent.
    public var curvesURL: URL { url.appendingPathComponent("curves.svg") }
    /// `evaluation.json`: the last `fedhpd evaluate` of the run's policies.
    public var evaluationURL: URL { url.appendingPathComponent("evaluation.json") }
    /// `tensorboard/`: TensorBoard event files (`fedhpd train --tensorboard`).
    public var tensorBoardURL: URL { url.appendingPathComponent("tensorboard") }
    /// `timings.json`: where the time went.
    public var timingsURL: URL { url.appendingPathComponent("timings.json") }

    /// Whether the run has completed (its summary exists as a file).
    public var isComplete: Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: summaryURL.path, isDirectory: &isFolder) && !isFolder.boolValue
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return encoder
    }

    /// Writes config.json.
    public func writeConfiguration(_ configuration: FederationConfiguration) throws {
        try RunFolder.writeFile(Self.encoder().encode(configuration), to: configurationURL)
    }

    /// Reads config.json.
    public func readConfiguration() throws -> FederationConfiguration {
        let data = try FileSystemError.reading(configurationURL) { try Data(contentsOf: configurationURL) }
        return try JSONDecoder().decode(FederationConfiguration.self, from: data)
    }

    /// Writes `data` to `file` atomically (`AtomicFile`); a failure names the file and the cause in plain words.
    static func writeFile(_ data: Data, to file: URL) throws(FileSystemError) {
        try FileSystemError.writing(file) { try AtomicFile.write(data, to: file) }
    }

    /// Writes UTF-8 `text` to `file` atomically; a failure names the file and the cause in plain words.
    static func writeFile(_ text: String, to file: URL) throws(FileSystemError) {
        try writeFile(Data(text.utf8), to: file)
    }

    /// The reference layout: header `Agent 1,…,Agent N`, one row per episode, each cell a plain decimal number.
    public static func rewardsCSV(_ returns: [[Double]], agentCount: Int) -> String {
        rewardsHeader(agentCount: agentCount) + returns.map(rewardsRow).joined()
    }

    /// `Agent 1,…,Agent N` and a newline.
    public static func rewardsHeader(agentCount: Int) -> String {
        (1...agentCount).map { "Agent \($0)" }.joined(separator: ",") + "\n"
    }

    /// One episode's returns and a newline.
    public static func rewardsRow(_ returns: [Double]) -> String {
        returns.map { "\($0)" }.joined(separator: ",") + "\n"
    }

    /// Header `episode,loop,part,Agent 1,…` and one row per digestion step.
    public static func distillationLossesCSV(
        _ records: [(episode: Int, step: DistillationStep)], agentCount: Int
    ) -> String {
        distillationLossesHeader(agentCount: agentCount)
            + records.map { distillationLossesRow(episode: $0.episode, step: $0.step) }.joined()
    }

    /// `episode,loop,part,Agent 1,…` and a newline.
    public static func distillationLossesHeader(agentCount: Int) -> String {
        "episode,loop,part," + (1...agentCount).map { "Agent \($0)" }.joined(separator: ",") + "\n"
    }

    /// One digestion step's losses and a newline.
    public static func distillationLossesRow(episode: Int, step: DistillationStep) -> String {
        "\(episode),\(step.loop),\(step.part)," + step.losses.map { "\($0)" }.joined(separator: ",") + "\n"
    }

    /// Reads rewards.csv back (for `compare`), checking its layout.
    public static func readRewards(from url: URL) throws -> [[Double]] {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw FederationError.invalidConfiguration(
                "\(url.path): cannot be read (\(FileSystemError(reading: url, error).reason))")
        }
        var lines = text.split(whereSeparator: \.isNewline)
        guard !lines.isEmpty, lines[0].hasPrefix("Agent") else {
            throw FederationError.invalidConfiguration("\(url.path):1: expected a header 'Agent 1,…'")
        }
        let width = lines[0].split(separator: ",").count
        lines.removeFirst()
        return try lines.enumerated().map { index, line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            guard cells.count == width else {
                throw FederationError.invalidConfiguration(
                    "\(url.path):\(index + 2): \(cells.count) cells, expected \(width)")
            }
            return try cells.enumerated().map { column, cell in
                guard let value = Double(cell.trimmingCharacters(in: .whitespaces)) else {
                    throw FederationError.invalidConfiguration(
                        "\(url.path):\(index + 2):\(column + 1): '\(cell)' is not a number")
                }
                return value
            }
        }
    }
}
