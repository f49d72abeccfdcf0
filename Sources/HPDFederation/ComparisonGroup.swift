import Foundation

extension Comparison {
    /// The runs of one table row: they differ only in their seed.
    struct Group {
        /// What the runs of a row share.
        struct Key: Equatable {
            /// The setting label, e.g. `FedHPD d=5`.
            var label: String
            /// The environment id.
            var environment: String
            /// Episodes per agent.
            var episodes: Int
            /// The agents, in index order.
            var agents: [AgentSpecification]
            /// The public state set: a file's name, `built` for sets built per seed, empty without one.
            var statesKind: String
            /// NoFed, then FedHPD by interval, then DPA-FedRL by interval.
            var order: Int

            init(_ configuration: FederationConfiguration) {
                label = configuration.settingLabel
                environment = configuration.environment
                episodes = configuration.episodes
                agents = configuration.agents
                statesKind =
                    configuration.publicStates.map { record in
                        record.source.hasPrefix("auto") || record.source.hasPrefix("built")
                            ? "built" : URL(fileURLWithPath: record.path ?? record.source).lastPathComponent
                    } ?? ""
                switch configuration.method {
                case .nofed: order = 0
                case .fedhpd: order = 1 + configuration.interval
                case .dpa: order = 1_000_000 + configuration.interval
                }
            }

            /// Whether a paired difference between the two rows means something: same environment, episode count
            /// and agents (the setting and public state set may differ).
            func isComparable(with other: Key) -> Bool {
                environment == other.environment && episodes == other.episodes && agents == other.agents
            }

            /// What makes two rows not comparable, in words.
            func difference(from other: Key) -> String {
                if environment != other.environment { return "\(environment) vs \(other.environment)" }
                if episodes != other.episodes { return "\(episodes) vs \(other.episodes) episodes" }
                return "different agents"
            }

            /// A stable text for sorting rows of equal order.
            var description: String { "\(label)|\(environment)|\(episodes)|\(agents.count)|\(statesKind)" }

            /// The row's label: the setting label, followed in brackets by whatever tells this row apart from
            /// `namesakes` (the keys with the same setting label, this one included): environment, episode count,
            /// public state set, agents.
            func label(among namesakes: [Key]) -> String {
                guard namesakes.count > 1 else { return label }
                var parts: [String] = []
                if Set(namesakes.map(\.environment)).count > 1 { parts.append(environment) }
                if Set(namesakes.map(\.episodes)).count > 1 { parts.append("\(episodes) episodes") }
                if Set(namesakes.map(\.statesKind)).count > 1 {
                    parts.append(statesKind.isEmpty ? "no public states" : statesKind)
                }
                var agentSets: [[AgentSpecification]] = []
                for key in namesakes where !agentSets.contains(key.agents) { agentSets.append(key.agents) }
                if agentSets.count > 1 {
                    let number = (agentSets.firstIndex(of: agents) ?? 0) + 1
                    parts.append("\(agents.count) agents, set \(number)")
                }
                return parts.isEmpty ? label : "\(label) [\(parts.joined(separator: ", "))]"
            }
        }

        var key: Key
        var runs: [Run]
    }
}
