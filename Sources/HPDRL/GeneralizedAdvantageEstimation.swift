import HPDTensor

/// Generalised advantage estimation (Schulman et al. 2016), episode by episode, in Double:
///
///     δ_t = r_t + γ V(s_{t+1}) − V(s_t),    A_t = δ_t + γλ A_{t+1},    R_t = A_t + V(s_t)
///
/// with V(s_{T}) = 0 and A_T = 0 after each episode's last step — whether it terminated or was truncated by a time
/// limit, as CleanRL's `ppo.py` does (`next_done = terminations | truncations`). λ = 1 gives the Monte-Carlo
/// advantage A_t = G_t − V(s_t) and R_t = G_t; λ = 0 the one-step TD error.
public enum GeneralizedAdvantageEstimation {
    /// Advantages A and value targets R for consecutive episodes of lengths `episodeLengths` (their sum is the
    /// number of rewards and values).
    public static func estimate(
        rewards: [Double], values: [Double], episodeLengths: [Int], gamma: Double, lambda: Double
    ) -> (advantages: [Double], returns: [Double]) {
        Precondition.check(
            rewards.count == values.count && episodeLengths.reduce(0, +) == rewards.count,
            "GAE: \(rewards.count) rewards, \(values.count) values, episodes of \(episodeLengths) steps")
        var advantages = [Double](repeating: 0, count: rewards.count)
        var start = 0
        for length in episodeLengths {
            var running = 0.0
            var nextValue = 0.0
            for index in stride(from: start + length - 1, through: start, by: -1) {
                let delta = rewards[index] + gamma * nextValue - values[index]
                running = delta + gamma * lambda * running
                advantages[index] = running
                nextValue = values[index]
            }
            start += length
        }
        let returns = zip(advantages, values).map { $0 + $1 }
        return (advantages, returns)
    }

    /// Â = (A − mean A) / (std A + 10⁻⁸) with the unbiased standard deviation, as CleanRL (`torch.std`); fewer than
    /// two values give zeros (no defined spread).
    public static func normalized(_ advantages: [Double]) -> [Double] {
        guard advantages.count > 1 else { return [Double](repeating: 0, count: advantages.count) }
        let mean = advantages.reduce(0, +) / Double(advantages.count)
        let variance = advantages.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(advantages.count - 1)
        return advantages.map { ($0 - mean) / (variance.squareRoot() + 1e-8) }
    }
}
