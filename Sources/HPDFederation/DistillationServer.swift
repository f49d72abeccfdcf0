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

    /// Splits `publicStates` into contiguous parts of at most `partSize` states; each event makes `loops` passes over
    /// them, combining reports with `aggregation`.
    public init(publicStates: PublicStateSet, partSize: Int, loops: Int, aggregation: AggregationStrategy = ArithmeticMean()) {
        self.parts = publicStates.parts(partSize: partSize)
        self.loops = loops
        self.aggregation = aggregation
    }

    /// The digestion losses of one event: one row per (loop, part), one loss per agent (NaN for excluded agents),
    /// plus which agents were left out of which part.
    public func runEvent(agents: [any FederatedAgent], executor: ParallelExecutor) -> DistillationEventResult {
        var rows: [DistillationStep] = []
        var exclusions: [String] = []
        for loop in 0..<loops {
            for (partIndex, part) in parts.enumerated() {
                let reports = executor.map(agents.count) { agents[$0].actionDistribution(on: part) }
                var accepted: [ActionDistribution] = []
                var acceptedIndices: [Int] = []
                for (index, report) in reports.enumerated() {
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
                let consensus = aggregation.aggregate(accepted, agentIndices: acceptedIndices)
                let losses = executor.map(agents.count) { index -> Float in
                    guard acceptedIndices.contains(index) else { return .nan }
                    return agents[index].digest(consensus: consensus, on: part, loss: .klDivergence)
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
