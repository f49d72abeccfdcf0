import Foundation
import HPDTensor

/// What the server knows besides the reports when it aggregates one part.
public struct AggregationContext: Sendable, Equatable {
    /// Agent k's mean return over its last `AggregationContext.recentEpisodes` episodes, indexed by agent (empty when
    /// the caller does not track returns).
    public var recentMeanReturns: [Double]

    /// How many trailing episodes `recentMeanReturns` averages.
    public static let recentEpisodes = 10

    public init(recentMeanReturns: [Double] = []) {
        self.recentMeanReturns = recentMeanReturns
    }

    /// The context of a run whose per-episode returns are `returns[e][k]`.
    public init(returns: [[Double]]) {
        let recent = returns.suffix(Self.recentEpisodes)
        guard let first = recent.first else {
            self.init()
            return
        }
        self.init(
            recentMeanReturns: first.indices.map { agent in recent.reduce(0) { $0 + $1[agent] } / Double(recent.count) }
        )
    }
}

/// The per-coordinate median: for every state and action the median of the agents' probabilities, each row then
/// renormalised to sum to 1 (a row whose medians are all 0 becomes uniform); Gaussians: the median of the means and,
/// separately, of the standard deviations. With K agents a single adversary moves no coordinate past the range of
/// the honest agents' values (breakdown point ⌈K/2⌉ − 1).
public struct CoordinateMedian: AggregationStrategy {
    public init() {}

    public var name: String { "median" }

    public func aggregate(_ distributions: [ActionDistribution]) -> ActionDistribution {
        CoordinateStatistics.combine(distributions) { values in
            let middle = values.count / 2
            return values.count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2
        }
    }
}

/// The trimmed mean: per coordinate the ⌊F·K⌋ lowest and ⌊F·K⌋ highest of the K agents' values are dropped and the
/// rest averaged, rows renormalised as `CoordinateMedian` does; F ∈ [0, 0.5). F = 0 is the arithmetic mean up to
/// summation order.
public struct TrimmedMean: AggregationStrategy {
    /// The share F trimmed at each end.
    public let fraction: Double

    public init(fraction: Double) {
        Precondition.check(fraction >= 0 && fraction < 0.5, "TrimmedMean: fraction \(fraction) is outside [0, 0.5)")
        self.fraction = fraction
    }

    public var name: String { "trimmed:\(AggregationChoice.format(fraction))" }

    public func aggregate(_ distributions: [ActionDistribution]) -> ActionDistribution {
        let trimmed = Int((fraction * Double(distributions.count)).rounded(.down))
        return CoordinateStatistics.combine(distributions) { values in
            let kept = values[trimmed..<(values.count - trimmed)]
            return kept.reduce(0, +) / Float(kept.count)
        }
    }
}

/// The return-weighted mean: agent k's weight is w_k = exp(r̄_k / T) / Σ_j exp(r̄_j / T), a softmax with temperature
/// T (in return units) over each agent's mean return of its last 10 episodes — so agents that currently do better
/// count more, whatever the sign of the returns; T → ∞ gives the arithmetic mean. P̄ = Σ_k w_k P_k (rows stay
/// normalised); Gaussians: Σ w_k μ_k and Σ w_k σ_k. Without returns (no context) all weights are equal.
public struct ReturnWeightedMean: AggregationStrategy {
    /// The temperature T (> 0), in return units.
    public let temperature: Double
    /// The default T: 100 (CartPole returns span 0–500, LunarLander's −300–300).
    public static let defaultTemperature = 100.0

    public init(temperature: Double = ReturnWeightedMean.defaultTemperature) {
        Precondition.check(
            temperature > 0 && temperature.isFinite, "ReturnWeightedMean: temperature \(temperature) must be positive")
        self.temperature = temperature
    }

    public var name: String { "weighted:\(AggregationChoice.format(temperature))" }

    public func aggregate(_ distributions: [ActionDistribution]) -> ActionDistribution {
        ArithmeticMean().aggregate(distributions)
    }

    public func aggregate(
        _ distributions: [ActionDistribution], agentIndices: [Int], context: AggregationContext
    ) -> ActionDistribution {
        guard context.recentMeanReturns.count > (agentIndices.max() ?? 0) else { return aggregate(distributions) }
        let scores = agentIndices.map { context.recentMeanReturns[$0] / temperature }
        let largest = scores.max()!
        let exponentials = scores.map { exp($0 - largest) }
        let total = exponentials.reduce(0, +)
        let weights = exponentials.map { Float($0 / total) }
        switch distributions[0] {
        case .categorical:
            var sum: Tensor?
            for (distribution, weight) in zip(distributions, weights) {
                guard case .categorical(let probabilities) = distribution else {
                    Precondition.failure("mixed families")
                }
                let term = probabilities * weight
                if sum == nil { sum = term } else { sum!.add(term) }
            }
            return .categorical(probabilities: sum!)
        case .gaussian:
            var means: Tensor?
            var deviations: Tensor?
            for (distribution, weight) in zip(distributions, weights) {
                guard case .gaussian(let mean, let deviation) = distribution else {
                    Precondition.failure("mixed families")
                }
                if means == nil {
                    (means, deviations) = (mean * weight, deviation * weight)
                } else {
                    means!.add(mean * weight)
                    deviations!.add(deviation * weight)
                }
            }
            return .gaussian(mean: means!, standardDeviation: deviations!)
        }
    }
}

/// Per-coordinate order statistics over the agents' reports (shared by the median and the trimmed mean).
enum CoordinateStatistics {
    /// Applies `statistic` (given each coordinate's values sorted ascending) to every coordinate; categorical rows are
    /// renormalised to sum to 1.
    static func combine(_ distributions: [ActionDistribution], _ statistic: ([Float]) -> Float) -> ActionDistribution {
        Precondition.check(!distributions.isEmpty, "aggregate: no distributions")
        switch distributions[0] {
        case .categorical(let first):
            let tables = distributions.map { distribution -> Tensor in
                guard case .categorical(let probabilities) = distribution else {
                    Precondition.failure("mixed families")
                }
                return probabilities
            }
            var result = coordinatewise(tables, statistic)
            for row in 0..<first.rows {
                var total: Float = 0
                for column in 0..<first.columns { total += result[row, column] }
                for column in 0..<first.columns {
                    result[row, column] = total > 0 ? result[row, column] / total : 1 / Float(first.columns)
                }
            }
            return .categorical(probabilities: result)
        case .gaussian:
            var means: [Tensor] = []
            var deviations: [Tensor] = []
            for distribution in distributions {
                guard case .gaussian(let mean, let deviation) = distribution else {
                    Precondition.failure("mixed families")
                }
                means.append(mean)
                deviations.append(deviation)
            }
            return .gaussian(
                mean: coordinatewise(means, statistic), standardDeviation: coordinatewise(deviations, statistic))
        }
    }

    private static func coordinatewise(_ tables: [Tensor], _ statistic: ([Float]) -> Float) -> Tensor {
        var result = tables[0]
        var values = [Float](repeating: 0, count: tables.count)
        for row in 0..<result.rows {
            for column in 0..<result.columns {
                for (index, table) in tables.enumerated() { values[index] = table[row, column] }
                values.sort()
                result[row, column] = statistic(values)
            }
        }
        return result
    }
}
