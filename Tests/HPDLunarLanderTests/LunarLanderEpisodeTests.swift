import HPDLunarLander
import HPDRL
import HPDTensor
import Testing

@Suite struct LunarLanderEpisodeTests {
    /// Gymnasium (pybox2d 2.3) reports a mean of 264 over seeds 0–19 and 245 over 0–199 with 7 % failed landings.
    /// Here (Box2D 2.4.1, our generator) seeds 0–19 give a mean of 215 with 3 failures, 0–199 a mean of 239.
    @Test func heuristicPilotAveragesAboveTwoHundred() {
        let environment = LunarLander()
        let episodes = (UInt64(0)..<20).map { seed in
            runEpisode(environment, from: environment.reset(seed: seed), policy: LunarLander.heuristicAction)
        }
        let returns = episodes.map(\.totalReward)
        #expect(mean(returns) > 200)
        #expect(returns.filter { $0 > 200 }.count >= 15)
        #expect(episodes.filter { $0.lastStep.terminated && $0.lastStep.reward == 100 }.count >= 15)
    }

    /// Gymnasium's uniformly random policy averages about −194 (−227 in Gymnasium's own note); here −173 over
    /// these 20 episodes.
    @Test func randomPolicyAveragesBetweenMinusThreeHundredFiftyAndMinusHundred() {
        let environment = LunarLander()
        var policy = RandomGenerator(seed: 2024)
        var observation = environment.reset(seed: 0)
        var returns: [Double] = []
        for _ in 0..<20 {
            returns.append(runEpisode(environment, from: observation) { _ in policy.integer(below: 4) }.totalReward)
            observation = environment.reset(seed: nil)
        }
        #expect(mean(returns) > -350 && mean(returns) < -100)
    }

    /// A pilot that hovers near y ≈ 1 never lands, crashes or leaves: the episode is truncated at step 1000 exactly.
    @Test func hoveringEpisodeIsTruncatedAtOneThousandSteps() {
        let environment = LunarLander()
        for seed in UInt64(0)..<2 {
            let episode = runEpisode(environment, from: environment.reset(seed: seed), policy: hoveringPolicy)
            #expect(episode.stepCount == 1000)
            #expect(episode.lastStep.truncated)
            #expect(!episode.lastStep.terminated)
            #expect(environment.elapsedSteps == 1000)
        }
    }

    /// A custom limit truncates there; `reset` restarts the count.
    @Test func customStepLimitTruncatesAndResetRestartsTheCount() {
        let environment = LunarLander(maxEpisodeSteps: 30)
        for seed in UInt64(0)..<2 {
            var observation = environment.reset(seed: seed)
            #expect(environment.elapsedSteps == 0)
            for step in 1...30 {
                let result = environment.step(.discrete(hoveringPolicy(observation)))
                observation = result.observation
                #expect(result.truncated == (step == 30))
                #expect(!result.terminated)
            }
        }
    }
}
