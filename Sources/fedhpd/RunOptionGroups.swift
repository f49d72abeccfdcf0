import ArgumentParser
import HPDFederation

// The option groups that define a run, declared once and shared with `@OptionGroup` by `fedhpd train` (through
// `RunOptions`, with `--config` under them) and `fedhpd serve`. A value left unset is nil; each command applies
// `RunChoices.Defaults`, which the help texts quote.

/// `--env` and `--agents`: the task and its agents (`train`: every run's agents; `serve`: the roster it waits for).
struct TaskOptions: ParsableArguments {
    @Option(
        help:
            "Environment id: CartPole-v1, LunarLander-v3, InvertedPendulum-v4 (v2 names accepted; default: \(RunChoices.Defaults.env)); fedhpd serve also any id with --observation-size and --actions/--action-dimensions."
    )
    var env: String?
    @Option(
        help:
            "'paper' for the reference's ten agents, or a JSON file with an array of agents (default: \(RunChoices.Defaults.agents)). fedhpd serve: the roster written to config.json, which must list --agents-expected agents; 'undisclosed' (the default for a task it does not simulate) records none."
    )
    var agents: String?
}

/// `--method`, `--interval`, `--seeds` (alias `--seed`) and `--episodes`: which runs. `train` runs every
/// combination of the lists; `serve` runs one setting and refuses a list of several (`CommaSeparated.single`).
struct SettingOptions: ParsableArguments {
    @Option(
        help: "Comma-separated methods: fedhpd, nofed, dpa (any case; default: \(RunChoices.Defaults.methods.text)).",
        transform: { try CommaSeparated(parsing: $0) })
    var method: CommaSeparated<FederationConfiguration.Method>?
    @Option(
        help:
            "Comma-separated distillation intervals d (episodes between events; default: \(RunChoices.Defaults.intervals.text)).",
        transform: { try CommaSeparated(parsing: $0) })
    var interval: CommaSeparated<Int>?
    @Option(
        name: [.customLong("seeds"), .customLong("seed")],
        help: "Comma-separated run seeds (default: \(RunChoices.Defaults.seeds.text)).",
        transform: { try CommaSeparated(parsing: $0) })
    var seeds: CommaSeparated<UInt64>?
    @Option(help: "Episodes per agent (default: the paper's for the environment).")
    var episodes: Int?
}

/// `--public-states` and `--public-states-method`: the public state set of FedHPD's distillation events.
struct PublicStateOptions: ParsableArguments {
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
}

/// `--loops` and `--part-size`: how a distillation event passes over the public states.
struct DigestionOptions: ParsableArguments {
    @Option(help: "Digestion loops per distillation event (default: \(RunChoices.Defaults.loops)).")
    var loops: Int?
    @Option(
        name: .customLong("part-size"),
        help: "States per part of the public state set (default: \(RunChoices.Defaults.partSize)).")
    var partSize: Int?
}

extension CommaSeparated {
    /// The one item of a list option where a command runs one setting (`fedhpd serve`).
    func single(_ flag: String, in command: String) throws(CommandError) -> Item {
        guard items.count == 1 else {
            throw CommandError("\(flag) \(text): \(command) runs one setting, so give one value")
        }
        return items[0]
    }
}
