import ArgumentParser
import Foundation
import HPDFederation
import HPDNN

/// `fedhpd evaluate`: plays fresh seeded episodes with trained policies, without learning, and reports returns.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate trained policies: a run folder's policies/agent-<k>.safetensors, or one policy file.",
        discussion: """
            Episode i of every agent starts from reset(seed: S + i). Prints per agent mean ± sd, min, max and the share
            of episodes reaching each of the environment's thresholds, then the system mean (mean of the agents' means).
            For a run folder, evaluation.json is written into it (atomically); for a single file only with --json.
            Results are the same for any --threads.
            """)

    @Argument(help: "A run folder (holding policies/) or a .safetensors policy file.")
    var source: String
    @Option(help: "Episodes per agent.")
    var episodes = 100
    @Option(help: "S: episode i resets the environment with seed S + i.")
    var seed: UInt64 = 0
    @Option(help: "greedy (most probable action; Gaussian: the mean) or sample (draw from the policy).")
    var mode: PolicyEvaluation.Mode = .greedy
    @Option(help: "Agents to evaluate, e.g. 1,3-5 (default: all).")
    var agents: AgentSelection?
    @Option(help: "Also write the report as JSON to this file.")
    var json: String?
    @Option(help: "Worker threads (default: the core count). Results do not depend on it.")
    var threads = ParallelExecutor.coreCount

    func validate() throws {
        guard episodes > 0 else { throw ValidationError("--episodes must be positive, got \(episodes)") }
        guard threads > 0 else { throw ValidationError("--threads must be positive, got \(threads)") }
    }

    func run() throws {
        let url = URL(fileURLWithPath: source)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw CommandError("\(source): no such file or folder")
        }
        let files = try policyFiles(at: url, isFolder: isFolder.boolValue)
        var loaded: [(agent: Int, url: URL, saved: SavedPolicy)] = []
        for (agent, file) in files {
            do { loaded.append((agent, file, try SavedPolicy.load(from: file))) } catch {
                throw CommandError("\(error)")
            }
        }
        let environmentID = loaded[0].saved.environment
        if let other = loaded.first(where: { $0.saved.environment != environmentID }) {
            throw CommandError(
                "\(other.url.path): the policy acts in \(other.saved.environment), agent \(loaded[0].agent)'s in \(environmentID)"
            )
        }
        let environment: EnvironmentSpecification
        do { environment = try Catalog.all.specification(for: environmentID) } catch {
            throw CommandError("\(loaded[0].url.path): metadata 'environment': \(error)")
        }
        for item in loaded {
            do { try item.saved.checkFits(environment, path: item.url.path) } catch { throw CommandError("\(error)") }
        }
        let evaluation = PolicyEvaluation(environment: environment, episodes: episodes, seed: seed, mode: mode)
        let returns = try evaluation.returns(of: loaded.map { ($0.agent, $0.saved.policy) }, threads: threads)
        let report = EvaluationReport(
            environment: environment.id, source: url.standardizedFileURL.path, mode: mode, seed: seed,
            episodes: episodes,
            agents: zip(loaded, returns).map { item, returns in
                EvaluationReport.AgentResult(
                    agent: item.agent, file: item.url.standardizedFileURL.path,
                    architecture: item.saved.policy.architecture.summary,
                    episodesTrained: item.saved.episodesTrained, returns: returns, thresholds: environment.thresholds)
            })
        let data = try report.encoded()
        if isFolder.boolValue { try AtomicFile.write(data, to: RunFolder(url: url).evaluationURL) }
        if let json { try AtomicFile.write(data, to: URL(fileURLWithPath: json)) }
        print(report.table(), terminator: "")
    }

    /// The (agent, file) pairs to evaluate: the folder's final policies (filtered by --agents), or the one file.
    func policyFiles(at url: URL, isFolder: Bool) throws -> [(Int, URL)] {
        guard isFolder else {
            let agent = (try? PolicyFile.read(url))?.metadata[SavedPolicy.Key.agentIndex].flatMap { Int($0) } ?? 1
            if let agents, !agents.agents.contains(agent) {
                throw CommandError("--agents: \(url.path) holds agent \(agent), which is not selected")
            }
            return [(agent, url)]
        }
        let folder = RunFolder(url: url)
        let files = folder.policyFiles()
        guard !files.isEmpty else {
            throw CommandError(
                "\(url.path): no policies/agent-<k>.safetensors in this folder (is it a run folder of a finished run?)")
        }
        guard let agents else { return files.map { ($0.agent, $0.url) } }
        let missing = agents.agents.filter { agent in !files.contains { $0.agent == agent } }
        guard missing.isEmpty else {
            throw CommandError(
                "--agents: \(folder.policiesURL.path) has no file for agent(s) \(missing.map(String.init).joined(separator: ","))"
            )
        }
        return files.filter { agents.agents.contains($0.agent) }.map { ($0.agent, $0.url) }
    }
}

extension PolicyEvaluation.Mode: ExpressibleByArgument {}
