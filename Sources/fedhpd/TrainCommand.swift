import ArgumentParser
import Foundation
import HPDFederation
import HPDRL

/// `fedhpd train`: runs one or more federated trainings (methods × intervals × seeds) and writes a run folder each.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train heterogeneous agents with FedHPD (or NoFed / DPA-FedRL) and write one run folder per seed.",
        discussion: """
            Each (method, interval, seed) gets OUT/<env>__<method>-d<d>__seed<s>/ with config.json (written first),
            rewards.csv (reference layout), kd_losses.csv, summary.json, timings.json, curves.svg and
            policies/agent-<k>.safetensors (PyTorch nn.Sequential names; see fedhpd evaluate).
            Completed run folders are skipped. With more than one setting, a comparison table is printed at the end.
            """)

    @OptionGroup var options: RunOptions
    @Option(
        name: .customLong("checkpoint-every"),
        help: "Write a checkpoint every N episodes (0: only at the end of the run, before the results are written).")
    var checkpointEvery = 100
    @Option(
        name: .customLong("save-every"),
        help: "Also keep every agent's policy every N episodes under policies/episode-<e>/ (0: only at the end).")
    var saveEvery = 0
    @Option(
        help:
            "Resume the run in this run folder (the one holding config.json) from its newest valid checkpoint. Configuration flags may be repeated only with the run's values; --threads, --checkpoint-every, --save-every, --tensorboard and --quiet may change."
    )
    var resume: String?
    @Flag(help: "Also write TensorBoard event files under RUN_DIR/tensorboard/ while training (also when resuming).")
    var tensorboard = false
    @Flag(help: "Print only errors and the final table.")
    var quiet = false
    @OptionGroup var kernels: KernelOptions
    @OptionGroup var federation: FederationChoiceOptions

    func validate() throws {
        guard saveEvery >= 0 else { throw ValidationError("--save-every must be 0 or positive, got \(saveEvery)") }
        guard checkpointEvery >= 0 else {
            throw ValidationError("--checkpoint-every must be 0 (only at the end) or positive, got \(checkpointEvery)")
        }
    }

    func run() throws {
        try kernels.apply()
        let requested = try options.requested()
        let setup = RunSetup(quiet: quiet)
        if let resume { return try resumeRun(at: resume, requested: requested) }
        // Everything is resolved and every run's configuration checked before anything is built or written.
        let plan = try RunPlan(requested, federation: federation, setup: setup)
        let environment = plan.environment
        var finished: [URL] = []
        let startTime = Date()
        for (method, interval) in plan.settings {
            for seed in plan.seeds {
                let publicStateSet = method == .fedhpd ? try plan.publicStateSet(seed: seed, setup: setup) : nil
                let configuration = try plan.configuration(
                    method: method, interval: interval, seed: seed,
                    publicStates: publicStateSet.map(PublicStatesRecord.init))
                let folder = RunFolder(root: plan.root, configuration: configuration)
                if try setup.existingRun(in: folder, configuration: configuration) == .complete {
                    log("skipping \(configuration.runName): already complete")
                    finished.append(folder.url)
                    continue
                }
                // Built (and warm-started) before anything is written, so a refused policy file leaves no run folder.
                let training = try makeTraining(
                    configuration, environment: environment, publicStates: publicStateSet, threads: plan.threads)
                if !FileManager.default.fileExists(atPath: folder.configurationURL.path) {
                    try writing { try folder.writeConfiguration(configuration) }
                }
                guard try execute(training, in: folder, environment: environment) else { throw ExitCode(130) }
                finished.append(folder.url)
            }
        }
        if plan.settings.count > 1 || plan.seeds.count > 1 {
            let comparison = try Comparison(runFolders: finished, thresholds: environment.thresholds)
            print("\n" + comparison.table())
        }
        log(String(format: "total wall time %.1f s", Date().timeIntervalSince(startTime)))
    }

    /// Resumes (if checkpoints exist), trains to the end with periodic checkpoints and writes the results.
    /// Returns false when stopped by SIGINT/SIGTERM (after writing a checkpoint).
    func execute(
        _ training: FederatedTraining, in folder: RunFolder, environment: EnvironmentSpecification
    ) throws -> Bool {
        let configuration = training.configuration
        let run = CheckpointedRun(
            training: training, folder: folder, checkpointEvery: checkpointEvery, saveEvery: saveEvery,
            writesTensorBoard: tensorboard)
        let resumedFrom = try run.resume()
        if resumedFrom > 0 { log("\(configuration.runName): resuming after episode \(resumedFrom)") }
        let progress = ProgressReporter(label: configuration.runName, total: configuration.episodes, quiet: quiet)
        let trained = Result {
            try run.train(afterEpisode: { progress.update(done: $0, returns: training.returns) }, mayContinue: { true })
        }
        progress.finish()
        if case .failure(let error) = trained { throw CommandError("\(error)") }
        if let divergence = training.divergence {
            let kept =
                folder.checkpointFiles().first.map { "its last good checkpoint \($0.path) is kept" }
                ?? "no checkpoint had been written"
            throw CommandError(
                "\(configuration.runName): \(divergence); the run stopped (\(kept)). Lower that agent's learning rate "
                    + "or check the public states, and start again in a fresh --out")
        }
        if !training.isFinished {
            let written = try writing { try folder.writeCheckpoint(of: training) }
            log(
                "stopped after episode \(training.returns.count); checkpoint \(written.url.path). Continue with: fedhpd train --resume \(folder.url.path)"
            )
            return false
        }
        // End-of-run checkpoint, policies, results (summary.json last), then the checkpoints go: a failed write
        // names the file and a rerun finishes from the checkpoint.
        do { try folder.complete(training, thresholds: environment.thresholds) } catch {
            guard let kept = folder.finishedCheckpoint(episodes: configuration.episodes) else {
                // The end-of-run checkpoint itself could not be written: say what is left, never that it is kept.
                let earlier = folder.checkpointFiles().first.map { "the newest checkpoint left is \($0.path)" }
                throw CommandError(
                    "\(error); the finished training could not be saved (\(earlier ?? "no checkpoint is left")): "
                        + "fix the cause and run the same command again")
            }
            throw CommandError(
                "\(error); the finished training is kept in \(kept.path): "
                    + "fix the cause and run the same command again (or fedhpd train --resume \(folder.url.path)) to write the results"
            )
        }
        summariseExclusions(of: training)
        let summary = RunSummary(
            configuration: configuration, returns: training.returns, thresholds: environment.thresholds,
            exclusions: training.exclusions)
        log(
            String(
                format: "%@: system whole-run %.1f, last-100 %.1f  (%@)", configuration.runName,
                summary.system.wholeRunMean, summary.system.last100Mean, folder.url.path))
        return true
    }

    /// Shown even with --quiet (a result the user must know about): every agent that left the federation after
    /// diverging, and how many reports were excluded from a consensus (each one is in summary.json's exclusions).
    func summariseExclusions(of training: FederatedTraining) {
        let name = training.configuration.runName
        let departures = training.exclusions.filter { $0.contains("left the federation") }
        var text = departures.map { "warning: \(name): \($0)\n" }.joined()
        let reports = training.exclusions.filter { !$0.contains("left the federation") }
        if let first = reports.first {
            text +=
                "warning: \(name): \(reports.count) report(s) were excluded from a consensus (first: \(first)); "
                + "every one is listed in summary.json's exclusions\n"
        }
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// The run's trainer, its agents warm-started from the configuration's initial policies if it has them.
    func makeTraining(
        _ configuration: FederationConfiguration, environment: EnvironmentSpecification, publicStates: PublicStateSet?,
        threads: Int
    ) throws -> FederatedTraining {
        let training = try FederatedTraining(
            configuration: configuration, environment: environment, publicStates: publicStates, threads: threads)
        if let initialPolicies = configuration.initialPolicies {
            do { try training.loadInitialPolicies(initialPolicies) } catch {
                throw CommandError("--init-policies: \(error)")
            }
        }
        return training
    }

    /// `--resume RUN_DIR`: rebuilds the run from its config.json and continues from the newest valid checkpoint.
    /// Configuration flags (or a `--config` file) must match the run's configuration (`ResumeCheck`).
    func resumeRun(at path: String, requested: RunChoices) throws {
        let folder = RunFolder(url: URL(fileURLWithPath: path))
        let configuration: FederationConfiguration
        do { configuration = try folder.readConfiguration() } catch {
            throw CommandError("--resume \(path): no readable config.json (\(error))")
        }
        let setup = RunSetup(quiet: quiet)
        let differences = try ResumeCheck(recorded: configuration, folder: folder)
            .differences(requested, federation: federation, setup: setup)
        guard differences.isEmpty else {
            throw CommandError(
                "--resume \(path): the flags given differ from the run's configuration:\n  "
                    + differences.joined(separator: "\n  ")
                    + "\n(resume with the run's values or none; --threads, --checkpoint-every, --save-every, --tensorboard and --quiet may change)"
            )
        }
        if let threads = requested.threads, !(1...4096).contains(threads) {
            throw CommandError("--threads must be in 1...4096, got \(threads)")
        }
        if folder.isComplete {
            log("\(configuration.runName) is already complete")
            return
        }
        let environment = try Catalog.all.specification(for: configuration.environment)
        var publicStateSet: PublicStateSet?
        if let record = configuration.publicStates {
            guard let file = record.path else {
                throw CommandError("--resume: config.json does not say where the public state set is")
            }
            let loaded = try setup.loadPublicStates(file, environment: environment)
            guard loaded.checksum == record.checksum else {
                throw CommandError(
                    "--resume: \(file) has changed since the run started (checksum \(loaded.checksum), expected \(record.checksum))"
                )
            }
            publicStateSet = PublicStateSet(states: loaded.states, source: record.source, filePath: file)
        }
        let training = try makeTraining(
            configuration, environment: environment, publicStates: publicStateSet,
            threads: requested.threads ?? RunChoices.Defaults.threads)
        guard try execute(training, in: folder, environment: environment) else { throw ExitCode(130) }
    }

    func log(_ message: String) { RunSetup(quiet: quiet).log(message) }

    /// Runs a write, turning a file-system failure into a message naming the file and the cause.
    func writing<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as FileSystemError { throw CommandError(error.description) }
    }
}
