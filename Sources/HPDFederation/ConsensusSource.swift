import HPDTensor

/// Where a distillation step's consensus comes from — the one thing that differs between a run in one process
/// (`LocalAggregation`) and a run across processes (the gRPC client asks the server, HPDNetwork).
public protocol ConsensusSource {
    /// What asking for a consensus can fail with (`Never` in process).
    associatedtype Failure: Error

    /// Given every agent's report on `states` at `position` (nil: the agent does not take part in this step),
    /// returns, per agent, the consensus it digests toward (nil: it does not digest this step) and notes about
    /// reports left out.
    mutating func consensus(
        reports: [ActionDistribution?], states: Tensor, at position: DistillationPosition
    ) throws(Failure) -> ConsensusOutcome
}

/// The answer of a `ConsensusSource` for one step.
public struct ConsensusOutcome: Sendable {
    /// Per agent: the consensus to digest toward, or nil when the agent does not digest this step.
    public var targets: [ActionDistribution?]
    /// Human-readable notes about reports left out of the consensus (`loop L part P: agent K excluded: …`).
    public var exclusions: [String]

    public init(targets: [ActionDistribution?], exclusions: [String] = []) {
        self.targets = targets
        self.exclusions = exclusions
    }
}

/// The in-process consensus: reports that fail validation (NaN, negative or non-normalised probabilities, wrong
/// family or shape) are left out and noted; the consensus is `aggregation` over the accepted reports in agent
/// order, and exactly the accepted agents digest toward it. No accepted report: nobody digests.
public struct LocalAggregation: ConsensusSource, Sendable {
    public typealias Failure = Never
    /// How reports are combined.
    public var aggregation: AggregationStrategy
    /// Each agent's distribution family (a report of another family is left out).
    public var families: [DistributionFamily]
    /// Handed to the strategy (recent returns, for weighted means).
    public var context: AggregationContext

    public init(aggregation: AggregationStrategy, families: [DistributionFamily], context: AggregationContext) {
        self.aggregation = aggregation
        self.families = families
        self.context = context
    }

    public func consensus(
        reports: [ActionDistribution?], states: Tensor, at position: DistillationPosition
    ) -> ConsensusOutcome {
        var accepted: [ActionDistribution] = []
        var acceptedIndices: [Int] = []
        var exclusions: [String] = []
        for (index, report) in reports.enumerated() {
            guard let report else { continue }
            do {
                try report.validate(expectedFamily: families[index], stateCount: states.rows)
                accepted.append(report)
                acceptedIndices.append(index)
            } catch {
                exclusions.append("loop \(position.loop) part \(position.part): agent \(index + 1) excluded: \(error)")
            }
        }
        var targets = [ActionDistribution?](repeating: nil, count: reports.count)
        if !accepted.isEmpty {
            let consensus = aggregation.aggregate(accepted, agentIndices: acceptedIndices, context: context)
            for index in acceptedIndices { targets[index] = consensus }
        }
        return ConsensusOutcome(targets: targets, exclusions: exclusions)
    }
}
