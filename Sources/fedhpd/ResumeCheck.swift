import Foundation
import HPDFederation

/// `train --resume RUN_DIR` with configuration flags: every flag given (on the command line or in `--config`) must
/// say what the run's config.json says, whatever its form — a list in another order or case, an agents file with
/// the same agents, the same public-state file under another name, the same `--out` — and any difference is refused
/// with the flag and both values. `--threads`, `--quiet`, `--checkpoint-every`, `--save-every` and `--tensorboard`
/// are not part of the configuration and may change.
struct ResumeCheck {
    /// The run's recorded configuration.
    var recorded: FederationConfiguration
    /// The run folder.
    var folder: RunFolder

    /// Every difference between `choices` (and the federation choices) and the recorded configuration, one line each:
    /// `--episodes: episodes (6 vs 9): the run has 6, the flags give 9`.
    func differences(_ choices: RunChoices, federation: FederationChoiceOptions, setup: RunSetup) throws -> [String] {
        var found: [String] = []
        func compare(_ flag: String, field: String, recorded: String, given: String) {
            if recorded != given {
                found.append(
                    "\(flag): \(field) (\(recorded) vs \(given)): the run has \(recorded), the flags give \(given)")
            }
        }
        let environment = try Catalog.all.specification(for: recorded.environment)
        if let env = choices.env {
            compare(
                "--env", field: "environment", recorded: recorded.environment,
                given: try Catalog.all.specification(for: env).id)
        }
        if let agents = choices.agents {
            let given = try setup.loadAgents(agents, environment: environment)
            if given != recorded.agents {
                let describe = { (list: [AgentSpecification]) in list.map(\.label).joined(separator: "; ") }
                found.append(
                    "--agents \(agents): the run has \(recorded.agents.count) agent(s) [\(describe(recorded.agents))], "
                        + "the file gives \(given.count) [\(describe(given))]")
            }
        }
        if let methods = choices.methods {
            compare("--method", field: "method", recorded: recorded.method.rawValue, given: methods.text)
        }
        if let intervals = choices.intervals {
            compare(
                "--interval", field: "interval",
                recorded: recorded.method == .nofed ? "none (NoFed)" : "\(recorded.interval)", given: intervals.text)
        }
        if let episodes = choices.episodes {
            compare("--episodes", field: "episodes", recorded: "\(recorded.episodes)", given: "\(episodes)")
        }
        if let seeds = choices.seeds {
            compare("--seeds", field: "seed", recorded: "\(recorded.seed)", given: seeds.text)
        }
        if let loops = choices.loops {
            compare("--loops", field: "loops", recorded: "\(recorded.loops)", given: "\(loops)")
        }
        if let partSize = choices.partSize {
            compare("--part-size", field: "partSize", recorded: "\(recorded.partSize)", given: "\(partSize)")
        }
        if let out = choices.out {
            compare(
                "--out", field: "output root", recorded: Self.canonicalPath(folder.url.deletingLastPathComponent()),
                given: Self.canonicalPath(URL(fileURLWithPath: out)))
        }
        if let policy = choices.onDivergence {
            compare(
                "--on-divergence", field: "onDivergence", recorded: (recorded.onDivergence ?? .stop).rawValue,
                given: policy.rawValue)
        }
        found += try publicStateDifferences(choices, environment: environment, setup: setup)
        if let folder = choices.initPolicies {
            let given = try? InitialPoliciesRecord(
                folder: URL(fileURLWithPath: folder), agentCount: recorded.agents.count)
            if given?.checksums != recorded.initialPolicies?.checksums || given == nil {
                found.append(
                    "--init-policies \(folder): the run started from "
                        + (recorded.initialPolicies.map { "\($0.path)" } ?? "freshly initialised policies")
                        + ", not from these policy files")
            }
        }
        if federation.isSet {
            var requested = recorded
            if recorded.method != .fedhpd {
                found.append(
                    "--aggregation/--participation/--dropout-probability/--adversarial-agents: the run is \(recorded.settingLabel), which takes no federation choices"
                )
            } else {
                try federation.apply(to: &requested)
                for field in ConfigurationDifference.fields(recorded, requested) {
                    found.append("federation choice: \(field) (the run's value first)")
                }
            }
        }
        return found
    }

    /// `--public-states` and `--public-states-method` against the run's public-state record: the same set (by
    /// checksum) and, for auto, the same selection method.
    private func publicStateDifferences(
        _ choices: RunChoices, environment: EnvironmentSpecification, setup: RunSetup
    ) throws -> [String] {
        var found: [String] = []
        let record = recorded.publicStates
        if let source = choices.publicStates {
            if let record {
                if source == "auto" {
                    if !record.source.hasPrefix("auto") {
                        found.append("--public-states auto: the run used the file \(record.path ?? record.source)")
                    }
                } else {
                    let given = try setup.loadPublicStates(source, environment: environment)
                    if given.checksum != record.checksum {
                        found.append(
                            "--public-states \(source): checksum \(given.checksum), the run's set (\(record.path ?? record.source)) has \(record.checksum)"
                        )
                    }
                }
            } else {
                found.append("--public-states \(source): the run (\(recorded.settingLabel)) uses no public states")
            }
        }
        if let name = choices.publicStatesMethod {
            guard let selection = PublicStateBuilder.SelectionMethod(name: name) else {
                throw CommandError(
                    "--public-states-method must be \(PublicStateBuilder.SelectionMethod.accepted), got '\(name)'")
            }
            if let record, record.source.hasPrefix("auto") {
                if !record.source.contains("__\(selection.rawValue)__") {
                    found.append("--public-states-method \(name): the run's set is \(record.source)")
                }
            } else {
                found.append(
                    "--public-states-method \(name): the run built no public states (\(record?.source ?? "none"))")
            }
        }
        return found
    }

    /// The absolute path with symbolic links resolved, for comparing two spellings of one folder.
    static func canonicalPath(_ url: URL) -> String {
        url.standardizedFileURL.resolvingSymlinksInPath().path
    }
}
