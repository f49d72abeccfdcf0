import HPDRL
import Testing

/// GAE against values worked out by hand, and its λ = 1 case against Monte-Carlo returns.
struct GeneralizedAdvantageEstimationTests {
    /// Two episodes (3 and 2 steps), γ = 0.9, λ = 0.8, δ_t = r_t + γV_{t+1} − V_t, A_t = δ_t + γλA_{t+1}:
    /// episode 1: δ = (0.86, 0.87, 0.7) → A_2 = 0.7, A_1 = 0.87 + 0.72·0.7 = 1.374, A_0 = 0.86 + 0.72·1.374 = 1.84928;
    /// episode 2: δ = (0.18, 1.8) → A_4 = 1.8, A_3 = 0.18 + 0.72·1.8 = 1.476. R = A + V.
    @Test func handComputedAdvantagesAndReturns() {
        let (advantages, returns) = GeneralizedAdvantageEstimation.estimate(
            rewards: [1, 1, 1, 1, 2], values: [0.5, 0.4, 0.3, 1.0, 0.2], episodeLengths: [3, 2], gamma: 0.9,
            lambda: 0.8)
        let expected = [1.84928, 1.374, 0.7, 1.476, 1.8]
        for (value, target) in zip(advantages, expected) { #expect(abs(value - target) < 1e-12) }
        for (value, target) in zip(returns, [2.34928, 1.774, 1.0, 2.476, 2.0]) { #expect(abs(value - target) < 1e-12) }
    }

    @Test func lambdaOneIsTheMonteCarloAdvantage() {
        let rewards: [Double] = [1, 0, 2, 1, 1, 3, 0.5]
        let values: [Double] = [0.3, -0.2, 1.1, 0.7, 0.0, 2.0, 0.1]
        let (advantages, returns) = GeneralizedAdvantageEstimation.estimate(
            rewards: rewards, values: values, episodeLengths: [4, 3], gamma: 0.95, lambda: 1)
        let monteCarlo =
            Returns.discounted(rewards: Array(rewards[0..<4]), gamma: 0.95)
            + Returns.discounted(rewards: Array(rewards[4...]), gamma: 0.95)
        for index in rewards.indices {
            #expect(abs(returns[index] - monteCarlo[index]) < 1e-12)
            #expect(abs(advantages[index] - (monteCarlo[index] - values[index])) < 1e-12)
        }
    }

    @Test func normalisationUsesTheUnbiasedDeviation() {
        let normalized = GeneralizedAdvantageEstimation.normalized([1, 2, 3])
        // mean 2, unbiased std 1.
        for (value, target) in zip(normalized, [-1.0, 0, 1]) { #expect(abs(value - target) < 1e-7) }
        #expect(GeneralizedAdvantageEstimation.normalized([5]) == [0])
    }
}
