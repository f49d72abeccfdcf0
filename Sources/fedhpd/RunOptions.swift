import ArgumentParser
import Foundation
import HPDFederation

/// The options that define `fedhpd train`'s runs: the groups shared with `fedhpd serve` (task, setting lists,
/// public states, digestion; `RunOptionGroups.swift`) and train's own initial policies, divergence policy, output
/// root and worker threads.
/// Each may also come from `--config FILE.json` (same names in camelCase; flags win); `RunChoices` holds the merge.
struct RunOptions: ParsableArguments {
    @OptionGroup var task: TaskOptions
    @OptionGroup var setting: SettingOptions
    @OptionGroup var publicStateOptions: PublicStateOptions
    @Option(
        help:
            "Worker threads for the agents (default: the core count, \(RunChoices.Defaults.threads)). Results do not depend on it."
    )
    var threads: Int?
    @Option(help: "Root folder for the run folders (default: \(RunChoices.Defaults.out)).")
    var out: String?
    @OptionGroup var digestion: DigestionOptions
    @Option(
        name: .customLong("init-policies"),
        help: "Warm start: agent k starts from DIR/agent-<k>.safetensors (written by fedhpd train or PyTorch).")
    var initPolicies: String?
    @Option(
        name: .customLong("on-divergence"),
        help:
            "When an agent's loss, gradient or parameters stop being finite: stop (the run ends with an error naming agent, episode and quantity; default) or exclude (the agent leaves the federation, the run goes on and says so).",
        transform: { text in
            guard let policy = DivergencePolicy(rawValue: text.lowercased()) else {
                throw CommandError("'\(text)' is not stop or exclude")
            }
            return policy
        })
    var onDivergence: DivergencePolicy?
    @Option(
        help:
            "A JSON file holding any of these options, e.g. {\"episodes\": 300, \"seeds\": [20, 25]} (unknown keys are errors; flags given on the command line win)."
    )
    var config: String?

    /// The options given on the command line, with the `--config` file's under them.
    func requested() throws -> RunChoices {
        let flags = RunChoices(
            env: task.env, agents: task.agents, methods: setting.method, intervals: setting.interval,
            episodes: setting.episodes, seeds: setting.seeds, publicStates: publicStateOptions.publicStates,
            publicStatesMethod: publicStateOptions.publicStatesMethod, threads: threads, out: out,
            loops: digestion.loops, partSize: digestion.partSize, initPolicies: initPolicies,
            onDivergence: onDivergence)
        guard let config else { return flags }
        return try RunChoices(configurationFile: config).overlaid(by: flags)
    }
}
