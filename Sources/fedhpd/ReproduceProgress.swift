import Foundation
import HPDFederation
import HPDRL

/// One progress display for a whole grid: runs done of the grid, the current run's episode and system MA100, and
/// the grid's ETA from measured rates. On a terminal one line is redrawn; otherwise a line is printed every 10 % of
/// a run and at each run's end.
///
/// ETA = Σ over remaining work of episodes · (local seconds per episode) + federation steps · (seconds per step),
/// the rates measured per environment (and per method for federation steps) from the `grid-segments.json` of the
/// root's runs and from this process. Work whose rate is not yet known is counted as “+ n runs unrated”.
final class ReproduceProgress {
    let cells: [PaperGrid.Cell]
    let environments: [PaperGrid.Task: EnvironmentSpecification]
    let episodes: Int?
    let quiet: Bool
    let interactive = isatty(STDERR_FILENO) != 0
    var done = Set<Int>()
    var current: (position: Int, first: Int, total: Int)?
    var lastDraw = Date.distantPast
    var lastDecile = 0
    /// Measured totals: local seconds and episodes per environment; federation seconds and steps per (environment, method).
    var localSeconds: [String: Double] = [:]
    var localEpisodes: [String: Double] = [:]
    var federationSeconds: [String: Double] = [:]
    var federationSteps: [String: Double] = [:]
    /// The current run's segment so far (its trainer's timings), counted in the rates until the segment ends.
    var live: GridRunSegment?

    init(
        cells: [PaperGrid.Cell], root: URL, environments: [PaperGrid.Task: EnvironmentSpecification], episodes: Int?,
        quiet: Bool
    ) {
        self.cells = cells
        self.environments = environments
        self.episodes = episodes
        self.quiet = quiet
        let children = (try? FileManager.default.contentsOfDirectory(at: root, includingPropertiesForKeys: nil)) ?? []
        for child in children {
            let folder = RunFolder(url: child)
            guard let configuration = try? folder.readConfiguration() else { continue }
            for segment in GridRunSegment.read(from: folder) {
                record(segment, environment: configuration.environment, method: configuration.method)
            }
        }
    }

    func record(_ segment: GridRunSegment, environment: String, method: FederationConfiguration.Method) {
        localSeconds[environment, default: 0] += segment.localSeconds
        localEpisodes[environment, default: 0] += Double(segment.lastEpisode - segment.firstEpisode)
        let key = "\(environment)|\(method.rawValue)"
        federationSeconds[key, default: 0] += segment.distillationSeconds
        federationSteps[key, default: 0] += Double(segment.distillationEvents)
    }

    func episodeCount(_ cell: PaperGrid.Cell) -> Int { episodes ?? environments[cell.task]!.defaultEpisodes }

    /// Estimated seconds for episodes `from..<to` of `cell`, or nil when a needed rate is unknown.
    func estimate(_ cell: PaperGrid.Cell, from: Int, to: Int) -> Double? {
        let environment = cell.task.environmentID
        let running = current.map { cells[$0.position] }
        let liveLocal = running?.task == cell.task ? live : nil
        let episodes =
            localEpisodes[environment, default: 0] + Double(liveLocal.map { $0.lastEpisode - $0.firstEpisode } ?? 0)
        guard episodes > 0 else { return nil }
        var seconds =
            Double(to - from) * (localSeconds[environment, default: 0] + (liveLocal?.localSeconds ?? 0)) / episodes
        if cell.setting.method != .nofed {
            let key = "\(environment)|\(cell.setting.method.rawValue)"
            let liveFederation =
                running?.task == cell.task && running?.setting.method == cell.setting.method ? live : nil
            let steps = federationSteps[key, default: 0] + Double(liveFederation?.distillationEvents ?? 0)
            guard steps > 0 else { return nil }
            let stepSeconds = federationSeconds[key, default: 0] + (liveFederation?.distillationSeconds ?? 0)
            seconds += Double(to / cell.setting.interval - from / cell.setting.interval) * stepSeconds / steps
        }
        return seconds
    }

    /// The ETA text: known seconds and the number of runs without a rate yet.
    func eta(currentDone: Int) -> String {
        var seconds = 0.0
        var unrated = 0
        for (position, cell) in cells.enumerated() where !done.contains(position) {
            let from = current?.position == position ? currentDone : 0
            if let value = estimate(cell, from: from, to: episodeCount(cell)) { seconds += value } else { unrated += 1 }
        }
        return GridReport.clock(seconds) + (unrated > 0 ? " + \(unrated) runs unrated" : "")
    }

    func skipped(_ cell: PaperGrid.Cell) {
        guard let position = cells.firstIndex(of: cell) else { return }
        done.insert(position)
        if !quiet && !interactive { print(line: "skip \(cell.description): complete") }
    }

    func started(_ cell: PaperGrid.Cell, at first: Int, of total: Int) {
        current = (cells.firstIndex(of: cell) ?? 0, first, total)
        lastDecile = first * 10 / total
        live = nil
    }

    /// After each episode: `segment` is the current run's stretch so far.
    func advanced(done episode: Int, returns: [[Double]], segment: GridRunSegment) {
        live = segment
        guard !quiet, let current else { return }
        let now = Date()
        let decile = episode * 10 / current.total
        if interactive {
            guard now.timeIntervalSince(lastDraw) > 0.5 || episode == current.total else { return }
        } else {
            guard decile > lastDecile else { return }
        }
        lastDraw = now
        lastDecile = decile
        let movingAverage = LearningCurve.mean(returns.suffix(100).map { LearningCurve.mean($0) })
        let text = String(
            format: "grid %d/%d runs done · %@ %d/%d · MA100 %.1f · grid ETA %@", done.count, cells.count,
            cells[current.position].description, episode, current.total, movingAverage, eta(currentDone: episode))
        if interactive {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
        } else {
            print(line: text)
        }
    }

    func ended(_ cell: PaperGrid.Cell, segment: GridRunSegment, finished: Bool) {
        record(segment, environment: cell.task.environmentID, method: cell.setting.method)
        live = nil
        if finished, let position = cells.firstIndex(of: cell) { done.insert(position) }
        current = nil
        guard !quiet else { return }
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
        print(
            line: String(
                format: "%@ %@ after episode %d (%.1f s this segment) · grid %d/%d runs done · ETA %@",
                cell.description,
                finished ? "complete" : "stopped", segment.lastEpisode, segment.wallSeconds, done.count, cells.count,
                eta(currentDone: 0)))
    }

    func finish() {
        if !quiet { print(line: "grid: all \(cells.count) runs complete") }
    }

    func print(line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
