import HPDRL

/// Plays environments to the end of an episode for the environment tests.
public enum EpisodeRunner {
    /// Steps `environment` from `firstObservation` with `policy` until `terminated` or `truncated`; returns every
    /// step's result, in order. The environments here are classes, so the steps act on the caller's instance.
    public static func run(
        _ environment: some HPDRL.Environment, from firstObservation: [Float], policy: ([Float]) -> EnvironmentAction
    ) -> [StepResult] {
        var environment = environment
        var observation = firstObservation
        var results: [StepResult] = []
        while true {
            let result = environment.step(policy(observation))
            results.append(result)
            observation = result.observation
            if result.isDone { return results }
        }
    }
}
