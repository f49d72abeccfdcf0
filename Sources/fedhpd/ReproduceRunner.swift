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

    func log(_ message: String) {
        if !quiet { FileHandle.standardError.write(Data((message + "\n").utf8)) }
    }

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
    /// reference recipe, cached as `fedhpd train --public-states auto` caches it.
    func publicStateSet(for task: PaperGrid.Task, seed: UInt64) throws -> PublicStateSet {
        let environment = environments[task]!
        if publicStates != "auto" {
            let file = URL(fileURLWithPath: publicStates).appendingPathComponent(task.authorsPublicStatesFileName)
                .standardizedFileURL
            do { return try PublicStateSet.load(from: file, observationSize: environment.observationSize) } catch {
                throw CommandError("--public-states: \(error)")
            }
        }
        let selection = PublicStateBuilder.SelectionMethod.equalPerCluster
        let cache = root.appendingPathComponent("public-states")
            .appendingPathComponent(
                "\(environment.id)__\(selection.rawValue)__seed\(seed)__\(environment.publicStateCount).csv")
        if !FileManager.default.fileExists(atPath: cache.path) {
            log(
                "building the \(environment.id) public state set for seed \(seed) (virtual agent, \(environment.publicStateRecipe.episodes) episodes)…"
            )
            let built = try PublicStateBuilder(environment: environment).build(
                count: environment.publicStateCount, method: selection, seed: seed)
            try built.write(to: cache)
        }
        let loaded = try PublicStateSet.load(from: cache, observationSize: environment.observationSize)
        return PublicStateSet(states: loaded.states, source: "auto (cached \(cache.path))", filePath: cache.path)
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
            if let existing = try? folder.readConfiguration() {
                guard existing == configuration else {
                    throw CommandError(
                        "\(folder.url.path) holds a run with another configuration (differs in: "
                            + ConfigurationDifference.fields(existing, configuration).joined(separator: ", ")
                            + "); choose another --out or remove it")
                }
                if folder.isComplete {
                    progress.skipped(cell)
                    continue
                }
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
        let first = try folder.restoreNewestCheckpoint(into: training)
        if first > 0 { log("\(cell.description): resuming after episode \(first)") }
        let start = monotonicSeconds()
        func segment() -> GridRunSegment {
            GridRunSegment(
                firstEpisode: first, lastEpisode: training.returns.count, wallSeconds: monotonicSeconds() - start,
                timings: training.timings, threads: threads, blasCore: LinearAlgebraLibrary.kernelStatus.core)
        }
        let liveLog = try LiveRunLog(folder: folder, training: training)
        let stop = StopSignal.shared
        var failure: Error?
        var remaining = budget
        progress.started(cell, at: first, of: training.configuration.episodes)
        training.run(
            progress: { done in
                remaining -= 1
                progress.advanced(done: done, returns: training.returns, segment: segment())
                do {
                    try liveLog.append(from: training)
                    if done % self.checkpointEvery == 0 && done < training.configuration.episodes {
                        try folder.writeCheckpoint(of: training)
                    }
                } catch { failure = error }
            },
            shouldContinue: { !stop.isRequested && failure == nil && remaining > 0 })
        budget = remaining
        if let failure { throw failure }
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
