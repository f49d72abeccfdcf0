import HPDLunarLander
import HPDRL
import Testing

@Suite struct LunarLanderObservationTests {
    @Test func spacesAreEightObservationsAndFourDiscreteActions() {
        let environment = LunarLander()
        #expect(environment.observationSize == 8)
        #expect(environment.actionSpace == .discrete(count: 4))
        #expect(LunarLander.maxEpisodeSteps == 1000)
        #expect(environment.maxEpisodeSteps == 1000)
    }

    /// The lander starts at the top centre, (x, y) ≈ (0, 1.4), upright, with the velocity of a ±1000 push.
    @Test func initialObservationIsAtTheTopCentreAndWithinDocumentedRanges() {
        let environment = LunarLander()
        for seed in UInt64(0)..<50 {
            let observation = environment.reset(seed: seed)
            #expect(observation.count == 8)
            #expect(abs(observation[0]) < 0.01)
            #expect(observation[1] > 1.39 && observation[1] < 1.43)
            #expect(abs(observation[2]) < 1 && abs(observation[3]) < 1)
            #expect(abs(observation[4]) < 0.02)
            #expect(abs(observation[5]) < 0.25)
            #expect(observation[6] == 0 && observation[7] == 0)
        }
    }

    /// During whole episodes the observation stays inside Gymnasium's box and the leg flags are 0 or 1.
    @Test func observationsStayInsideGymnasiumsBox() {
        let environment = LunarLander()
        let bounds: [Float] = [2.5, 2.5, 10, 10, 2 * Float.pi, 10]
        for seed in UInt64(0)..<5 {
            var observation = environment.reset(seed: seed)
            var done = false
            while !done {
                let result = environment.step(.discrete(LunarLander.heuristicAction(observation: observation)))
                observation = result.observation
                done = result.isDone
                #expect(observation.count == 8)
                for index in 0..<6 { #expect(abs(observation[index]) <= bounds[index]) }
                #expect(observation[6] == 0 || observation[6] == 1)
                #expect(observation[7] == 0 || observation[7] == 1)
            }
        }
    }
}
