import Foundation

/// The run folders found for a `PaperGrid`, merged over one or more roots (e.g. the `--out` folders of several
/// shards): a folder belongs to a cell when its config.json has the cell's environment, setting label and seed, the
/// paper's federation choices (no variant), no warm start and the grid's episode count for its task. The first root
/// holding a complete run of a cell wins.
public struct GridRunIndex {
    /// A complete run of a cell.
    public struct Entry {
        public var cell: PaperGrid.Cell
        public var folder: RunFolder
        public var run: Comparison.Run
        /// The time the run took (segments ledger, else timings.json); nil when neither exists.
        public var segments: [GridRunSegment]
    }

    /// The grid indexed.
    public let grid: PaperGrid
    /// Complete runs, in grid order.
    public private(set) var entries: [Entry] = []
    /// Cells with no complete run.
    public private(set) var missing: [PaperGrid.Cell] = []

    /// Reads every run folder directly under `roots` (folders without config.json are ignored); `episodes` gives
    /// each task's episode count (runs of another length belong to another experiment and are ignored).
    public init(grid: PaperGrid, roots: [URL], episodes: [PaperGrid.Task: Int]) throws {
        self.grid = grid
        var complete: [String: RunFolder] = [:]
        for root in roots {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isFolder), isFolder.boolValue else {
                throw FederationError.invalidConfiguration("\(root.path): no such folder of runs")
            }
            let children = try FileManager.default.contentsOfDirectory(at: root, includingPropertiesForKeys: nil)
                .sorted { $0.path < $1.path }
            for child in children {
                let folder = RunFolder(url: child)
                guard folder.isComplete, let configuration = try? folder.readConfiguration() else { continue }
                guard configuration.variantTag.isEmpty, configuration.initialPolicies == nil,
                    let task = PaperGrid.Task(name: configuration.environment), configuration.episodes == episodes[task]
                else { continue }
                let key = Self.key(
                    environment: configuration.environment, setting: configuration.settingLabel,
                    seed: configuration.seed)
                if complete[key] == nil { complete[key] = folder }
            }
        }
        for cell in grid.cells {
            guard let folder = complete[Self.key(cell)] else {
                missing.append(cell)
                continue
            }
            let run = try Comparison.Run(reading: folder.url, countedAgents: nil)
            entries.append(Entry(cell: cell, folder: folder, run: run, segments: GridRunSegment.read(from: folder)))
        }
    }

    static func key(environment: String, setting: String, seed: UInt64) -> String {
        "\(environment)|\(setting)|\(seed)"
    }

    static func key(_ cell: PaperGrid.Cell) -> String {
        key(environment: cell.task.environmentID, setting: cell.setting.label, seed: cell.seed)
    }

    /// Whether `cell` has a complete run.
    public func isComplete(_ cell: PaperGrid.Cell) -> Bool { entries.contains { $0.cell == cell } }

    /// The complete runs of `task` with `setting`, in seed order.
    public func runs(task: PaperGrid.Task, setting: PaperGrid.Setting) -> [Entry] {
        entries.filter { $0.cell.task == task && $0.cell.setting == setting }
    }
}
