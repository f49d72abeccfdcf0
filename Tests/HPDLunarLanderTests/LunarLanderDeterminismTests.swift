import HPDLunarLander
import HPDRL
import HPDTensor
import Testing

@Suite struct LunarLanderDeterminismTests {
    /// Observations and rewards of `stepCount` steps after `reset(seed:)`, with actions from a seeded policy
    /// (resetting on episode end without a seed).
    func trajectory(seed: UInt64, stepCount: Int) -> [(observation: [Float], reward: Double)] {
        let environment = LunarLander()
        var policy = RandomGenerator(seed: 99)
        var steps: [(observation: [Float], reward: Double)] = [(environment.reset(seed: seed), 0)]
        for _ in 0..<stepCount {
            let result = environment.step(.discrete(policy.integer(below: 4)))
            steps.append((result.observation, result.reward))
            if result.isDone { steps.append((environment.reset(seed: nil), 0)) }
        }
        return steps
    }

    @Test func sameSeedGivesIdenticalTrajectory() {
        let first = trajectory(seed: 42, stepCount: 400)
        let second = trajectory(seed: 42, stepCount: 400)
        #expect(first.count == second.count)
        for (a, b) in zip(first, second) {
            #expect(a.observation == b.observation)
            #expect(a.reward == b.reward)
        }
    }

    @Test func differentSeedsGiveDifferentTrajectories() {
        let first = trajectory(seed: 1, stepCount: 50)
        let second = trajectory(seed: 2, stepCount: 50)
        #expect(first[0].observation != second[0].observation)
        #expect(zip(first, second).filter { $0.observation == $1.observation }.isEmpty)
    }

    /// `reset(seed: nil)` continues the stream: the next episode differs from the seeded one, and two
    /// environments with the same history agree on it.
    @Test func resetWithoutSeedContinuesTheStream() {
        let first = LunarLander()
        let second = LunarLander()
        let seeded = first.reset(seed: 7)
        #expect(second.reset(seed: 7) == seeded)
        _ = runEpisode(first, from: seeded, policy: LunarLander.heuristicAction)
        _ = runEpisode(second, from: seeded, policy: LunarLander.heuristicAction)

        let continued = first.reset(seed: nil)
        #expect(second.reset(seed: nil) == continued)
        #expect(first.generator == second.generator)
        #expect(continued != seeded)
        #expect(first.reset(seed: 7) == seeded)
    }

    /// Before any seeded reset, the stream is the one chosen at construction.
    @Test func constructionSeedChoosesTheFirstEpisode() {
        #expect(LunarLander(seed: 3).reset(seed: nil) == LunarLander(seed: 3).reset(seed: nil))
        #expect(LunarLander(seed: 3).reset(seed: nil) != LunarLander(seed: 4).reset(seed: nil))
        #expect(LunarLander(seed: 3).reset(seed: nil) != LunarLander(seed: 3, stream: 1).reset(seed: nil))
    }
}

extension LunarLanderDeterminismTests {
    /// Seeded resets keep the instance's stream: equal seeds on different streams give different episodes.
    @Test func seededResetKeepsTheConstructionStream() {
        let agentZero = LunarLander(stream: 0)
        let agentOne = LunarLander(stream: 1)
        #expect(agentZero.reset(seed: 5) != agentOne.reset(seed: 5))
        #expect(LunarLander(stream: 1).reset(seed: 5) == agentOne.reset(seed: 5))
    }
}
