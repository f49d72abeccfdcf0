import HPDEnvironments
import HPDRL
import HPDTensor
import Testing

@Suite struct CartPoleTests {
    @Test func singleStepsMatchHandComputedEulerUpdates() {
        // Values computed by hand from Gymnasium's equations (see CartPole's documentation).
        for (action, expected) in [
            (1, [0.0104, 0.21467919574755523, 0.0308, -0.24306871796000815]),
            (0, [0.0104, -0.17553901710278938, 0.0308, 0.3419952237760392]),
        ] {
            var environment = CartPole()
            environment.setState([0.01, 0.02, 0.03, 0.04])
            let result = environment.step(.discrete(action))
            for index in 0..<4 {
                #expect(abs(environment.state[index] - expected[index]) < 1e-12)
                #expect(result.observation[index] == Float(expected[index]))
            }
            #expect(result.reward == 1 && !result.terminated && !result.truncated)
        }
    }

    @Test func terminatesJustPastTheBoundariesWithRewardOne() {
        // x moves by τ·ẋ: from 2.39 with ẋ = 1 it reaches 2.41 > 2.4; from 2.37 it reaches 2.39 (still alive).
        var environment = CartPole()
        environment.setState([2.39, 1, 0, 0])
        var result = environment.step(.discrete(1))
        #expect(result.terminated && result.reward == 1)
        environment.setState([2.37, 1, 0, 0])
        #expect(!environment.step(.discrete(1)).terminated)
        let limit = 12 * 2 * Double.pi / 360
        environment.setState([0, 0, -limit + 0.001, -0.1])  // θ moves by −0.002 past −12°
        result = environment.step(.discrete(0))
        #expect(result.terminated)
        environment.setState([0, 0, limit - 0.003, 0.1])
        #expect(!environment.step(.discrete(1)).terminated)
    }

    @Test func resetDrawsFromTheDocumentedRangeAndSeedsDeterministically() {
        var first = CartPole.makeV1()
        var second = CartPole.makeV1()
        let a = first.reset(seed: 123)
        let b = second.reset(seed: 123)
        #expect(a == b)
        #expect(a.allSatisfy { abs($0) <= 0.05 })
        // Later resets continue the stream: different starts, still identical across the two copies.
        let a2 = first.reset()
        #expect(a2 != a && a2 == second.reset())
        var third = CartPole.makeV1()
        #expect(third.reset(seed: 124) != a)
        // Same seed and actions give the same trajectory.
        for step in 0..<50 {
            let action = EnvironmentAction.discrete(step % 3 == 0 ? 1 : 0)
            #expect(first.step(action) == second.step(action))
        }
    }

    @Test func truncatesAtFiveHundredSteps() {
        // Balancing with a simple controller (push toward the pole's lean) survives the whole episode.
        var environment = CartPole.makeV1()
        var observation = environment.reset(seed: 0)
        var steps = 0
        var last = StepResult(observation: [], reward: 0, terminated: false, truncated: false)
        while !last.isDone {
            let push = observation[2] + 0.5 * observation[3] + 0.01 * observation[0] + 0.1 * observation[1] > 0 ? 1 : 0
            last = environment.step(.discrete(push))
            observation = last.observation
            steps += 1
        }
        #expect(steps == 500)
        #expect(last.truncated && !last.terminated)
        #expect(environment.observationSize == 4 && environment.actionSpace == .discrete(count: 2))
    }
}

@Suite struct ReturnsTests {
    @Test func discountedReturnsAndNormalisation() {
        let returns = Returns.discounted(rewards: [1, 1, 1], gamma: 0.99)
        #expect(returns == [1 + 0.99 + 0.99 * 0.99, 1 + 0.99, 1])
        let normalized = Returns.normalized([1, 2, 3])
        // mean 2, unbiased std 1 → (−1, 0, 1) / (1 + 1e-5)
        #expect(normalized.enumerated().allSatisfy { abs($0.element - Double($0.offset - 1) / (1 + 1e-5)) < 1e-12 })
        #expect(Returns.normalized([5]) == [0])
    }

    @Test func movingAverageAndEpisodesToThreshold() {
        let values = (1...300).map { Double($0) }
        let averages = LearningCurve.movingAverage(values)
        #expect(averages[0] == 1 && averages[99] == 50.5 && averages[299] == 250.5)
        // The full-window mean first reaches 100 at episode 150 (mean of 51…150 = 100.5).
        #expect(LearningCurve.firstEpisodeReaching(100, in: values) == 150)
        #expect(LearningCurve.firstEpisodeReaching(1000, in: values) == nil)
        #expect(LearningCurve.lastMean(values) == 250.5)
    }
}
