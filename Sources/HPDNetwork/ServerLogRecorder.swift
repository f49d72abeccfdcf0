#if Network
import Foundation
import Logging
import Synchronization

/// The lines `fedhpd serve` keeps for its run folder's `server.log`: every message the server logs, stamped with
/// the seconds since the server started, whatever level the executable's own log handler prints.
final class ServerLogRecorder: Sendable {
    private let kept = Mutex<[String]>([])
    private let start = now()

    /// Every line so far, oldest first.
    var lines: [String] { kept.withLock { $0 } }

    /// A logger that sends each message both to `logger`'s handler (filtered at its level, as before) and to this
    /// recorder (unfiltered).
    func recording(_ logger: Logger) -> Logger {
        let outer = logger.handler
        // The multiplexer passes each message to every handler whose level admits it.
        return Logger(label: logger.label) { _ in MultiplexLogHandler([outer, Handler(recorder: self)]) }
    }

    private struct Handler: LogHandler {
        let recorder: ServerLogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let line = String(format: "[%8.3f s] ", now() - recorder.start) + "\(event.message)"
            recorder.kept.withLock { $0.append(line) }
        }
    }
}
#endif
