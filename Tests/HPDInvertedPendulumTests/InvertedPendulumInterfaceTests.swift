import HPDInvertedPendulum
import HPDRL
import Testing

@Test func spacesMatchGymnasiumsInvertedPendulumV4() throws {
    let environment = try InvertedPendulum()
    #expect(environment.observationSize == 4)
    #expect(environment.actionSpace == .continuous(low: [-3], high: [3]))
    #expect(environment.maxEpisodeSteps == 1000)
    #expect(abs(environment.stepDuration - 0.04) < 1e-12)
}

@Test func observationIsCartPositionPoleAngleCartVelocityPoleAngularVelocity() throws {
    // Before any reset the pendulum rests exactly upright at the centre, so one push isolates each component.
    let environment = try InvertedPendulum()
    let result = environment.step(.continuous([3]))
    let observation = result.observation
    #expect(observation.count == 4)
    // Pushing +x moves the cart forward (qpos[0], qvel[0] > 0) and the pole lags behind (qpos[1], qvel[1] < 0).
    #expect(observation[0] > 0)
    #expect(observation[1] < 0)
    #expect(observation[2] > 0)
    #expect(observation[3] < 0)
    // From rest under near-constant acceleration, position ≈ velocity × time / 2 for both joints.
    let duration = Float(environment.stepDuration)
    #expect(abs(observation[0] / (observation[2] * duration) - 0.5) < 0.1)
    #expect(abs(observation[1] / (observation[3] * duration) - 0.5) < 0.1)
}

@Test func rewardIsOneOnEveryStepIncludingTheTerminalOne() throws {
    let environment = try InvertedPendulum()
    _ = environment.reset(seed: 11)
    var results: [StepResult] = []
    repeat {
        results.append(environment.step(.continuous([3])))
    } while results.last?.isDone == false
    #expect(results.last?.terminated == true)
    #expect(results.allSatisfy { $0.reward == 1 })
    #expect(results.count < 20)
}

@Test func truncationFollowsTheConfiguredStepLimitIndependentlyOfTermination() throws {
    let environment = try InvertedPendulum(maxEpisodeSteps: 5)
    _ = environment.reset(seed: 0)
    let results = (0..<5).map { _ in environment.step(.continuous([0])) }
    #expect(results.prefix(4).allSatisfy { !$0.isDone })
    #expect(results[4].truncated)
    #expect(!results[4].terminated)
}

@Test func environmentIsUsableThroughTheGenericProtocol() throws {
    func firstObservation<Env: Environment>(_ environment: inout Env) -> [Float] {
        environment.reset(seed: 4)
    }
    var environment = try InvertedPendulum()
    let generic = firstObservation(&environment)
    #expect(generic == environment.reset(seed: 4))
}
