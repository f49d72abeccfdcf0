import Foundation

/// Runs programs for the tests and reads what they print: the package's own executables (found next to the test
/// bundle), tools on PATH, python3. The one process runner of every test target.
public enum ProcessRunner {
    /// How a finished process ended and what it printed.
    public struct Outcome: Sendable {
        public var status: Int32
        public var output: String
        public var error: String

        public init(status: Int32, output: String, error: String) {
            (self.status, self.output, self.error) = (status, output, error)
        }
    }

    /// The package root: this file is `<root>/Tests/TestSupport/ProcessRunner.swift`.
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A product built next to the test bundle (the bundle sits in the build folder, e.g. `.build/release`): the
    /// executable locator of every test target.
    public static func builtProduct(_ name: String) -> URL {
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [folder, folder.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return folder.appendingPathComponent(name)
    }

    /// The first executable named `name` on PATH, or nil.
    public static func onPath(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let url = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }

    /// Runs `executable` with `arguments` to completion, collecting standard output and error; `environment` entries
    /// are added to (or replace) this process's environment.
    public static func run(
        _ executable: URL, _ arguments: [String], in folder: URL? = nil, environment: [String: String] = [:]
    ) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = folder }
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Read standard error on another thread so a chatty child cannot block on a full pipe.
        let errorData = DataBox()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errorData.data = error.fileHandleForReading.readDataToEndOfFile() }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
            error: String(decoding: errorData.data, as: UTF8.self))
    }

    /// The number after `prefix` on the first output line that starts with it.
    public static func number(after prefix: String, in output: String) -> Double? {
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) else { return nil }
        let rest = line.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
        return Double(rest.prefix { !$0.isWhitespace && $0 != "(" && $0 != ";" })
    }
}

/// `@unchecked Sendable`: `data` is written by one thread and read by another only after `DispatchGroup.wait()`,
/// which orders the write before the read.
private final class DataBox: @unchecked Sendable {
    var data = Data()
}
