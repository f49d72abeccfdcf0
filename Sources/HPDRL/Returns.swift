/// Monte-Carlo returns and their per-episode normalisation.
public enum Returns {
    /// G_t = r_t + γ·G_{t+1}, with G_T = 0 after the last step (computed in Double).
    public static func discounted(rewards: [Double], gamma: Double) -> [Double] {
        var returns = [Double](repeating: 0, count: rewards.count)
        var running = 0.0
        for index in stride(from: rewards.count - 1, through: 0, by: -1) {
            running = rewards[index] + gamma * running
            returns[index] = running
        }
        return returns
    }

    /// Ĝ = (G − mean G) / (std G + 10⁻⁵) with the unbiased standard deviation (n − 1), as the reference does.
    /// A one-step episode has no defined std; it returns zeros (no learning signal) instead of NaN.
    public static func normalized(_ returns: [Double], epsilon: Double = 1e-5) -> [Double] {
        guard returns.count > 1 else { return [Double](repeating: 0, count: returns.count) }
        let mean = returns.reduce(0, +) / Double(returns.count)
        let variance = returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(returns.count - 1)
        let deviation = variance.squareRoot()
        return returns.map { ($0 - mean) / (deviation + epsilon) }
    }
}

/// Moving averages and the "episodes to threshold" statistic used by the reports.
public enum LearningCurve {
    /// The trailing mean over the last `window` values at every index (shorter windows at the start).
    public static func movingAverage(_ values: [Double], window: Int = 100) -> [Double] {
        var result = [Double](repeating: 0, count: values.count)
        var total = 0.0
        for index in values.indices {
            total += values[index]
            if index >= window { total -= values[index - window] }
            result[index] = total / Double(min(index + 1, window))
        }
        return result
    }

    /// The first episode (1-based) whose full trailing `window`-episode mean reaches `threshold`, or nil.
    /// Only complete windows count, so an early lucky episode cannot satisfy it.
    public static func firstEpisodeReaching(_ threshold: Double, in values: [Double], window: Int = 100) -> Int? {
        let averages = movingAverage(values, window: window)
        for index in values.indices where index + 1 >= window && averages[index] >= threshold { return index + 1 }
        return nil
    }

    /// The mean of all values (0 for none).
    public static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    }

    /// The mean of the last `count` values.
    public static func lastMean(_ values: [Double], count: Int = 100) -> Double { mean(Array(values.suffix(count))) }
}
