import Foundation

/// Facts about the machine recorded in `meta`.
enum MachineDescription {
    /// The CPU model and logical CPU count, e.g. `AMD EPYC (2 logical CPUs)` (the format of the torch scripts).
    static var processor: String {
        let count = ProcessInfo.processInfo.activeProcessorCount
        if let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
            let colon = line.firstIndex(of: ":")
        {
            return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces) + " (\(count) logical CPUs)"
        }
        return "unknown CPU (\(count) logical CPUs)"
    }

    /// The current time in ISO 8601 (UTC, seconds).
    static var date: String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date())
    }

    /// `git describe --always --dirty` of the working directory's repository (the engine revision measured), if any.
    static var engineRevision: String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "describe", "--always", "--dirty", "--abbrev=10"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The 1-minute load average (other processes compete for the cores; timings are noisier when it is high).
    static var loadAverage: Double? {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8),
            let first = text.split(separator: " ").first
        else { return nil }
        return Double(first)
    }
}
