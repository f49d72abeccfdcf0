import ArgumentParser
import Foundation
import HPDFederation

#if Network
import HPDNetwork

/// `--token` / `--token-file`, declared once for serve and join: the federation's shared secret.
struct SharedSecretOptions: ParsableArguments {
    @Option(help: "The federation's shared secret: the server and every client must give the same.")
    var token: String?
    @Option(name: .customLong("token-file"), help: "Read the shared secret from this file.")
    var tokenFile: String?

    /// The secret (nil: none); an empty one, or an unreadable or empty file, is an error naming the option.
    func resolvedToken() throws -> String? {
        if let file = tokenFile {
            do {
                let text = try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(
                    in: .whitespacesAndNewlines)
                guard !text.isEmpty else { throw CommandError("--token-file \(file) is empty") }
                return text
            } catch let error as CommandError { throw error } catch {
                throw CommandError("--token-file \(file): cannot be read (\(error.localizedDescription))")
            }
        }
        if let token, token.isEmpty { throw CommandError("--token must not be empty") }
        return token
    }
}

/// Option parsing shared by serve and join.
enum NetworkOptions {
    /// `HOST:PORT`, `[IPv6]:PORT`.
    static func address(_ text: String) throws -> (String, Int) {
        var host: Substring
        let portText: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(after: close)...].dropFirst()
        } else if let colon = text.lastIndex(of: ":") {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        } else {
            throw CommandError("--server '\(text)': expected HOST:PORT")
        }
        guard let port = Int(portText), (1...65_535).contains(port), !host.isEmpty else {
            throw CommandError("--server '\(text)': expected HOST:PORT with a port in 1...65535")
        }
        if host == "localhost" { host = "127.0.0.1" }
        return (String(host), port)
    }

    /// `SOURCE[:RANGES]` → the source and the 1-based agent numbers (nil: all).
    static func agentSelection(_ text: String) throws -> (String, [Int]?) {
        guard let colon = text.lastIndex(of: ":") else { return (text, nil) }
        let ranges = text[text.index(after: colon)...]
        guard !ranges.isEmpty, ranges.allSatisfy({ $0.isNumber || $0 == "," || $0 == "-" }) else { return (text, nil) }
        var numbers: [Int] = []
        for item in ranges.split(separator: ",") {
            guard let range = AgentSelection.range(item) else {
                throw CommandError("--agents \(text): '\(item)' is not an agent number or range such as 1-5")
            }
            numbers += Array(range)
        }
        guard Set(numbers).count == numbers.count else {
            throw CommandError("--agents \(text): an agent is listed twice")
        }
        return (String(text[..<colon]), numbers.sorted())
    }
}

#else

enum NetworkUnavailable {
    static let message =
        "this build has no network layer. Multi-process federation over gRPC (fedhpd serve / fedhpd join) is behind "
        + "the package trait 'Network': rebuild with `swift build -c release --traits Network`. "
        + "Use 'fedhpd train' for in-process federation."
}

#endif
