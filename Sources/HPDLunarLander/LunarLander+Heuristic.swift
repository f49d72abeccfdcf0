import HPDTensor

extension LunarLander {
    /// Gymnasium's hand-written pilot (`heuristic()` in lunar_lander.py) for discrete actions.
    ///
    /// With the observation s:
    ///
    ///     angle target   α* = clamp(0.5·s₀ + s₂, −0.4, 0.4)            (lean towards the pad)
    ///     hover target   y* = 0.55·|s₀|                                 (lower when closer to the pad)
    ///     angle to do    a  = 0.5·(α* − s₄) − s₅
    ///     hover to do    h  = 0.5·(y* − s₁) − 0.5·s₃
    ///     if a leg touches the ground: a = 0, h = −0.5·s₃
    ///
    /// it fires the main engine (2) if h > |a| and h > 0.05, else the right engine (3) if a < −0.05, else the left
    /// engine (1) if a > 0.05, else nothing (0). Gymnasium reports a mean return of about 264 over seeds 0–19.
    public static func heuristicAction(observation: [Float]) -> Int {
        Precondition.check(
            observation.count == observationCount,
            "heuristicAction needs an observation of \(observationCount) values, got \(observation.count)")
        let s = observation.map { Double($0) }
        let angleTarget = min(max(s[0] * 0.5 + s[2] * 1.0, -0.4), 0.4)
        let hoverTarget = 0.55 * abs(s[0])

        var angleToDo = (angleTarget - s[4]) * 0.5 - s[5] * 1.0
        var hoverToDo = (hoverTarget - s[1]) * 0.5 - s[3] * 0.5
        if s[6] != 0 || s[7] != 0 {
            angleToDo = 0
            hoverToDo = -s[3] * 0.5
        }

        if hoverToDo > abs(angleToDo) && hoverToDo > 0.05 { return 2 }
        if angleToDo < -0.05 { return 3 }
        if angleToDo > 0.05 { return 1 }
        return 0
    }
}
