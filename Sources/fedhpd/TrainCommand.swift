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

    @Option(help: "Environment id: CartPole-v1, LunarLander-v3, InvertedPendulum-v4 (v2 names accepted; default: \(TrainCommand.defaults.env)).")
    var env: String?
    @Option(help: "'paper' for the reference's ten agents, or a JSON file with an array of agents (default: \(TrainCommand.defaults.agents)).")
    var agents: String?
    @Option(help: "Comma-separated methods: fedhpd, nofed, dpa (default: \(TrainCommand.defaults.method)).")
    var method: String?
    @Option(help: "Comma-separated distillation intervals d (episodes between events; default: \(TrainCommand.defaults.interval)).")
    var interval: String?
    @Option(help: "Episodes per agent (default: the paper's for the environment).")
    var episodes: Int?
    @Option(help: "Comma-separated run seeds (default: \(TrainCommand.defaults.seeds)).")
    var seeds: String?
    @Option(name: .customLong("public-states"), help: "'auto' (build and cache one per seed) or a CSV file (default: \(TrainCommand.defaults.publicStates)).")
    var publicStates: String?
    @Option(name: .customLong("public-states-method"), help: "For auto: equal-per-cluster (the reference's recipe; alias cluster), single-cluster or uniform (alias random; default: \(TrainCommand.defaults.publicStatesMethod)).")
    var publicStatesMethod: String?
    @Option(help: "Worker threads for the agents (default: the core count, \(TrainCommand.defaults.threads)). Results do not depend on it.")
    var threads: Int?
    @Option(help: "Root folder for the run folders (default: \(TrainCommand.defaults.out)).")
    var out: String?
    @Option(help: "Digestion loops per distillation event (default: \(TrainCommand.defaults.loops)).")
    var loops: Int?
    @Option(name: .customLong("part-size"), help: "States per part of the public state set (default: \(TrainCommand.defaults.partSize)).")
    var partSize: Int?
    @Option(help: "A JSON file holding any of these options (flags given on the command line win).")
    var config: String?
    @Option(name: .customLong("checkpoint-every"), help: "Write a checkpoint every N episodes (0: never).")
    var checkpointEvery = 100
    @Option(name: .customLong("save-every"), help: "Also keep every agent's policy every N episodes under policies/episode-<e>/ (0: only at the end).")
    var saveEvery = 0
    @Option(name: .customLong("init-policies"), help: "Warm start: agent k starts from DIR/agent-<k>.safetensors (written by fedhpd train or PyTorch).")
    var initPolicies: String?
    @Option(help: "Resume the run in this run folder (the one holding config.json) from its newest valid checkpoint.")
    var resume: String?
    @Flag(help: "Also write TensorBoard event files under RUN_DIR/tensorboard/ while training (also when resuming).")
    var tensorboard = false
    @Flag(help: "Print only errors and the final table.")
    var quiet = false
    @OptionGroup var kernels: KernelOptions
    @OptionGroup var federation: FederationChoiceOptions

    func validate() throws {
        guard saveEvery >= 0 else { throw ValidationError("--save-every must be 0 or positive, got \(saveEvery)") }
    }

    func run() throws {
        try kernels.apply()
        if let resume { return try resumeRun(at: resume) }
        let options = try resolvedOptions()
        let catalog = Catalog.all
        let environment = try catalog.specification(for: options.env)
        let setup = RunSetup(quiet: quiet)
        let agents = try setup.loadAgents(options.agents, environment: environment)
        let methods = try options.method.split(separator: ",").map { name -> FederationConfiguration.Method in
            guard let method = FederationConfiguration.Method(rawValue: name.trimmingCharacters(in: .whitespaces).lowercased()) else {
                throw CommandError("unknown method '\(name)'; use fedhpd, nofed or dpa")
            }
            return method
        }
        let intervals = try parseList(options.interval, name: "interval").map { Int($0) }
        let seeds = try parseList(options.seeds, name: "seeds")
        let episodes = options.episodes ?? environment.defaultEpisodes
        let root = URL(fileURLWithPath: options.out)
        var initialPolicies: InitialPoliciesRecord?
        if let initPolicies {
            do { initialPolicies = try InitialPoliciesRecord(folder: URL(fileURLWithPath: initPolicies), agentCount: agents.count) } catch {
                throw CommandError("--init-policies: \(error)")
            }
        }
        var finished: [URL] = []
        var settings: [(FederationConfiguration.Method, Int)] = []
        for method in methods {
            if method == .nofed { settings.append((method, 1)) } else { for interval in intervals { settings.append((method, interval)) } }
        }
        if federation.isSet && !methods.contains(.fedhpd) {
            throw CommandError("--aggregation, --participation, --dropout-probability and --adversarial-agents apply to --method fedhpd")
        }
        // Refuse bad choices before anything is built or written (public states, run folders).
        var probe = FederationConfiguration(
            environment: environment.id, method: .fedhpd, interval: 1, episodes: 1, seed: 0, agents: agents)
        try federation.apply(to: &probe)
        let startTime = Date()
        for (method, interval) in settings {
            for seed in seeds {
                var publicStateSet: PublicStateSet?
                if method == .fedhpd {
                    publicStateSet = try setup.resolvePublicStates(
                        options.publicStates, method: options.publicStatesMethod, environment: environment, seed: seed, root: root)
                }
                var configuration = FederationConfiguration(
                    environment: environment.id, method: method, interval: interval, episodes: episodes, seed: seed,
                    loops: options.loops, partSize: options.partSize, agents: agents,
                    publicStates: publicStateSet.map(PublicStatesRecord.init))
                configuration.initialPolicies = initialPolicies
                if method == .fedhpd { try federation.apply(to: &configuration) }
                do { try configuration.validate() } catch { throw CommandError("\(error)") }
                let folder = RunFolder(root: root, configuration: configuration)
                if try setup.existingRun(in: folder, configuration: configuration) == .complete {
                    log("skipping \(configuration.runName): already complete")
                    finished.append(folder.url)
                    continue
                }
                // Built (and warm-started) before anything is written, so a refused policy file leaves no run folder.
                let training = try makeTraining(configuration, environment: environment, publicStates: publicStateSet, threads: options.threads)
                if !FileManager.default.fileExists(atPath: folder.configurationURL.path) { try folder.writeConfiguration(configuration) }
                guard try execute(training, in: folder, environment: environment) else { throw ExitCode(130) }
                finished.append(folder.url)
            }
        }
        if settings.count > 1 || seeds.count > 1 {
            let comparison = try Comparison(runFolders: finished, thresholds: environment.thresholds)
            print("\n" + comparison.table())
        }
        log(String(format: "total wall time %.1f s", Date().timeIntervalSince(startTime)))
    }

    /// Resumes (if checkpoints exist), trains to the end with periodic checkpoints and writes the results.
    /// Returns false when stopped by SIGINT/SIGTERM (after writing a checkpoint).
    func execute(_ training: FederatedTraining, in folder: RunFolder, environment: EnvironmentSpecification) throws -> Bool {
        let configuration = training.configuration
        let resumedFrom = try folder.restoreNewestCheckpoint(into: training)
        if resumedFrom > 0 { log("\(configuration.runName): resuming after episode \(resumedFrom)") }
        let stop = StopSignal.shared
        let progress = ProgressReporter(label: configuration.runName, total: configuration.episodes, quiet: quiet)
        let liveLog = try LiveRunLog(folder: folder, training: training)
        let tensorBoardLog = tensorboard ? try TensorBoardLog(folder: folder, training: training) : nil
        var checkpointError: Error?
        training.run(
            progress: { done in
                progress.update(done: done, returns: training.returns)
                do {
                    try liveLog.append(from: training)
                    try tensorBoardLog?.append(from: training)
                } catch { checkpointError = error }
                if saveEvery > 0 && done % saveEvery == 0 && done < configuration.episodes {
                    do { try folder.writePolicies(of: training, episode: done) } catch { checkpointError = error }
                }
                if checkpointEvery > 0 && done % checkpointEvery == 0 && done < configuration.episodes {
                    do { try folder.writeCheckpoint(of: training) } catch { checkpointError = error }
                }
            },
            shouldContinue: { !stop.isRequested && checkpointError == nil })
        progress.finish()
        if let checkpointError { throw checkpointError }
        if !training.isFinished {
            let written = try folder.writeCheckpoint(of: training)
            log("stopped after episode \(training.returns.count); checkpoint \(written.url.path). Continue with: fedhpd train --resume \(folder.url.path)")
            return false
        }
        try folder.writePolicies(of: training)  // before summary.json, the completion marker
        try folder.writeResults(of: training, thresholds: environment.thresholds)
        try? FileManager.default.removeItem(at: folder.checkpointsURL)  // the run is complete: results are final
        let summary = RunSummary(configuration: configuration, returns: training.returns, thresholds: environment.thresholds, exclusions: training.exclusions)
        log(String(format: "%@: system whole-run %.1f, last-100 %.1f  (%@)", configuration.runName, summary.system.wholeRunMean, summary.system.last100Mean, folder.url.path))
        return true
    }

    /// The run's trainer, its agents warm-started from the configuration's initial policies if it has them.
    func makeTraining(
        _ configuration: FederationConfiguration, environment: EnvironmentSpecification, publicStates: PublicStateSet?, threads: Int
    ) throws -> FederatedTraining {
        let training = try FederatedTraining(
            configuration: configuration, environment: environment, publicStates: publicStates, threads: threads)
        if let initialPolicies = configuration.initialPolicies {
            do { try training.loadInitialPolicies(initialPolicies) } catch { throw CommandError("--init-policies: \(error)") }
        }
        return training
    }

    /// `--resume RUN_DIR`: rebuilds the run from its config.json and continues from the newest valid checkpoint.
    func resumeRun(at path: String) throws {
        let folder = RunFolder(url: URL(fileURLWithPath: path))
        let configuration: FederationConfiguration
        do { configuration = try folder.readConfiguration() } catch {
            throw CommandError("--resume \(path): no readable config.json (\(error.localizedDescription))")
        }
        var given: [String] = []
        if env != nil { given.append("env") }
        if agents != nil { given.append("agents") }
        if method != nil { given.append("method") }
        if interval != nil { given.append("interval") }
        if seeds != nil { given.append("seeds") }
        if publicStates != nil { given.append("public-states") }
        if loops != nil { given.append("loops") }
        if partSize != nil { given.append("part-size") }
        if episodes != nil { given.append("episodes") }
        if initPolicies != nil { given.append("init-policies") }
        if federation.isSet { given.append("federation choices") }
        if !given.isEmpty {
            var requested = configuration
            if federation.isSet && configuration.method != .fedhpd {
                throw CommandError("--resume: this \(configuration.settingLabel) run takes no federation choices")
            }
            if configuration.method == .fedhpd { try federation.apply(to: &requested) }
            if let episodes { requested.episodes = episodes }
            if let loops { requested.loops = loops }
            if let partSize { requested.partSize = partSize }
            if let interval, let value = Int(interval) { requested.interval = value }
            if let seeds, let value = UInt64(seeds) { requested.seed = value }
            if let method, let value = FederationConfiguration.Method(rawValue: method) { requested.method = value }
            if let env { requested.environment = (try? Catalog.all.specification(for: env).id) ?? env }
            let differing = ConfigurationDifference.fields(configuration, requested)
            guard differing.isEmpty else {
                throw CommandError("--resume: the run folder's configuration differs from the flags given in: \(differing.joined(separator: ", "))")
            }
        }
        if folder.isComplete {
            log("\(configuration.runName) is already complete")
            return
        }
        let environment = try Catalog.all.specification(for: configuration.environment)
        var publicStateSet: PublicStateSet?
        if let record = configuration.publicStates {
            guard let file = record.path else { throw CommandError("--resume: config.json does not say where the public state set is") }
            let loaded = try PublicStateSet.load(from: URL(fileURLWithPath: file), observationSize: environment.observationSize)
            guard loaded.checksum == record.checksum else {
                throw CommandError("--resume: \(file) has changed since the run started (checksum \(loaded.checksum), expected \(record.checksum))")
            }
            publicStateSet = PublicStateSet(states: loaded.states, source: record.source, filePath: file)
        }
        let training = try makeTraining(
            configuration, environment: environment, publicStates: publicStateSet, threads: threads ?? ParallelExecutor.coreCount)
        guard try execute(training, in: folder, environment: environment) else { throw ExitCode(130) }
    }

    func log(_ message: String) { RunSetup(quiet: quiet).log(message) }

    func parseList(_ text: String, name: String) throws -> [UInt64] {
        try text.split(separator: ",").map { item in
            guard let value = UInt64(item.trimmingCharacters(in: .whitespaces)) else {
                throw CommandError("--\(name): '\(item)' is not a non-negative integer")
            }
            return value
        }
    }

    /// Every default of the options above, declared once (help prints them).
    static let defaults = Options()

    struct Options: Codable {
        var env = "CartPole-v1"
        var agents = "paper"
        var method = "fedhpd"
        var interval = "5"
        var episodes: Int?
        var seeds = "20"
        var publicStates = "auto"
        var publicStatesMethod = "equal-per-cluster"
        var threads = ParallelExecutor.coreCount
        var out = "runs"
        var loops = 5
        var partSize = 2500
    }

    /// Defaults, overridden by the --config file, overridden by flags.
    func resolvedOptions() throws -> Options {
        var options = Options()
        if let config {
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: config))
                let file = try JSONDecoder().decode(PartialOptions.self, from: data)
                file.apply(to: &options)
            } catch { throw CommandError("--config \(config): \(error)") }
        }
        PartialOptions(
            env: env, agents: agents, method: method, interval: interval, episodes: episodes, seeds: seeds,
            publicStates: publicStates, publicStatesMethod: publicStatesMethod, threads: threads, out: out, loops: loops,
            partSize: partSize
        ).apply(to: &options)
        guard options.threads > 0 else { throw CommandError("--threads must be positive") }
        if let episodes = options.episodes, episodes <= 0 { throw CommandError("--episodes must be positive") }
        return options
    }

    struct PartialOptions: Codable {
        var env: String?
        var agents: String?
        var method: String?
        var interval: String?
        var episodes: Int?
        var seeds: String?
        var publicStates: String?
        var publicStatesMethod: String?
        var threads: Int?
        var out: String?
        var loops: Int?
        var partSize: Int?

        func apply(to options: inout Options) {
            if let env { options.env = env }
            if let agents { options.agents = agents }
            if let method { options.method = method }
            if let interval { options.interval = interval }
            if let episodes { options.episodes = episodes }
            if let seeds { options.seeds = seeds }
            if let publicStates { options.publicStates = publicStates }
            if let publicStatesMethod { options.publicStatesMethod = publicStatesMethod }
            if let threads { options.threads = threads }
            if let out { options.out = out }
            if let loops { options.loops = loops }
            if let partSize { options.partSize = partSize }
        }
    }
}
