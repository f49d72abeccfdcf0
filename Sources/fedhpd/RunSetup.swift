import ArgumentParser
import Foundation
import HPDFederation
import HPDRL

/// The set-up every run command shares — `train`, `serve` and `join` call it directly: the agent roster, the public
/// state set (built and cached, or loaded) and the check of an existing run folder.
struct RunSetup {
    /// Whether progress notes are suppressed.
    var quiet: Bool

    /// A note on standard error (unless quiet).
    func log(_ message: String) {
        if !quiet { FileHandle.standardError.write(Data((message + "\n").utf8)) }
    }

    /// What a run folder already holds.
    enum ExistingRun: Equatable {
        /// No config.json yet.
        case none
        /// The same configuration, not finished (it resumes from its checkpoints).
        case incomplete
        /// The same configuration, finished (summary.json exists).
        case complete
    }

    /// Compares `folder`'s config.json (if any) with `configuration`; a different configuration is refused, naming
    /// the fields that differ.
    func existingRun(in folder: RunFolder, configuration: FederationConfiguration) throws -> ExistingRun {
        guard let existing = try? folder.readConfiguration() else { return .none }
        guard existing == configuration else {
            throw CommandError(
                "\(folder.url.path) holds a run with another configuration (differs in: "
                    + ConfigurationDifference.fields(existing, configuration).joined(separator: ", ")
                    + "); choose another --out or remove it")
        }
        return folder.isComplete ? .complete : .incomplete
    }

    /// The agents of `source`: 'paper' (the environment's preset) or a JSON file read strictly
    /// (`AgentFileEntry.readAgents`); an error names `--agents`, the file, the entry and the field.
    func loadAgents(_ source: String, environment: EnvironmentSpecification) throws -> [AgentSpecification] {
        if source == "paper" { return environment.presetAgents }
        do {
            return try AgentFileEntry.readAgents(
                from: URL(fileURLWithPath: source), defaults: environment.agentDefaults)
        } catch let error as FileSystemError {
            throw CommandError("--agents \(source): cannot be read (\(error.reason))")
        } catch {
            throw CommandError("--agents \(error)".replacingOccurrences(of: "invalid configuration: ", with: ""))
        }
    }

    /// The public state set in the CSV file `path`; an error names `--public-states`, the file and the line.
    func loadPublicStates(_ path: String, environment: EnvironmentSpecification) throws -> PublicStateSet {
        do {
            return try PublicStateSet.load(
                from: URL(fileURLWithPath: path), observationSize: environment.observationSize)
        } catch {
            throw CommandError("--public-states: \(error)")
        }
    }

    func resolvePublicStates(
        _ source: String, method: String, environment: EnvironmentSpecification, seed: UInt64, root: URL
    ) throws -> PublicStateSet {
        if source != "auto" { return try loadPublicStates(source, environment: environment) }
        guard let selection = PublicStateBuilder.SelectionMethod(name: method) else {
            throw CommandError(
                "--public-states-method must be \(PublicStateBuilder.SelectionMethod.accepted), got '\(method)'")
        }
        let cache = root.appendingPathComponent("public-states")
            .appendingPathComponent(
                "\(environment.id)__\(selection.rawValue)__seed\(seed)__\(environment.publicStateCount).csv")
        if FileManager.default.fileExists(atPath: cache.path) {
            let loaded = try PublicStateSet.load(from: cache, observationSize: environment.observationSize)
            return PublicStateSet(
                states: loaded.states, source: "auto (cached \(cache.standardizedFileURL.path))",
                filePath: cache.standardizedFileURL.path)
        }
        log(
            "building the public state set for seed \(seed) (virtual agent \(environment.publicStateRecipe.agent.label), \(environment.publicStateRecipe.episodes) episodes)…"
        )
        let built = try PublicStateBuilder(environment: environment).build(
            count: environment.publicStateCount, method: selection, seed: seed)
        try built.write(to: cache)
        return PublicStateSet(
            states: built.states, source: "auto (cached \(cache.standardizedFileURL.path))",
            filePath: cache.standardizedFileURL.path)
    }
}
