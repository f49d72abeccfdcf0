import HPDLunarLander
import HPDRL
import HPDTensor
import Testing

@Suite struct LunarLanderRewardTests {
    /// Away from the terminal step, r = Φ(s′) − Φ(s) − 0.30·[main engine] − 0.03·[side engine].
    @Test func rewardIsShapingDifferenceMinusFuelCost() {
        let environment = LunarLander()
        var policy = RandomGenerator(seed: 5)
        var observation = environment.reset(seed: 11)
        var checkedActions = Set<Int>()
        for _ in 0..<60 {
            let action = policy.integer(below: 4)
            let result = environment.step(.discrete(action))
            if result.terminated { break }
            let fuel = action == 2 ? 0.30 : (action == 0 ? 0 : 0.03)
            let expected = shapingPotential(result.observation) - shapingPotential(observation) - fuel
            #expect(abs(result.reward - expected) < 1e-3)
            checkedActions.insert(action)
            observation = result.observation
        }
        #expect(checkedActions == [0, 1, 2, 3])
    }

    /// Doing nothing, the lander falls on its body: the episode terminates with −100.
    @Test func crashGivesMinusHundredAndTerminates() {
        let environment = LunarLander()
        for seed in UInt64(0)..<5 {
            let episode = runEpisode(environment, from: environment.reset(seed: seed)) { _ in 0 }
            #expect(episode.lastStep.terminated)
            #expect(!episode.lastStep.truncated)
            #expect(episode.lastStep.reward == -100)
            #expect(episode.stepCount < 200)
        }
    }

    /// The heuristic pilot brings the lander to rest: Box2D puts it to sleep and the episode ends with +100.
    @Test func landerAtRestGivesPlusHundredAndTerminates() {
        let environment = LunarLander()
        let episode = runEpisode(environment, from: environment.reset(seed: 0), policy: LunarLander.heuristicAction)
        #expect(episode.lastStep.terminated)
        #expect(episode.lastStep.reward == 100)
        #expect(episode.lastStep.observation[6] == 1 && episode.lastStep.observation[7] == 1)
    }

    /// Main engine pushes up; the left engine (1) turns the lander counter-clockwise and pushes it to −x; the right
    /// engine (3) does the opposite.
    @Test func enginesPushInTheirDocumentedDirections() {
        func firstStep(_ action: Int) -> [Float] {
            let environment = LunarLander()
            _ = environment.reset(seed: 21)
            return environment.step(.discrete(action)).observation
        }
        let idle = firstStep(0)
        let main = firstStep(2)
        let left = firstStep(1)
        let right = firstStep(3)
        #expect(main[3] > idle[3] + 0.02)
        #expect(left[5] > idle[5] + 0.01 && left[2] < idle[2])
        #expect(right[5] < idle[5] - 0.01 && right[2] > idle[2])
    }
}
