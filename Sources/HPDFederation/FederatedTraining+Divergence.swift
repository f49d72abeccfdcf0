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

/// The divergence checks of the training loop: after every agent's local episode (its return, its update's loss and
/// its policy's parameters — a non-finite gradient shows as non-finite parameters after the step) and after every
/// distillation event (each digestion loss and, again, the parameters).
extension FederatedTraining {
    /// The first non-finite return, loss or parameter after the local episodes of `episode` (1-based).
    func findDivergence(in reports: [EpisodeReport], episode: Int) -> Divergence? {
        for (index, report) in reports.enumerated() {
            if !report.episodeReturn.isFinite {
                return Divergence(agent: index + 1, episode: episode, quantity: "episode return", value: "\(report.episodeReturn)")
            }
            if let loss = report.updateLoss, !loss.isFinite {
                return Divergence(agent: index + 1, episode: episode, quantity: "local update loss", value: "\(loss)")
            }
        }
        return nonFiniteParameters(episode: episode)
    }

    /// The first non-finite digestion loss or parameter after the distillation event of `episode` (1-based).
    func findDivergence(in steps: [DistillationStep], episode: Int) -> Divergence? {
        for step in steps {
            // NaN marks an agent that sat the event out (or whose report was excluded); a NaN weight is caught by the
            // parameter check below. An infinite loss is a divergence.
            if let index = step.losses.firstIndex(where: \.isInfinite) {
                return Divergence(
                    agent: index + 1, episode: episode, quantity: "distillation loss (loop \(step.loop), part \(step.part))",
                    value: "\(step.losses[index])")
            }
        }
        return nonFiniteParameters(episode: episode)
    }

    /// The first agent (a `LearnerAgent`) whose policy holds a non-finite parameter.
    func nonFiniteParameters(episode: Int) -> Divergence? {
        for (index, agent) in agents.enumerated() {
            guard let agent = agent as? LearnerAgent else { continue }
            if let parameter = agent.learner.policy.parameters.first(where: { !$0.value.isFinite }),
                let value = parameter.value.scalars.first(where: { !$0.isFinite }) {
                return Divergence(agent: index + 1, episode: episode, quantity: "policy parameters", value: "\(value)")
            }
        }
        return nil
    }
}
