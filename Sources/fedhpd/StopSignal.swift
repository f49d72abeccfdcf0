import Dispatch
import Foundation

/// Turns SIGINT and SIGTERM into a request to stop between episodes (the trainer then writes a checkpoint and exits
/// with status 130) instead of killing the process mid-write.
///
/// `@unchecked Sendable`: `requested` is read and written only under `lock`; `sources` is written only in `init`
/// (before `shared` is published) and never read afterwards except to keep the sources alive.
final class StopSignal: @unchecked Sendable {
    static let shared = StopSignal()

    private let lock = NSLock()
    private var requested = false
    private var sources: [DispatchSourceSignal] = []

    private init() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                self.lock.lock()
                let second = self.requested
                self.requested = true
                self.lock.unlock()
                if second { exit(130) }  // a second Ctrl-C stops at once; the previous checkpoint stays valid
                FileHandle.standardError.write(Data("\nstopping after this episode (writing a checkpoint)…\n".utf8))
            }
            source.resume()
            sources.append(source)
        }
    }

    var isRequested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return requested
    }
}
