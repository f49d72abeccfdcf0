import ArgumentParser
import HPDFederation

/// The server's choices for FedHPD settings, shared by `train` and `serve`: aggregation, partial participation,
/// stragglers and (simulated) adversaries. Recorded in config.json, part of the run folder's name when not the
/// paper's, checked on resume.
struct FederationChoiceOptions: ParsableArguments {
    @Option(
        help:
            "Consensus: mean (FedHPD's), median, trimmed:F (0 ≤ F < 0.5) or weighted[:T] (softmax over recent returns, T > 0, default 100)."
    )
    var aggregation: String?
    @Option(help: "Share P ∈ (0, 1] of agents (⌈P·N⌉, a seeded random subset) taking part in each distillation event.")
    var participation: Double?
    @Option(
        name: .customLong("dropout-probability"),
        help: "Probability Q ∈ [0, 1) that a chosen agent misses an event (simulated stragglers).")
    var dropoutProbability: Double?
    @Option(
        name: .customLong("adversarial-agents"),
        help:
            "Comma-separated agent numbers (1-based) whose uploads are confidently wrong (all mass on their least likely action)."
    )
    var adversarialAgents: String?

    /// Whether any choice was given.
    var isSet: Bool {
        aggregation != nil || participation != nil || dropoutProbability != nil || adversarialAgents != nil
    }

    /// Writes the choices into a FedHPD `configuration` (defaults stay nil, so the paper's setting keeps its name).
    func apply(to configuration: inout FederationConfiguration) throws {
        if let aggregation {
            do { configuration.aggregation = try AggregationChoice.strategy(named: aggregation).name } catch {
                throw CommandError("--aggregation: \(error)")
            }
        }
        if let participation {
            guard participation > 0 && participation <= 1 else {
                throw CommandError("--participation: P must be in (0, 1], got \(participation)")
            }
            configuration.participation = participation == 1 ? nil : participation
        }
        if let dropoutProbability {
            guard dropoutProbability >= 0 && dropoutProbability < 1 else {
                throw CommandError("--dropout-probability: Q must be in [0, 1), got \(dropoutProbability)")
            }
            configuration.dropoutProbability = dropoutProbability == 0 ? nil : dropoutProbability
        }
        if let adversarialAgents {
            let numbers = try adversarialAgents.split(separator: ",", omittingEmptySubsequences: false).map { item in
                guard let number = Int(item.trimmingCharacters(in: .whitespaces)) else {
                    throw CommandError("--adversarial-agents: '\(item)' is not an agent number")
                }
                guard (1...configuration.agents.count).contains(number) else {
                    throw CommandError(
                        "--adversarial-agents: agent \(number) is out of range 1…\(configuration.agents.count)")
                }
                return number
            }
            guard Set(numbers).count == numbers.count else {
                throw CommandError("--adversarial-agents: an agent is named twice in '\(adversarialAgents)'")
            }
            configuration.adversarialAgents = numbers.sorted()
        }
    }
}
