#if Network
import Foundation
import HPDFederation

/// The server's write-ahead journal, `<run folder>/server-journal.jsonl`: one JSON line per fact the server has
/// acknowledged — the port it listens on, every registration (session id, client, places), the start, every episode
/// return and digestion loss, every closed round (its consensus, contributors and exclusions). Each line is written
/// (an unbuffered `write(2)`) before the call that caused it is answered, so a server killed at any moment (even
/// with SIGKILL: the kernel keeps what was written) loses nothing it told a client. `fedhpd serve --resume RUN_DIR`
/// replays it: the sessions are known again (clients keep calling with their session ids and are taken back), the
/// closed rounds answer retried uploads with the same consensus, and rounds open at the crash are collected again.
final class ServerJournal {
    /// One line of the journal; exactly one field is set.
    struct Entry: Codable {
        struct Launch: Codable {
            var port: Int
            var fingerprint: String
        }
        struct Registration: Codable {
            var id: String
            var name: String
            var peer: String
            var agents: [Int]
            /// Places assigned by the server (architectures undisclosed).
            var assigned: Bool
        }
        struct Return: Codable {
            var agent: Int
            var episode: Int
            var value: Double
        }
        struct Loss: Codable {
            var agent: Int
            var sequence: Int
            var loss: Float
        }
        struct ClosedRound: Codable {
            var sequence: Int
            /// The consensus as a serialized `ActionDistribution` message (nil: no quorum).
            var consensus: Data?
            var included: [Int]
            var note: String
            var exclusionLines: [String]
            var exclusions: [ExclusionRecord]
        }

        var launch: Launch?
        var registration: Registration?
        var started: Bool?
        var returns: [Return]?
        var losses: [Loss]?
        var round: ClosedRound?
    }

    let url: URL
    private let handle: FileHandle
    private let encoder: JSONEncoder

    /// Opens the journal of `folder`: a new launch truncates it, a resumed one appends.
    init(folder: RunFolder, resuming: Bool) throws {
        url = folder.url.appendingPathComponent("server-journal.jsonl")
        do {
            try FileManager.default.createDirectory(at: folder.url, withIntermediateDirectories: true)
            if !resuming || !FileManager.default.fileExists(atPath: url.path) {
                guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                    throw NetworkError.configuration("cannot create \(url.path)")
                }
            }
            handle = try FileHandle(forWritingTo: url)
            // A torn last line (the server died while writing it) goes: its call was never answered.
            let data = try Data(contentsOf: url)
            let complete = data.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
            if complete < data.count { try handle.truncate(atOffset: UInt64(complete)) }
            try handle.seekToEnd()
        } catch let error as NetworkError {
            throw error
        } catch {
            throw NetworkError.configuration("cannot open the server journal \(url.path): \(error)")
        }
        encoder = Checkpoint.jsonEncoder()
    }

    deinit { try? handle.close() }

    /// Appends one entry (a line); a failure is returned as the reason, so the server can stop rather than run on
    /// with a journal that no longer describes it.
    func append(_ entry: Entry) throws {
        do {
            var line = try encoder.encode(entry)
            line.append(0x0A)
            try handle.write(contentsOf: line)
        } catch {
            throw NetworkError.runFailed("cannot write the server journal \(url.path): \(error)")
        }
    }

    /// Every entry of the journal in `folder`, oldest first. A torn last line (the server died while writing it) is
    /// dropped: its call was never answered. Throws when there is no journal or an earlier line is unreadable.
    static func read(folder: RunFolder) throws -> [Entry] {
        let url = folder.url.appendingPathComponent("server-journal.jsonl")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw NetworkError.configuration(
                "--resume \(folder.url.path): no server journal (server-journal.jsonl); was the run served there?")
        }
        let decoder = Checkpoint.jsonDecoder()
        let lines = data.split(separator: 0x0A, omittingEmptySubsequences: true)
        var entries: [Entry] = []
        for (number, line) in lines.enumerated() {
            do { entries.append(try decoder.decode(Entry.self, from: Data(line))) } catch {
                if number == lines.count - 1 && data.last != 0x0A { break }
                throw NetworkError.configuration("\(url.path) line \(number + 1) is unreadable: \(error)")
            }
        }
        return entries
    }
}
#endif
