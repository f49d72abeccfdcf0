import HPDLunarLander
import HPDRL
import HPDTensor
import TestSupport

/// One finished episode: its return, its length and its last step.
struct EpisodeSummary {
    var totalReward: Double
    var stepCount: Int
    var lastStep: StepResult
}

/// Runs one episode from `firstObservation` until `terminated` or `truncated`, choosing actions with `policy`.
func runEpisode(
    _ environment: LunarLander, from firstObservation: [Float], policy: ([Float]) -> Int
) -> EpisodeSummary {
    let results = EpisodeRunner.run(environment, from: firstObservation) { .discrete(policy($0)) }
    return EpisodeSummary(
        totalReward: results.reduce(0) { $0 + $1.reward }, stepCount: results.count, lastStep: results.last!)
}

/// Gymnasium's shaping potential Φ(s) = −100·√(s₀² + s₁²) − 100·√(s₂² + s₃²) − 100·|s₄| + 10·s₆ + 10·s₇,
/// recomputed from the (single-precision) observation.
func shapingPotential(_ s: [Float]) -> Double {
    let d = s.map { Double($0) }
    return -100 * (d[0] * d[0] + d[1] * d[1]).squareRoot() - 100 * (d[2] * d[2] + d[3] * d[3]).squareRoot()
        - 100 * abs(d[4]) + 10 * d[6] + 10 * d[7]
}

/// The heuristic pilot aiming one unit higher: it hovers around y ≈ 1 and never lands.
func hoveringPolicy(_ observation: [Float]) -> Int {
    var raised = observation
    raised[1] -= 1
    return LunarLander.heuristicAction(observation: raised)
}

func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
