import HPDTensor

/// One FedHPD distillation event, written once for every transport:
///
///     for each step (loop ℓ, part P) of the event, in schedule order:
///         (1) knowledge extraction — every taking-part agent reports π_k(·|s), s ∈ P   (adversaries: confidently wrong)
///         (2) consensus            — from the `ConsensusSource` (local aggregation, or the server over gRPC)
///         (3) digestion            — every agent given a consensus takes one optimiser step on `loss` toward it
///
/// Work is scheduled as flat lists of (agent, chunk) jobs (`ChunkedFederatedAgent`; other agents count as one
/// chunk), largest first, so every thread stays busy even when one agent dominates; each agent then combines its
/// chunks in chunk order, so the results do not depend on the thread count.
public struct DistillationEvent {
    /// The agents, in the caller's order (the order of `ConsensusSource` reports and of the losses).
    public let agents: [any FederatedAgent]
    /// The parts of the public state set (part p is `parts[p − 1]`).
    public let parts: [Tensor]
    /// The steps to run, in order.
    public let positions: [DistillationPosition]
    /// Positions in `agents` that report and digest (the others' losses are NaN).
    public let participants: Set<Int>
    /// Positions in `agents` whose uploads are replaced by `ActionDistribution.confidentlyWrong()`.
    public let adversarialAgents: Set<Int>
    /// The digestion loss.
    public let loss: DigestionLoss

    public init(
        agents: [any FederatedAgent], parts: [Tensor], positions: [DistillationPosition], participants: Set<Int>? = nil,
        adversarialAgents: Set<Int> = [], loss: DigestionLoss = .klDivergence
    ) {
        self.agents = agents
        self.parts = parts
        self.positions = positions
        self.participants = participants ?? Set(agents.indices)
        self.adversarialAgents = adversarialAgents
        self.loss = loss
    }

    /// Runs every step; returns one `DistillationStep` per position (each agent's loss before its step, NaN when it
    /// did not digest) and the source's exclusion notes.
    public func run<Source: ConsensusSource>(
        source: inout Source, executor: ParallelExecutor
    ) throws(Source.Failure) -> DistillationEventResult {
        let workers: [any ChunkedFederatedAgent] = agents.map { $0 as? ChunkedFederatedAgent ?? WholeAgentWork($0) }
        var rows: [DistillationStep] = []
        var exclusions: [String] = []
        for position in positions {
            let part = parts[position.part - 1]
            let extraction = workers.indices.map {
                participants.contains($0) ? workers[$0].beginExtraction(on: part) : nil
            }
            executor.runChunks(extraction) { workers[$0].extract(chunk: $1) }
            let reports = executor.map(workers.count) { index -> ActionDistribution? in
                guard extraction[index] != nil else { return nil }
                let report = workers[index].finishExtraction()
                return adversarialAgents.contains(index) ? report.confidentlyWrong() : report
            }
            let outcome = try source.consensus(reports: reports, states: part, at: position)
            exclusions += outcome.exclusions
            let digestion = workers.indices.map { index in
                outcome.targets[index].map { workers[index].beginDigestion(consensus: $0, on: part, loss: loss) }
            }
            executor.runChunks(digestion) { workers[$0].digest(chunk: $1) }
            let losses = executor.map(workers.count) { index -> Float in
                digestion[index] == nil ? .nan : workers[index].finishDigestion()
            }
            rows.append(DistillationStep(loop: position.loop, part: position.part, losses: losses))
        }
        return DistillationEventResult(steps: rows, exclusions: exclusions)
    }
}
