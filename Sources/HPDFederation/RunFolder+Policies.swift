import Foundation
import HPDNN

/// Trained policies inside a run folder: `policies/agent-<k>.safetensors` (k from 1) at the end of a run, and
/// snapshots `policies/episode-<e>/agent-<k>.safetensors` when asked for. Every file is written atomically; the
/// checkpoint clean-up at the end of a run leaves them in place.
extension RunFolder {
    /// `<run folder>/policies`.
    public var policiesURL: URL { url.appendingPathComponent("policies") }

    /// The file of agent `agent` (from 1): the final one, or the snapshot after `episode`.
    public func policyURL(agent: Int, episode: Int? = nil) -> URL {
        let folder = episode.map { policiesURL.appendingPathComponent("episode-\($0)") } ?? policiesURL
        return folder.appendingPathComponent("agent-\(agent).safetensors")
    }

    /// Writes every agent's current policy (final files, or a snapshot after `episode`); an agent excluded after
    /// diverging has no file (its weights are not finite). Agents must be `ReinforceAgent`s: only their owner can
    /// read their weights.
    public func writePolicies(of training: FederatedTraining, episode: Int? = nil) throws {
        let excluded = training.excludedAgents
        for (index, anyAgent) in training.agents.enumerated() where !excluded.contains(index) {
            guard let agent = anyAgent as? ReinforceAgent else {
                throw FederationError.invalidConfiguration(
                    "policy files support ReinforceAgent only; agent \(index + 1) is \(type(of: anyAgent))")
            }
            let file = policyURL(agent: index + 1, episode: episode)
            try FileSystemError.writing(file) {
                try SavedPolicy(
                    policy: agent.learner.policy, environment: training.configuration.environment,
                    actionSpace: agent.learner.environment.actionSpace, runSeed: training.configuration.seed,
                    agentIndex: index + 1, episodesTrained: agent.learner.episodesPlayed
                ).write(to: file)
            }
        }
    }

    /// The final policy files present, as (agent k, file), ordered by k.
    public func policyFiles() -> [(agent: Int, url: URL)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: policiesURL.path)) ?? []
        return names.compactMap { name -> (Int, URL)? in
            guard name.hasPrefix("agent-"), name.hasSuffix(".safetensors"),
                let agent = Int(name.dropFirst("agent-".count).dropLast(".safetensors".count)), agent > 0
            else { return nil }
            return (agent, policiesURL.appendingPathComponent(name))
        }.sorted { $0.0 < $1.0 }
    }
}
