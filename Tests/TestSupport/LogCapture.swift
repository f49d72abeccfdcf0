import Logging
import Synchronization

/// A swift-log backend for tests: a `Logger` whose messages are kept (level and text) instead of printed, so a test
/// can check what a library logged without bootstrapping the process-wide `LoggingSystem`.
public final class LogCapture: Sendable {
    private let entries = Mutex<[(level: Logger.Level, message: String)]>([])

    public init() {}

    /// A logger (at `.trace`, so nothing is filtered) that records into this capture.
    public var logger: Logger {
        var logger = Logger(label: "test") { _ in Handler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    /// Every message so far, oldest first.
    public var messages: [(level: Logger.Level, message: String)] { entries.withLock { $0 } }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            capture.entries.withLock { $0.append((event.level, "\(event.message)")) }
        }
    }
}
