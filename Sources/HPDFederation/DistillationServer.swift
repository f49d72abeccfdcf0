import HPDTensor

/// The in-process FedHPD server: it owns the public state set and the digestion schedule, and sees agents only
/// through `FederatedAgent`; each event is a `DistillationEvent` whose consensus comes from `LocalAggregation`.
///
/// One distillation event = `loops` passes over the contiguous parts P of the public set, in file order. For each
/// part: (1) knowledge extraction — every agent reports π_k(·|s), s ∈ P; (2) aggregation — the consensus is the
/// strategy's mean of the reports; (3) digestion — every agent takes one optimiser step toward the consensus.
/// Reports that fail validation (NaN, negative or non-normalised probabilities, wrong shape) are left out of the
/// consensus and recorded.
public struct DistillationServer: Sendable {
    /// The contiguous parts of the public state set, in file order.
    public let parts: [Tensor]
    /// Passes over all parts per event.
    public let loops: Int
    /// How reports are combined.
    public let aggregation: AggregationStrategy
    /// 0-based indices of agents whose uploads are replaced by `ActionDistribution.confidentlyWrong()` (simulated
    /// adversaries; `--adversarial-agents`).
    public let adversarialAgents: Set<Int>

    /// Splits `publicStates` into contiguous parts of at most `partSize` states; each event makes `loops` passes over
    /// them, combining reports with `aggregation`.
    public init(
        publicStates: PublicStateSet, partSize: Int, loops: Int, aggregation: AggregationStrategy = ArithmeticMean(),
        adversarialAgents: Set<Int> = []
    ) {
        self.parts = publicStates.parts(partSize: partSize)
        self.loops = loops
        self.aggregation = aggregation
        self.adversarialAgents = adversarialAgents
    }

    /// The digestion losses of one event: one row per (loop, part), one loss per agent (NaN for excluded agents),
    /// plus which agents were left out of which part.
    ///
    /// Work is scheduled as flat lists of (agent, chunk) jobs (`ChunkedFederatedAgent`; other agents count as one
    /// chunk), largest first, so every thread stays busy even when one agent dominates; each agent then combines its
    /// chunks in chunk order, so the results do not depend on the thread count.
    ///
    /// Only `participants` (0-based; nil: every agent) report and digest; the others' losses are NaN. `context` is
    /// handed to the aggregation strategy (recent returns, for weighted means).
    public func runEvent(
        agents: [any FederatedAgent], executor: ParallelExecutor, participants: [Int]? = nil,
        context: AggregationContext = AggregationContext()
    ) -> DistillationEventResult {
        let positions = DistillationSchedule.eventSteps(episode: 0, loops: loops, partCount: parts.count)
        let event = DistillationEvent(
            agents: agents, parts: parts, positions: positions, participants: participants.map { Set($0) },
            adversarialAgents: adversarialAgents, loss: .klDivergence)
        var source = LocalAggregation(
            aggregation: aggregation, families: agents.map(\.distributionFamily), context: context)
        return event.run(source: &source, executor: executor)
    }
}

/// One digestion step of every agent on one part.
public struct DistillationStep: Sendable, Equatable, Codable {
    /// 1-based loop index.
    public var loop: Int
    /// 1-based part index.
    public var part: Int
    /// Each agent's loss before its step (NaN when excluded).
    public var losses: [Float]

    public init(loop: Int, part: Int, losses: [Float]) {
        self.loop = loop
        self.part = part
        self.losses = losses
    }
}

/// The outcome of one distillation event.
public struct DistillationEventResult: Sendable, Equatable {
    /// One row per (loop, part), in the order they ran.
    public var steps: [DistillationStep]
    /// Human-readable notes about reports left out of the consensus.
    public var exclusions: [String]
}
