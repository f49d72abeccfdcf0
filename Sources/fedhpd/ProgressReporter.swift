import Foundation
import HPDRL

/// A progress bar (episode, system MA100, ETA) on a terminal; a plain line every 10 % otherwise.
final class ProgressReporter {
    let label: String
    let total: Int
    let quiet: Bool
    let interactive = isatty(STDERR_FILENO) != 0
    let start = Date()
    var lastDraw = Date.distantPast
    var lastDecile = 0

    init(label: String, total: Int, quiet: Bool) {
        self.label = label
        self.total = total
        self.quiet = quiet
    }

    func update(done: Int, returns: [[Double]]) {
        guard !quiet else { return }
        let now = Date()
        let decile = done * 10 / total
        if interactive {
            guard now.timeIntervalSince(lastDraw) > 0.2 || done == total else { return }
        } else {
            guard decile > lastDecile else { return }
        }
        lastDraw = now
        lastDecile = decile
        let system = returns.suffix(100).map { LearningCurve.mean($0) }
        let movingAverage = LearningCurve.mean(system)
        let elapsed = now.timeIntervalSince(start)
        let remaining = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
        let width = 30
        let filled = width * done / total
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let text = String(
            format: "%@ %@ %d/%d  system MA100 %.1f  ETA %@", label, bar, done, total, movingAverage,
            Self.clock(remaining))
        FileHandle.standardError.write(Data(((interactive ? "\r" : "") + text + (interactive ? "" : "\n")).utf8))
    }

    func finish() {
        if interactive && !quiet { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    static func clock(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        return String(format: "%d:%02d", whole / 60, whole % 60)
    }
}
