import Foundation

/// The aggregation strategies selectable by name (`--aggregation`, config.json's `aggregation`):
///
///     mean | arithmetic-mean     ArithmeticMean (FedHPD's)
///     median                     CoordinateMedian
///     trimmed:F                  TrimmedMean, F ∈ [0, 0.5)
///     weighted[:T]               ReturnWeightedMean, T > 0 (default 100)
public enum AggregationChoice {
    /// The strategy called `name`; throws naming the flag's accepted forms.
    public static func strategy(named name: String) throws(FederationError) -> any AggregationStrategy {
        let text = name.trimmingCharacters(in: .whitespaces).lowercased()
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        func number(_ what: String) throws(FederationError) -> Double {
            guard parts.count == 2, let value = Double(parts[1]), value.isFinite else {
                throw .invalidConfiguration("aggregation '\(name)': \(what) is not a number")
            }
            return value
        }
        switch parts.first ?? "" {
        case "mean" where parts.count == 1, "arithmetic-mean" where parts.count == 1:
            return ArithmeticMean()
        case "median" where parts.count == 1:
            return CoordinateMedian()
        case "trimmed":
            let fraction = try number("the trimmed fraction F")
            guard fraction >= 0 && fraction < 0.5 else {
                throw .invalidConfiguration("aggregation '\(name)': the trimmed fraction F must be in [0, 0.5)")
            }
            return TrimmedMean(fraction: fraction)
        case "weighted":
            let temperature = parts.count == 1 ? ReturnWeightedMean.defaultTemperature : try number("the temperature T")
            guard temperature > 0 else {
                throw .invalidConfiguration("aggregation '\(name)': the temperature T must be positive")
            }
            return ReturnWeightedMean(temperature: temperature)
        default:
            throw .invalidConfiguration(
                "unknown aggregation '\(name)'; use mean, median, trimmed:F (0 ≤ F < 0.5) or weighted[:T] (T > 0)")
        }
    }

    /// A number without a trailing ".0" ("0.1", "100").
    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
