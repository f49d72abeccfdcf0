import Foundation
import TestSupport
import Testing

/// Runs each example program with a small budget and checks that its output shows what the example claims.
@Suite struct ExampleExecutableTests {
    @Test func regressionWithAdamCutsTheErrorTenfold() throws {
        let outcome = try ProcessRunner.run(ProcessRunner.builtProduct("RegressionWithAdam"), ["--steps", "300"])
        #expect(outcome.status == 0, "\(outcome.error)")
        let initial = try #require(ProcessRunner.number(after: "initial MSE:", in: outcome.output), "\(outcome.output)")
        let final = try #require(ProcessRunner.number(after: "final MSE:", in: outcome.output), "\(outcome.output)")
        // Seed 3: 0.199 → 2e-4 after 300 steps; require at least a tenfold reduction.
        #expect(final.isFinite && final < initial / 10, "initial \(initial), final \(final)")
    }

    @Test func customEnvironmentReinforceLearnsTheCorridor() throws {
        let outcome = try ProcessRunner.run(
            ProcessRunner.builtProduct("CustomEnvironmentReinforce"), ["--episodes", "300", "--seed", "1"])
        #expect(outcome.status == 0, "\(outcome.error)")
        let first = try #require(
            ProcessRunner.number(after: "mean return, first 20 episodes:", in: outcome.output), "\(outcome.output)")
        let last = try #require(
            ProcessRunner.number(after: "mean return, last 20 episodes:", in: outcome.output), "\(outcome.output)")
        // Seed 1: 0.60 → 1.40 (walking straight to the goal earns 1.36 on average). Over seeds 1–16 at 300 episodes
        // the smallest gain seen was +0.26 (seed 3: 0.95 → 1.31); require +0.2.
        #expect(last > first + 0.2, "first 20: \(first), last 20: \(last)")
        // The greedy policy walks toward the goal in the four probes the example prints.
        for probe in ["at 2, goal 8: walks right", "at 8, goal 2: walks left"] {
            #expect(outcome.output.contains(probe), "\(outcome.output)")
        }
    }

    @Test func heterogeneousFederationRunsBothSettingsWithTheCustomAggregation() throws {
        let outcome = try ProcessRunner.run(
            ProcessRunner.builtProduct("HeterogeneousFederation"), ["--episodes", "60"])
        #expect(outcome.status == 0, "\(outcome.error)")
        let fedHPD = try #require(
            ProcessRunner.number(after: "FedHPD d=5 median-of-probabilities: system mean return", in: outcome.output),
            "\(outcome.output)")
        let noFed = try #require(
            ProcessRunner.number(after: "NoFed: system mean return", in: outcome.output), "\(outcome.output)")
        #expect(fedHPD.isFinite && noFed.isFinite)
        // 60 episodes with interval 5 → 12 distillation events for FedHPD, none for NoFed. Which setting wins is not
        // asserted: it depends on the seed at this budget.
        #expect(outcome.output.contains("distillation events: 12"), "\(outcome.output)")
        #expect(outcome.output.contains("distillation events: 0"), "\(outcome.output)")
    }
}
