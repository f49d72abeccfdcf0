import ArgumentParser
import Foundation
import HPDFederation
import HPDTensor

/// Runs the cells of a `PaperGrid` one after another into one root folder, through the library's trainer and run
/// folder (`FederatedTraining`, `RunFolder`): complete runs are skipped, an interrupted one resumes from its newest
/// valid checkpoint, every process stretch of a run is appended to its `grid-segments.json`.
final class ReproduceRunner {
    let root: URL
    let publicStates: String
    let episodes: Int?
    let threads: Int
    let quiet: Bool
    let environments: [PaperGrid.Task: EnvironmentSpecification]
    /// Episodes between checkpoints.
    let checkpointEvery = 100

    init(
        root: URL, publicStates: String, episodes: Int?, threads: Int, quiet: Bool,
        environments: [PaperGrid.Task: EnvironmentSpecification]
    ) throws {
        self.root = root
        self.publicStates = publicStates
        self.episodes = episodes
        self.threads = threads
        self.quiet = quiet
        self.environments = environments
        if publicStates != "auto" {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: publicStates, isDirectory: &isFolder), isFolder.boolValue
            else {
                throw CommandError("--public-states: '\(publicStates)' is neither 'auto' nor a folder")
            }
        }
    }

    /// The set-up `train` uses too: the existing-run check, the public state cache, the notes on standard error.
    var setup: RunSetup { RunSetup(quiet: quiet) }

    func log(_ message: String) { setup.log(message) }

    /// The configuration of `cell`, with its public state set (FedHPD only).
    func configuration(of cell: PaperGrid.Cell) throws -> (FederationConfiguration, PublicStateSet?) {
        let environment = environments[cell.task]!
        let states = cell.setting.method == .fedhpd ? try publicStateSet(for: cell.task, seed: cell.seed) : nil
        let configuration = FederationConfiguration(
            environment: environment.id, method: cell.setting.method, interval: cell.setting.interval,
            episodes: episodes ?? environment.defaultEpisodes, seed: cell.seed, agents: environment.presetAgents,
            publicStates: states.map(PublicStatesRecord.init))
        do { try configuration.validate(requiringEvents: false) } catch {
            throw CommandError("\(cell.description): \(error)")
        }
        return (configuration, states)
    }

    /// The authors' file for `task` in the --public-states folder, or (auto) the set built for `seed` by the
    /// reference recipe, cached where `fedhpd train --public-states auto` caches it (`RunSetup.resolvePublicStates`).
    func publicStateSet(for task: PaperGrid.Task, seed: UInt64) throws -> PublicStateSet {
        let environment = environments[task]!
        guard publicStates == "auto" else {
            let file = URL(fileURLWithPath: publicStates).appendingPathComponent(task.authorsPublicStatesFileName)
            return try setup.loadPublicStates(file.standardizedFileURL.path, environment: environment)
        }
        return try setup.resolvePublicStates(
            "auto", method: PublicStateBuilder.SelectionMethod.equalPerCluster.rawValue,
            environment: environment, seed: seed, root: root)
    }

    /// Runs `cells` in order. Returns false when stopped early (signal or `stopAfterEpisodes`), true when all are complete.
    func run(_ cells: [PaperGrid.Cell], stopAfterEpisodes: Int?) throws -> Bool {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        if GridMachineRates.read(from: [root]) == nil {
            log("measuring this machine's sgemm and environment step rates for the time limit…")
            try GridMachineRates.measure(cores: threads, environments: Array(environments.values)).write(to: root)
        }
        let progress = ReproduceProgress(
            cells: cells, root: root, environments: environments, episodes: episodes, quiet: quiet)
        var budget = stopAfterEpisodes ?? Int.max
        for cell in cells {
            let (configuration, states) = try configuration(of: cell)
            let folder = RunFolder(root: root, configuration: configuration)
            if try setup.existingRun(in: folder, configuration: configuration) == .complete {
                progress.skipped(cell)
                continue
            }
            guard budget > 0 else { return false }
            let training = try FederatedTraining(
                configuration: configuration, environment: environments[cell.task]!, publicStates: states,
                threads: threads)
            if !FileManager.default.fileExists(atPath: folder.configurationURL.path) {
                try folder.writeConfiguration(configuration)
            }
            guard try execute(training, cell: cell, in: folder, budget: &budget, progress: progress) else {
                return false
            }
        }
        progress.finish()
        return true
    }

    /// Resumes from the newest checkpoint, trains until the end or the stop, checkpoints every `checkpointEvery`
    /// episodes, and on completion writes the results (summary.json last) and removes the checkpoints.
    func execute(
        _ training: FederatedTraining, cell: PaperGrid.Cell, in folder: RunFolder, budget: inout Int,
        progress: ReproduceProgress
    ) throws -> Bool {
        let environment = environments[cell.task]!
        let run = CheckpointedRun(training: training, folder: folder, checkpointEvery: checkpointEvery)
        let first = try run.resume()
        if first > 0 { log("\(cell.description): resuming after episode \(first)") }
        let start = monotonicSeconds()
        func segment() -> GridRunSegment {
            GridRunSegment(
                firstEpisode: first, lastEpisode: training.returns.count, wallSeconds: monotonicSeconds() - start,
                timings: training.timings, threads: threads, blasCore: LinearAlgebraLibrary.kernelStatus.core)
        }
        var remaining = budget
        progress.started(cell, at: first, of: training.configuration.episodes)
        defer { budget = remaining }
        try run.train(
            afterEpisode: { done in
                remaining -= 1
                progress.advanced(done: done, returns: training.returns, segment: segment())
            },
            mayContinue: { remaining > 0 })
        if let divergence = training.divergence {
            throw CommandError("\(cell.description): \(divergence); the run stopped (its last good checkpoint is kept)")
        }
        if !training.isFinished { try folder.writeCheckpoint(of: training) }
        let finalSegment = segment()
        try GridRunSegment.append(finalSegment, to: folder)
        progress.ended(cell, segment: finalSegment, finished: training.isFinished)
        guard training.isFinished else { return false }
        try folder.complete(training, thresholds: environment.thresholds)  // checkpoint, policies, results, clean-up
        return true
    }
}
