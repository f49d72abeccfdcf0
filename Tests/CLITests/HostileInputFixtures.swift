import Foundation
import TestSupport

/// Every file below a case folder and the fixture folder, with its size: equal snapshots mean nothing was written.
struct Snapshot: Equatable {
    var files: [String: Int]

    init(_ folders: URL...) throws {
        files = [:]
        for folder in folders {
            guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.fileSizeKey])
            else { continue }
            for case let url as URL in walker {
                files[url.path] = try url.resourceValues(forKeys: [.fileSizeKey]).fileSize ?? -1
            }
        }
    }

    init(_ folder: URL, fixtures: URL) throws {
        try self.init(folder, fixtures)
    }
}

/// The fixtures every case shares, made once: a public state file, a two-agent file and one complete NoFed run
/// (4 episodes, seed 3) to resume and compare.
final class Fixtures: @unchecked Sendable {
    // @unchecked: `lock` guards `made`, the only mutable state.
    static let shared = Fixtures()
    private let lock = NSLock()
    private var made: Result<URL, any Error>?

    func folder() throws -> URL {
        lock.lock()
        defer { lock.unlock() }
        if made == nil { made = Result { try Self.make() } }
        return try made!.get()
    }

    static func make() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fedhpd-hostile-fixtures-\(UUID())")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        var states = "State\n"
        for index in 0..<200 {
            states +=
                "\"\(Double(index % 17) / 10 - 0.8),\(Double(index % 5) / 10 - 0.2),\(Double(index % 7) / 50 - 0.06),\(Double(index % 11) / 10 - 0.5)\"\n"
        }
        try states.write(to: root.appendingPathComponent("states.csv"), atomically: true, encoding: .utf8)
        try
            #"[{"hiddenSizes": [8], "activation": "relu", "learningRate": 0.01}, {"hiddenSizes": [4, 4], "activation": "tanh", "learningRate": 0.005}]"#
            .write(to: root.appendingPathComponent("agents.json"), atomically: true, encoding: .utf8)
        let outcome = try ProcessRunner.run(
            ProcessRunner.builtProduct("fedhpd"),
            [
                "train", "--agents", root.appendingPathComponent("agents.json").path, "--method", "nofed", "--episodes",
                "4",
                "--seeds", "3", "--threads", "1", "--quiet", "--out", root.appendingPathComponent("runs").path,
            ])
        guard outcome.status == 0 else { throw FixtureError(message: outcome.error) }
        return root
    }

    struct FixtureError: Error { var message: String }
}
