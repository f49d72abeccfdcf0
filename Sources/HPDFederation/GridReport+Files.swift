import Foundation
import HPDNN

/// Writing the report: `paper-comparison.md` and one overlay figure per task beside it.
extension GridReport {
    /// The overlay figure of `task` (`GridCurvePlot`): our settings with runs and the authors' curves for it.
    public func figure(for task: PaperGrid.Task) -> String {
        let ours = settings(of: task).compactMap { setting -> GridCurvePlot.Setting? in
            let entries = index.runs(task: task, setting: setting)
            return entries.isEmpty
                ? nil : GridCurvePlot.Setting(label: setting.label, seedSeries: entries.map { $0.run.systemReturns })
        }
        return GridCurvePlot.svg(
            title: task.environmentID, ours: ours, reference: referenceCurves[task.environmentID] ?? [],
            thresholds: environments[task]?.thresholds ?? [])
    }

    /// Writes `folder/paper-comparison.md` and `folder/paper-<env>.svg` per task (atomically); returns the markdown's URL.
    @discardableResult
    public func write(to folder: URL) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for task in index.grid.tasks {
            try AtomicFile.write(figure(for: task), to: folder.appendingPathComponent(Self.figureName(for: task)))
        }
        let url = folder.appendingPathComponent("paper-comparison.md")
        try AtomicFile.write(markdown(), to: url)
        return url
    }
}
