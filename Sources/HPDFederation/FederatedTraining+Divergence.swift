import HPDTensor

/// A non-finite number inside an agent: the run cannot go on meaningfully (a NaN weight stays NaN, and every report
/// of the agent would be excluded from every consensus without a word).
public struct Divergence: Error, Equatable, Sendable, CustomStringConvertible {
    /// The agent, from 1.
    public var agent: Int
    /// The episode (from 1) after which it was found.
    public var episode: Int
    /// What is not finite: `local update loss`, `episode return`, `policy parameters`, `distillation loss`.
    public var quantity: String
    /// The offending value, e.g. `nan`.
    public var value: String

    public init(agent: Int, episode: Int, quantity: String, value: String) {
        (self.agent, self.episode, self.quantity, self.value) = (agent, episode, quantity, value)
    }

    /// `agent 3 diverged in episode 12: its distillation loss is nan`.
    public var description: String { "agent \(agent) diverged in episode \(episode): its \(quantity) is \(value)" }
}

/// What a run does when an agent diverges (`FederationConfiguration.onDivergence`).
public enum DivergencePolicy: String, Codable, Sendable, CaseIterable {
    /// Stop the run with the divergence (the default): the last good checkpoint stays.
    case stop
    /// The agent leaves the federation: it trains no more, takes part in no event, its returns from the diverged
    /// episode on are NaN (left out of every summary and curve), and the run goes on with the others.
    case exclude
}

/// The divergence checks of the training loop: after every agent's local episode (its return, its update's loss and
/// its policy's parameters — a non-finite gradient shows as non-finite parameters after the step) and after every
/// distillation event (each digestion loss and, again, the parameters).
extension FederatedTraining {
    /// Agents (0-based) that left the federation after diverging (`--on-divergence exclude`): those whose latest
    /// return is NaN. (An excluded agent's return is NaN in every episode from its divergence on, and under `stop` a
    /// NaN return ends the run, so a NaN always marks an excluded agent; derived from the returns, it survives
    /// checkpoints.)
    public var excludedAgents: Set<Int> {
        guard let latest = returns.last else { return [] }
        return Set(latest.indices.filter { latest[$0].isNaN })
    }

    /// The agents (0-based, in order) still taking part.
    var activeAgentIndices: [Int] {
        let excluded = excludedAgents
        return agents.indices.filter { !excluded.contains($0) }
    }

    /// Applies the configuration's policy to every divergence `find` reports among `candidates` (0-based agents):
    /// `stop` records the first in `divergence` and returns false; `exclude` removes each diverged agent (its return
    /// of this episode becomes NaN, a note goes into `exclusions`) and returns true.
    func handleDivergences(among candidates: [Int], _ find: ([Int]) -> Divergence?) -> Bool {
        var candidates = candidates
        while let found = find(candidates) {
            guard configuration.onDivergence == .exclude else {
                divergence = found
                return false
            }
            returns[returns.count - 1][found.agent - 1] = .nan
            exclusions.append("episode \(found.episode): agent \(found.agent) left the federation: \(found)")
            candidates.removeAll { $0 == found.agent - 1 }
        }
        return true
    }

    /// The first of `candidates` with a non-finite return, loss or parameter after the local episodes of `episode`
    /// (1-based).
    func findDivergence(in reports: [EpisodeReport], episode: Int, among candidates: [Int]) -> Divergence? {
        for index in candidates {
            let report = reports[index]
            if !report.episodeReturn.isFinite {
                return Divergence(
                    agent: index + 1, episode: episode, quantity: "episode return", value: "\(report.episodeReturn)")
            }
            if let loss = report.updateLoss, !loss.isFinite {
                return Divergence(agent: index + 1, episode: episode, quantity: "local update loss", value: "\(loss)")
            }
        }
        return nonFiniteParameters(episode: episode, among: candidates)
    }

    /// The first of `candidates` with an infinite digestion loss or a non-finite parameter after the distillation
    /// event of `episode` (1-based).
    func findDivergence(in steps: [DistillationStep], episode: Int, among candidates: [Int]) -> Divergence? {
        for step in steps {
            // NaN marks an agent that sat the event out (or whose report was excluded); a NaN weight is caught by the
            // parameter check below. An infinite loss is a divergence.
            if let index = candidates.first(where: { step.losses[$0].isInfinite }) {
                return Divergence(
                    agent: index + 1, episode: episode,
                    quantity: "distillation loss (loop \(step.loop), part \(step.part))",
                    value: "\(step.losses[index])")
            }
        }
        return nonFiniteParameters(episode: episode, among: candidates)
    }

    /// The first of `candidates` (a `LearnerAgent`) whose policy holds a non-finite parameter.
    func nonFiniteParameters(episode: Int, among candidates: [Int]) -> Divergence? {
        for index in candidates {
            guard let agent = agents[index] as? LearnerAgent else { continue }
            if let parameter = agent.learner.policy.parameters.first(where: { !$0.value.isFinite }),
                let value = parameter.value.scalars.first(where: { !$0.isFinite })
            {
                return Divergence(agent: index + 1, episode: episode, quantity: "policy parameters", value: "\(value)")
            }
        }
        return nil
    }
}
