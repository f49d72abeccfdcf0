import HPDInvertedPendulum
import HPDRL
import Testing

/// Steps `environment` with a fixed pattern of forces until the episode ends or `limit` steps pass.
func trajectory(_ environment: InvertedPendulum, limit: Int = 50) -> [[Float]] {
    var observations: [[Float]] = []
    for index in 0..<limit {
        let result = environment.step(.continuous([Float(index % 5) - 2]))
        observations.append(result.observation)
        if result.isDone { break }
    }
    return observations
}

@Test func sameSeedGivesTheSameEpisodeAcrossEnvironments() throws {
    let first = try InvertedPendulum(seed: 1)
    let second = try InvertedPendulum(seed: 99)
    #expect(first.reset(seed: 2024) == second.reset(seed: 2024))
    #expect(trajectory(first) == trajectory(second))
    #expect(first.reset(seed: nil) == second.reset(seed: nil))
}

@Test func differentSeedsGiveDifferentStartStates() throws {
    let environment = try InvertedPendulum()
    let starts = (UInt64(0)..<10).map { environment.reset(seed: $0) }
    #expect(Set(starts.map { $0.description }).count == 10)
}

@Test func resetWithoutSeedContinuesTheRandomStream() throws {
    let environment = try InvertedPendulum()
    let seeded = environment.reset(seed: 7)
    let continued = environment.reset(seed: nil)
    let continuedAgain = environment.reset()
    #expect(continued != seeded)
    #expect(continuedAgain != continued)

    let replay = try InvertedPendulum()
    #expect(replay.reset(seed: 7) == seeded)
    #expect(replay.reset(seed: nil) == continued)
    #expect(replay.reset(seed: nil) == continuedAgain)
}

@Test func initSeedDrivesTheFirstUnseededReset() throws {
    let first = try InvertedPendulum(seed: 31)
    let second = try InvertedPendulum(seed: 31)
    #expect(first.reset(seed: nil) == second.reset(seed: nil))
    #expect(try InvertedPendulum(seed: 32).reset(seed: nil) != first.reset(seed: 31))
}

@Test func resetNoiseStaysWithinOneHundredthAroundTheUprightRestState() throws {
    let environment = try InvertedPendulum(seed: 3)
    var largest: Float = 0
    for _ in 0..<500 {
        let observation = environment.reset()
        #expect(observation.count == 4)
        largest = max(largest, observation.map { abs($0) }.max() ?? 0)
    }
    #expect(largest <= 0.01)
    #expect(largest > 0.009, "noise should fill the ±0.01 range, largest was \(largest)")
}

@Test func resetStartsAFreshEpisodeAfterTermination() throws {
    let environment = try InvertedPendulum(maxEpisodeSteps: 10)
    _ = environment.reset(seed: 0)
    for _ in 0..<10 { _ = environment.step(.continuous([0])) }
    #expect(environment.elapsedSteps == 10)
    _ = environment.reset()
    #expect(environment.elapsedSteps == 0)
    let result = environment.step(.continuous([0]))
    #expect(!result.isDone)
    #expect(environment.elapsedSteps == 1)
}

@Test func restoringTheRandomGeneratorReplaysTheNextEpisodes() throws {
    let environment = try InvertedPendulum(seed: 8)
    _ = environment.reset()
    let saved = environment.randomGenerator
    let next = environment.reset()
    let restored = try InvertedPendulum(seed: 1000)
    restored.randomGenerator = saved
    #expect(restored.reset() == next)
}
