#if Network
import Foundation
import HPDFederation

/// Timestamped log lines on standard error (`[serve 12:00:01.234] …`), also kept for the run folder's log file.
///
/// `@unchecked Sendable`: `kept` is read and written only under `lock`; every other stored property is a `let`.
public final class NetworkLog: @unchecked Sendable {
    private let prefix: String
    private let quiet: Bool
    private let lock = NSLock()
    private var kept: [String] = []
    private let start = Date()

    public init(prefix: String, quiet: Bool = false) {
        self.prefix = prefix
        self.quiet = quiet
    }

    /// Logs one line (always kept; printed unless quiet).
    public func callAsFunction(_ message: String) {
        let elapsed = Date().timeIntervalSince(start)
        let line = String(format: "[%@ %8.3f s] ", prefix, elapsed) + message
        lock.lock()
        kept.append(line)
        lock.unlock()
        if !quiet { FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }

    /// Every line so far.
    public var lines: [String] {
        lock.lock()
        defer { lock.unlock() }
        return kept
    }
}

/// Seconds on a monotonic clock.
func now() -> Double { monotonicSeconds() }

/// Formats seconds for messages: `3 s`, `0.5 s`.
func seconds(_ value: Double) -> String {
    value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
}
#endif
