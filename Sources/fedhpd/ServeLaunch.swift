import Foundation
import HPDFederation
import HPDNN

/// How `fedhpd serve` was launched — its arguments and working directory — kept in the run folder as
/// `serve-launch.json`, so that `fedhpd serve --resume RUN_DIR` relaunches exactly the same server.
///
/// The shared secret is never written there: `--token VALUE` is left out and recorded as `tokenRequired`, so the run
/// folder can be shared without it, and `serve --resume` must be given the secret again (`--token` or
/// `--token-file`; a `--token-file` path is kept, as it names a file, not the secret).
struct ServeLaunch: Codable {
    static let fileName = "serve-launch.json"

    var arguments: [String]
    var directory: String
    /// Whether the server was launched with `--token VALUE` (left out of `arguments`).
    var tokenRequired = false

    init(arguments: [String], directory: String) {
        var kept: [String] = []
        var skipNext = false
        for argument in arguments {
            if skipNext {
                skipNext = false
                tokenRequired = true
            } else if argument == "--token" {
                skipNext = true
            } else if argument.hasPrefix("--token=") {
                tokenRequired = true
            } else {
                kept.append(argument)
            }
        }
        self.arguments = kept
        self.directory = directory
    }

    /// The saved arguments with the secret given to `serve --resume` (`--token`/`--token-file` as given there); an
    /// error when the launch had a token and the resume gives none.
    func arguments(resumingWith secret: SharedSecretOptions) throws -> [String] {
        var arguments = self.arguments
        if let token = secret.token { arguments += ["--token", token] }
        if let file = secret.tokenFile { arguments += ["--token-file", file] }
        guard !tokenRequired || secret.token != nil || secret.tokenFile != nil else {
            throw CommandError(
                "the server was launched with --token, which is not kept in \(Self.fileName): "
                    + "give it again with --resume (--token or --token-file)")
        }
        return arguments
    }

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
