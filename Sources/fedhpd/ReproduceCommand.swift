import ArgumentParser
import Foundation
import HPDFederation

/// `fedhpd reproduce`: the paper's whole grid (tasks × settings × seeds) from one command, resumable and shardable,
/// then `paper-comparison.md` beside the authors' figures.
struct ReproduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce",
        abstract:
            "Run the paper's grid (tasks × settings × seeds) and write paper-comparison.md beside the authors' numbers.",
        discussion: """
            Runs go to OUT/<env>__<method>[-d<d>]__seed<s>/ exactly as `fedhpd train` writes them, all settings of the
            first seed first. Complete runs are skipped, interrupted ones resume from their checkpoints (Ctrl-C stops
            after the current episode with a checkpoint). --shard K/N runs a deterministic share (cell i of the grid
            goes to shard i mod N + 1); --shard slurm takes K and N from a Slurm job array. The report step
            (automatic after an unsharded run, or --report-only) merges every --out given and refuses an incomplete
            grid unless --allow-incomplete.
            """)

    @Option(help: "Comma-separated tasks: cartpole, lunarlander, invertedpendulum.")
    var tasks = "cartpole,lunarlander,invertedpendulum"
    @Option(help: "Comma-separated run seeds.")
    var seeds = "20,25,30,35,40"
    @Option(
        help:
            "main (NoFed, FedHPD d=5,10,20) or all (every row of the paper's table, DPA-FedRL, d=2 on InvertedPendulum)."
    )
    var settings = PaperGrid.SettingsChoice.main
    @Option(
        help:
            "Root folder of the run folders; give several to merge shards' folders in the report (runs use the first; default: runs/paper)."
    )
    var out: [String] = []
    @Option(
        name: .customLong("public-states"),
        help:
            "'auto' (build one per seed by the reference recipe) or a folder holding the authors' files by their names."
    )
    var publicStates = "auto"
    @Option(
        name: .customLong("reference-curves"),
        help:
            "The authors' curves CSV (env,setting,seeds,episode,system_reward) to overlay (default: reference_system_curves.csv in the --public-states folder, if there)."
    )
    var referenceCurves: String?
    @Option(help: "Worker threads for the agents (default: the core count). Results do not depend on it.")
    var threads = ParallelExecutor.coreCount
    @Option(
        help:
            "Run only share K of N of the grid (e.g. 2/4), or 'slurm' to read it from SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT (or MIN / MAX; default: the whole grid)."
    )
    var shard: String?
    @Option(
        help:
            "Episodes per run (default: the paper's per task: 2000, 3000, 6000). For trials; the report compares with the paper regardless."
    )
    var episodes: Int?
    @Option(
        name: .customLong("stop-after-episodes"),
        help:
            "Stop (with a checkpoint) after this many episodes in this invocation; rerun to continue (default: no limit)."
    )
    var stopAfterEpisodes: Int?
    @Option(
        name: .customLong("report-to"),
        help: "Folder for paper-comparison.md and its figures (default: the first --out).")
    var reportTo: String?
    @Flag(name: .customLong("report-only"), help: "Run nothing: write the report from the run folders in every --out.")
    var reportOnly = false
    @Flag(name: .customLong("allow-incomplete"), help: "Report the cells that exist even when the grid is incomplete.")
    var allowIncomplete = false
    @Flag(help: "Print only errors, the report and the final lines.")
    var quiet = false
    @OptionGroup var kernels: KernelOptions

    func validate() throws {
        guard threads > 0 else { throw ValidationError("--threads must be positive, got \(threads)") }
        if let episodes, episodes <= 0 { throw ValidationError("--episodes must be positive, got \(episodes)") }
        if let stopAfterEpisodes, stopAfterEpisodes <= 0 {
            throw ValidationError("--stop-after-episodes must be positive")
        }
        if !reportOnly && out.count > 1 {
            throw ValidationError("runs go to one --out; several are merged only with --report-only")
        }
    }

    /// The folders of runs (default `runs/paper`).
    var roots: [URL] { (out.isEmpty ? ["runs/paper"] : out).map { URL(fileURLWithPath: $0).standardizedFileURL } }

    func run() throws {
        try kernels.apply()
        let grid = try makeGrid()
        let environments = try Dictionary(
            uniqueKeysWithValues: grid.tasks.map { ($0, try Catalog.all.specification(for: $0.environmentID)) })
        if !reportOnly {
            let gridShard: GridShard
            do {
                gridShard =
                    try shard.map { try GridShard(argument: $0, environment: ProcessInfo.processInfo.environment) }
                    ?? .whole
            } catch {
                throw CommandError("\(error)")
            }
            let runner = try ReproduceRunner(
                root: roots[0], publicStates: publicStates, episodes: episodes, threads: threads, quiet: quiet,
                environments: environments)
            let cells = grid.cells(shard: gridShard)
            if gridShard != .whole {
                runner.log("shard \(gridShard.index)/\(gridShard.count): \(cells.count) of \(grid.cells.count) runs")
            }
            guard try runner.run(cells, stopAfterEpisodes: stopAfterEpisodes) else {
                runner.log(
                    "stopped; rerun the same command to continue (finished runs are skipped, the interrupted one resumes)"
                )
                if StopSignal.shared.isRequested { throw ExitCode(130) }
                return
            }
            guard gridShard == .whole else {
                runner.log(
                    "shard \(gridShard.index)/\(gridShard.count) complete; when every shard is, write the report with "
                        + "fedhpd reproduce --report-only --out <each shard's folder> …")
                return
            }
        }
        try report(grid: grid, environments: environments)
    }

    func makeGrid() throws -> PaperGrid {
        let taskList = try tasks.split(separator: ",").map { name -> PaperGrid.Task in
            guard let task = PaperGrid.Task(name: String(name)) else {
                throw CommandError(
                    "--tasks: unknown task '\(name)'; use \(PaperGrid.Task.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            return task
        }
        let seedList = try seeds.split(separator: ",").map { item -> UInt64 in
            guard let value = UInt64(item.trimmingCharacters(in: .whitespaces)) else {
                throw CommandError("--seeds: '\(item)' is not a non-negative integer")
            }
            return value
        }
        guard !taskList.isEmpty, !seedList.isEmpty else {
            throw CommandError("--tasks and --seeds must name at least one each")
        }
        guard Set(taskList).count == taskList.count, Set(seedList).count == seedList.count else {
            throw CommandError("--tasks and --seeds must not repeat an entry")
        }
        return PaperGrid(tasks: taskList, seeds: seedList, choice: settings)
    }

    /// Merges every --out, refuses an incomplete grid unless allowed, prints and writes the report.
    func report(grid: PaperGrid, environments: [PaperGrid.Task: EnvironmentSpecification]) throws {
        let index: GridRunIndex
        let episodeCounts = environments.mapValues { episodes ?? $0.defaultEpisodes }
        do { index = try GridRunIndex(grid: grid, roots: roots, episodes: episodeCounts) } catch {
            throw CommandError("\(error)")
        }
        if !index.missing.isEmpty && !allowIncomplete {
            let listed = index.missing.prefix(8).map(\.description).joined(separator: "; ")
            throw CommandError(
                "the grid is incomplete: \(index.missing.count) of \(grid.cells.count) runs missing in "
                    + roots.map(\.path).joined(separator: ", ") + " (\(listed)\(index.missing.count > 8 ? "; …" : ""))"
                    + "; run them, or pass --allow-incomplete to report what exists")
        }
        var curves: [String: [(label: String, values: [Double])]] = [:]
        if let file = referenceCurvesFile() {
            for task in grid.tasks {
                let environment = environments[task]!
                do {
                    curves[task.environmentID] = try Comparison.referenceCurves(
                        from: file, environmentNames: [environment.id] + environment.aliases)
                } catch { throw CommandError("--reference-curves: \(error)") }
            }
        }
        let report = GridReport(
            index: index, environments: environments, referenceCurves: curves,
            rates: GridMachineRates.read(from: roots), command: commandLine())
        let folder = reportTo.map { URL(fileURLWithPath: $0) } ?? roots[0]
        let written = try report.write(to: folder)
        print(report.markdown())
        FileHandle.standardError.write(Data("wrote \(written.path) and \(grid.tasks.count) figures\n".utf8))
    }

    /// The curves file: --reference-curves, else reference_system_curves.csv in a --public-states folder.
    func referenceCurvesFile() -> URL? {
        if let referenceCurves { return URL(fileURLWithPath: referenceCurves) }
        guard publicStates != "auto" else { return nil }
        let candidate = URL(fileURLWithPath: publicStates).appendingPathComponent("reference_system_curves.csv")
        return FileManager.default.fileExists(atPath: candidate.path) ? candidate : nil
    }

    /// The command as a user would type it (for the report), without the report-only flags.
    func commandLine() -> String {
        var parts = [
            "fedhpd reproduce", "--tasks \(tasks)", "--seeds \(seeds)", "--settings \(settings.rawValue)",
            "--public-states \(publicStates)",
        ]
        if let episodes { parts.append("--episodes \(episodes)") }
        if let blasCore = kernels.blasCore { parts.append("--blas-core \(blasCore)") }
        return parts.joined(separator: " ")
    }
}

extension PaperGrid.SettingsChoice: ExpressibleByArgument {}
