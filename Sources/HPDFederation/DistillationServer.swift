import HPDTensor

/// The FedHPD server: it owns the public state set and the digestion schedule, and sees agents only through
/// `FederatedAgent`.
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
        let workers: [any ChunkedFederatedAgent] = agents.map { $0 as? ChunkedFederatedAgent ?? WholeAgentWork($0) }
        let taking = Set(participants ?? Array(agents.indices))
        var rows: [DistillationStep] = []
        var exclusions: [String] = []
        for loop in 0..<loops {
            for (partIndex, part) in parts.enumerated() {
                let extraction = workers.indices.map { taking.contains($0) ? workers[$0].beginExtraction(on: part) : nil }
                executor.runChunks(extraction) { workers[$0].extract(chunk: $1) }
                let reports = executor.map(workers.count) { index -> ActionDistribution? in
                    guard extraction[index] != nil else { return nil }
                    let report = workers[index].finishExtraction()
                    return adversarialAgents.contains(index) ? report.confidentlyWrong() : report
                }
                var accepted: [ActionDistribution] = []
                var acceptedIndices: [Int] = []
                for (index, report) in reports.enumerated() {
                    guard let report else { continue }
                    do {
                        try report.validate(expectedFamily: agents[index].distributionFamily, stateCount: part.rows)
                        accepted.append(report)
                        acceptedIndices.append(index)
                    } catch {
                        exclusions.append("loop \(loop + 1) part \(partIndex + 1): agent \(index + 1) excluded: \(error)")
                    }
                }
                guard !accepted.isEmpty else {
                    rows.append(DistillationStep(loop: loop + 1, part: partIndex + 1, losses: Array(repeating: .nan, count: agents.count)))
                    continue
                }
                let consensus = aggregation.aggregate(accepted, agentIndices: acceptedIndices, context: context)
                let digestion = workers.indices.map { index in
                    acceptedIndices.contains(index)
                        ? workers[index].beginDigestion(consensus: consensus, on: part, loss: .klDivergence) : nil
                }
                executor.runChunks(digestion) { workers[$0].digest(chunk: $1) }
                let losses = executor.map(agents.count) { index -> Float in
                    digestion[index] == nil ? .nan : workers[index].finishDigestion()
                }
                rows.append(DistillationStep(loop: loop + 1, part: partIndex + 1, losses: losses))
            }
        }
        return DistillationEventResult(steps: rows, exclusions: exclusions)
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
