import Foundation

/// The time table: per task, the wall time of its complete runs (all their segments, `GridRunSegment`) beside their
/// limit on the machine that measured `rates` (`GridTimeLimit`), and the grid's total.
extension GridReport {
    /// Per task: complete runs, wall seconds, limit seconds, matrix-product FLOPs and environment steps, over the
    /// settings `included` accepts (default: all).
    public func timeRows(
        included: (PaperGrid.Setting) -> Bool = { _ in true }
    ) -> [(
        task: PaperGrid.Task, runs: Int, wallSeconds: Double, limitSeconds: Double?, operations: Double?, steps: Int
    )] {
        index.grid.tasks.map { task in
            let entries = index.entries.filter {
                $0.cell.task == task && !$0.segments.isEmpty && included($0.cell.setting)
            }
            let wall = entries.reduce(0) { $0 + $1.segments.reduce(0) { $0 + $1.wallSeconds } }
            let steps = entries.reduce(0) { $0 + $1.segments.reduce(0) { $0 + $1.environmentSteps } }
            guard let rates, let environment = environments[task] else {
                return (task, entries.count, wall, nil, nil, steps)
            }
            let limits = entries.map {
                GridTimeLimit(
                    configuration: $0.run.configuration, environment: environment, segments: $0.segments, rates: rates)
            }
            return (
                task, entries.count, wall, limits.reduce(0) { $0 + $1.seconds },
                limits.reduce(0) { $0 + $1.floatingPointOperations }, steps
            )
        }
    }

    /// `## Time` with the table and the rates used.
    func timeSection() -> String {
        var text = "## Time\n\n"
        guard let rates else {
            return text + "No grid-machine.json was found, so no limit is given.\n"
        }
        text += String(
            format:
                "Limit = matrix-product FLOPs at the all-core sgemm rate (%.1f GFLOP/s on %d cores, %@ kernels, %@) "
                + "+ environment steps at the one-core step rate × %d cores (", rates.sgemmGigaflopsAllCores,
            rates.cores,
            rates.blasCore, rates.cpuModel, rates.cores)
        text +=
            rates.stepsPerSecond.sorted { $0.key < $1.key }.map { String(format: "%@ %.0f steps/s", $0.key, $0.value) }
            .joined(separator: ", ")
            + "). Wall time sums every process segment of the complete runs (runs execute one after "
            + "another, each on all cores).\n\n"
        var rows = [
            ["task", "complete runs", "wall", "limit", "wall / limit", "matrix-product TFLOP", "environment steps"]
        ]
        var totalWall = 0.0
        var totalLimit = 0.0
        for row in timeRows() {
            totalWall += row.wallSeconds
            totalLimit += row.limitSeconds ?? 0
            rows.append([
                row.task.environmentID, "\(row.runs)", Self.clock(row.wallSeconds),
                row.limitSeconds.map(Self.clock) ?? "—",
                row.limitSeconds.map { $0 > 0 ? String(format: "%.2f", row.wallSeconds / $0) : "—" } ?? "—",
                row.operations.map { String(format: "%.1f", $0 / 1e12) } ?? "—", "\(row.steps)",
            ])
        }
        rows.append([
            "total", "\(index.entries.count)", Self.clock(totalWall), Self.clock(totalLimit),
            totalLimit > 0 ? String(format: "%.2f", totalWall / totalLimit) : "—", "", "",
        ])
        if index.grid.choice == .all {
            let main = timeRows { PaperGrid.mainSettings.contains($0) }
            let wall = main.reduce(0) { $0 + $1.wallSeconds }
            let limit = main.reduce(0) { $0 + ($1.limitSeconds ?? 0) }
            rows.append([
                "main settings (NoFed, FedHPD d=5, 10, 20)", "\(main.reduce(0) { $0 + $1.runs })", Self.clock(wall),
                Self.clock(limit), limit > 0 ? String(format: "%.2f", wall / limit) : "—", "", "",
            ])
        }
        return text + Self.markdownTable(rows)
    }

    /// `h:mm:ss`.
    public static func clock(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        return String(format: "%d:%02d:%02d", whole / 3600, whole / 60 % 60, whole % 60)
    }
}
