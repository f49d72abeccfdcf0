import HPDInvertedPendulum
import HPDRL
import HPDTensor
import TestSupport
import Testing

/// Runs one episode from `reset(seed:)` with `policy` choosing the force; returns every step's result.
func runEpisode(
    _ environment: InvertedPendulum, seed: UInt64?, policy: ([Float]) -> Float
) -> [StepResult] {
    EpisodeRunner.run(environment, from: environment.reset(seed: seed)) { .continuous([policy($0)]) }
}

@Test func zeroActionLetsThePoleFallAndTerminateWithinGymnasiumsRange() throws {
    let environment = try InvertedPendulum()
    var lengths: [Int] = []
    for seed in UInt64(0)..<10 {
        let results = runEpisode(environment, seed: seed) { _ in 0 }
        let last = try #require(results.last)
        #expect(last.terminated)
        #expect(!last.truncated)
        #expect(abs(last.observation[1]) > 0.2)
        #expect(results.dropLast().allSatisfy { !$0.isDone && abs($0.observation[1]) <= 0.2 })
        lengths.append(results.count)
    }
    // Measured with this package's generator: [22, 30, 22, 24, 19, 24, 20, 31, 24, 27]. Gymnasium's own seeds 0–9
    // on MuJoCo 2.2.2 give 19–35; over seeds 0–999 this environment gives 19–63 (rare near-balanced starts).
    #expect(lengths.allSatisfy { (19...40).contains($0) }, "zero-action episode lengths \(lengths)")
    #expect(Set(lengths).count > 1, "different seeds should give different episodes: \(lengths)")
}

@Test func uniformlyRandomActionsEndEpisodesAfterAboutSixSteps() throws {
    let environment = try InvertedPendulum(seed: 123)
    var actionGenerator = RandomGenerator(seed: 42, stream: 7)
    _ = environment.reset(seed: 123)
    var totalSteps = 0
    let episodeCount = 200
    for _ in 0..<episodeCount {
        let results = runEpisode(environment, seed: nil) { _ in Float(actionGenerator.uniform(-3, 3)) }
        #expect(results.last?.terminated == true)
        totalSteps += results.count
    }
    // Over 20,000 episodes the mean is 6.08; 200-episode means span 5.5–6.8.
    let meanLength = Double(totalSteps) / Double(episodeCount)
    #expect((5.0...7.0).contains(meanLength), "mean random-action episode length \(meanLength)")
}

@Test func handWrittenPDControllerBalancesForTheWholeThousandStepEpisode() throws {
    let environment = try InvertedPendulum()
    for seed in UInt64(0)..<5 {
        // Push the cart towards the side the pole leans to, and pull it back towards the centre of the rail.
        let results = runEpisode(environment, seed: seed) { observation in
            10 * observation[1] + observation[3] + observation[0] + observation[2]
        }
        let last = try #require(results.last)
        #expect(results.count == 1000)
        #expect(last.truncated)
        #expect(!last.terminated)
        #expect(results.reduce(0) { $0 + $1.reward } == 1000)
        #expect(results.dropLast().allSatisfy { !$0.isDone })
        #expect(results.allSatisfy { abs($0.observation[1]) < 0.05 && abs($0.observation[0]) < 0.1 })
        #expect(environment.elapsedSteps == 1000)
    }
}

@Test func actionsOutsideTheControlRangeAreClampedByMuJoCo() throws {
    let environment = try InvertedPendulum()
    for (outside, boundary) in [(Float(100), Float(3)), (-100, -3), (3.5, 3), (-1e6, -3)] {
        _ = environment.reset(seed: 5)
        let clamped = environment.step(.continuous([outside]))
        _ = environment.reset(seed: 5)
        let atBoundary = environment.step(.continuous([boundary]))
        #expect(clamped == atBoundary, "action \(outside) should act like \(boundary)")
    }
    _ = environment.reset(seed: 5)
    let inside = environment.step(.continuous([2]))
    _ = environment.reset(seed: 5)
    let atBoundary = environment.step(.continuous([3]))
    #expect(inside.observation[2] < atBoundary.observation[2], "actions inside the range are not clamped")
}
