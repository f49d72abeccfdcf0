import ArgumentParser
import Foundation
import HPDFederation

/// The options that define `fedhpd train`'s runs, declared once: the environment, agents, methods × intervals ×
/// seeds, episodes, public states, loops, part size, initial policies, the output root and the worker threads.
/// Each may also come from `--config FILE.json` (same names in camelCase; flags win); `RunChoices` holds the merge.
struct RunOptions: ParsableArguments {
    @Option(
        help:
            "Environment id: CartPole-v1, LunarLander-v3, InvertedPendulum-v4 (v2 names accepted; default: \(RunChoices.Defaults.env))."
    )
    var env: String?
    @Option(
        help:
            "'paper' for the reference's ten agents, or a JSON file with an array of agents (default: \(RunChoices.Defaults.agents))."
    )
    var agents: String?
    @Option(
        help: "Comma-separated methods: fedhpd, nofed, dpa (any case; default: \(RunChoices.Defaults.methods.text)).",
        transform: { try CommaSeparated(parsing: $0) })
    var method: CommaSeparated<FederationConfiguration.Method>?
    @Option(
        help:
            "Comma-separated distillation intervals d (episodes between events; default: \(RunChoices.Defaults.intervals.text)).",
        transform: { try CommaSeparated(parsing: $0) })
    var interval: CommaSeparated<Int>?
    @Option(help: "Episodes per agent (default: the paper's for the environment).")
    var episodes: Int?
    @Option(
        help: "Comma-separated run seeds (default: \(RunChoices.Defaults.seeds.text)).",
        transform: { try CommaSeparated(parsing: $0) })
    var seeds: CommaSeparated<UInt64>?
    @Option(
        name: .customLong("public-states"),
        help: "'auto' (build and cache one per seed) or a CSV file (default: \(RunChoices.Defaults.publicStates)).")
    var publicStates: String?
    @Option(
        name: .customLong("public-states-method"),
        help:
            "For auto: equal-per-cluster (the reference's recipe; alias cluster), single-cluster or uniform (alias random; default: \(RunChoices.Defaults.publicStatesMethod))."
    )
    var publicStatesMethod: String?
    @Option(
        help:
            "Worker threads for the agents (default: the core count, \(RunChoices.Defaults.threads)). Results do not depend on it."
    )
    var threads: Int?
    @Option(help: "Root folder for the run folders (default: \(RunChoices.Defaults.out)).")
    var out: String?
    @Option(help: "Digestion loops per distillation event (default: \(RunChoices.Defaults.loops)).")
    var loops: Int?
    @Option(
        name: .customLong("part-size"),
        help: "States per part of the public state set (default: \(RunChoices.Defaults.partSize)).")
    var partSize: Int?
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
            env: env, agents: agents, methods: method, intervals: interval, episodes: episodes, seeds: seeds,
            publicStates: publicStates, publicStatesMethod: publicStatesMethod, threads: threads, out: out,
            loops: loops, partSize: partSize, initPolicies: initPolicies, onDivergence: onDivergence)
        guard let config else { return flags }
        return try RunChoices(configurationFile: config).overlaid(by: flags)
    }
}
