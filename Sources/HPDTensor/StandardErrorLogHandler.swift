import Foundation
import Logging

/// The executables' swift-log backend: one line per message on standard error, `warning: …` / `error: …` for those
/// levels and the bare message below them — the form the command-line tools printed before they logged.
///
/// Libraries never install it; `fedhpd` and `fedhpd-bench` bootstrap it first thing:
/// `LoggingSystem.bootstrap(StandardErrorLogHandler.init)`.
package struct StandardErrorLogHandler: LogHandler {
    package var metadata: Logger.Metadata = [:]
    package var logLevel: Logger.Level = .info

    package init(label: String) {}

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        FileHandle.standardError.write(Data((Self.line(level: event.level, message: event.message) + "\n").utf8))
    }

    /// The printed line: `warning: <message>` at `.warning`, `error: <message>` at `.error` and `.critical`, the
    /// message alone below.
    package static func line(level: Logger.Level, message: Logger.Message) -> String {
        switch level {
        case .trace, .debug, .info, .notice: return "\(message)"
        case .warning: return "warning: \(message)"
        case .error, .critical: return "error: \(message)"
        }
    }
}
