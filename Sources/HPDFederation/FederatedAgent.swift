import HPDTensor

/// The black-box interface through which a server sees an agent: action distributions on given states in, a
/// consensus to digest out. No weights, gradients or architectures cross it — the types do not allow it.
public protocol FederatedAgent: AnyObject {
    /// The family and width of the distributions this agent reports.
    var distributionFamily: DistributionFamily { get }

    /// Knowledge extraction: π_k(·|s) for every row of `states` (no tape, no parameter change).
    func actionDistribution(on states: Tensor) -> ActionDistribution

    /// Knowledge digestion: one optimiser step pulling the agent toward `consensus` on `states`; returns the loss
    /// before the step.
    func digest(consensus: ActionDistribution, on states: Tensor, loss: DigestionLoss) -> Float
}

/// The loss an agent minimises when it digests a consensus.
public enum DigestionLoss: String, Codable, Sendable {
    /// FedHPD: discrete KL(consensus ‖ local) "batchmean"; Gaussian KL(local ‖ consensus) mean over states and
    /// dimensions (the reference's directions).
    case klDivergence
    /// DPA-FedRL: Σ_a (π_k(a|s) − avg(a|s))² summed over the given states.
    case squaredError
}

/// An agent that also learns locally: what the training loop drives between distillation events.
public protocol LocalLearningAgent: FederatedAgent {
    /// Plays one episode and takes one local update; returns the episode's return.
    func trainOneEpisode() -> EpisodeReport
}

/// The outcome of one local episode.
public struct EpisodeReport: Sendable, Equatable {
    /// The undiscounted return.
    public var episodeReturn: Double
    /// The number of environment steps.
    public var steps: Int
    /// Seconds spent acting in the environment.
    public var rolloutSeconds: Double
    /// Seconds spent in the REINFORCE update.
    public var updateSeconds: Double
    /// The local update's loss (REINFORCE −Σ log π(a|s)·Ĝ, A2C's or PPO's), nil when the agent does not report it.
    public var updateLoss: Float?

    /// A report of one episode.
    public init(
        episodeReturn: Double, steps: Int, rolloutSeconds: Double, updateSeconds: Double, updateLoss: Float? = nil
    ) {
        self.episodeReturn = episodeReturn
        self.steps = steps
        self.rolloutSeconds = rolloutSeconds
        self.updateSeconds = updateSeconds
        self.updateLoss = updateLoss
    }
}
