import Foundation
import HPDFederation
import HPDNN

/// How `fedhpd serve` was launched — its arguments and working directory — kept in the run folder as
/// `serve-launch.json`, so that `fedhpd serve --resume RUN_DIR` relaunches exactly the same server.
struct ServeLaunch: Codable {
    static let fileName = "serve-launch.json"

    var arguments: [String]
    var directory: String

    /// This process's arguments after the `serve` subcommand.
    static func currentArguments() -> [String] {
        Array(CommandLine.arguments.dropFirst().drop { $0 != "serve" }.dropFirst())
    }

    /// Writes `serve-launch.json` into `folder` (atomically).
    func write(to folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let file = folder.appendingPathComponent(Self.fileName)
        do { try AtomicFile.write(try encoder.encode(self), to: file) } catch {
            throw CommandError("cannot write \(file.path): \(error)")
        }
    }

    /// Reads `serve-launch.json` from the run folder `folder`; an error names the file.
    static func read(from folder: URL) throws -> ServeLaunch {
        let file = folder.appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw CommandError(
                "--resume \(folder.path): no \(fileName) there (is it the run folder of a fedhpd serve run?)")
        }
        do { return try JSONDecoder().decode(ServeLaunch.self, from: data) } catch {
            throw CommandError("--resume \(folder.path): \(file.path) is unreadable: \(error)")
        }
    }
}
