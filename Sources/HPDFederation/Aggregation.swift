import HPDTensor

/// How the server turns the agents' distributions on one part of the public state set into a consensus.
/// Implement it to plug in weighted or robust means.
public protocol AggregationStrategy: Sendable {
    /// A short name recorded in config.json (e.g. `arithmetic-mean`).
    var name: String { get }

    /// The consensus of `distributions`, given in agent-index order (all of one family and shape).
    func aggregate(_ distributions: [ActionDistribution]) -> ActionDistribution

    /// The consensus of the reports of the agents `agentIndices` (0-based, ascending; agents whose report was
    /// rejected are absent). The default ignores the indices and calls `aggregate(_:)`; weighted strategies use them.
    func aggregate(_ distributions: [ActionDistribution], agentIndices: [Int]) -> ActionDistribution

    /// The consensus with what the server knows besides the reports (e.g. recent returns, for weighted means). The
    /// default ignores the context and calls `aggregate(_:agentIndices:)`, so strategies written before the context
    /// existed keep working.
    func aggregate(
        _ distributions: [ActionDistribution], agentIndices: [Int], context: AggregationContext
    ) -> ActionDistribution
}

extension AggregationStrategy {
    public var name: String { String(describing: Self.self) }

    public func aggregate(_ distributions: [ActionDistribution], agentIndices: [Int]) -> ActionDistribution {
        aggregate(distributions)
    }

    public func aggregate(
        _ distributions: [ActionDistribution], agentIndices: [Int], context: AggregationContext
    ) -> ActionDistribution {
        aggregate(distributions, agentIndices: agentIndices)
    }
}

/// The arithmetic mean (FedHPD's aggregation): P̄ = (1/K) Σ_k P_k for probabilities; for Gaussians the mean of the
/// means and, separately, the mean of the standard deviations. Sums run in agent-index order, so the result never
/// depends on which agent answered first.
public struct ArithmeticMean: AggregationStrategy {
    /// The (stateless) arithmetic mean.
    public init() {}

    public var name: String { "arithmetic-mean" }

    /// P̄ = (1/K) Σ_k P_k (categorical), or (1/K) Σ_k μ_k and (1/K) Σ_k σ_k (Gaussian).
    public func aggregate(_ distributions: [ActionDistribution]) -> ActionDistribution {
        Precondition.check(!distributions.isEmpty, "aggregate: no distributions")
        let weight = 1 / Float(distributions.count)
        switch distributions[0] {
        case .categorical:
            var total: Tensor?
            for distribution in distributions {
                guard case .categorical(let probabilities) = distribution else {
                    Precondition.failure("mixed families")
                }
                if total == nil { total = probabilities } else { total!.add(probabilities) }
            }
            return .categorical(probabilities: total! * weight)
        case .gaussian:
            var meanTotal: Tensor?
            var deviationTotal: Tensor?
            for distribution in distributions {
                guard case .gaussian(let mean, let deviation) = distribution else {
                    Precondition.failure("mixed families")
                }
                if meanTotal == nil {
                    (meanTotal, deviationTotal) = (mean, deviation)
                } else {
                    meanTotal!.add(mean)
                    deviationTotal!.add(deviation)
                }
            }
            return .gaussian(mean: meanTotal! * weight, standardDeviation: deviationTotal! * weight)
        }
    }
}
