import ArgumentParser

/// A set of agents written as `1,3-5` (agents counted from 1).
struct AgentSelection: ExpressibleByArgument, Equatable {
    /// The chosen agents, ascending.
    let agents: [Int]

    init?(argument: String) {
        var chosen = Set<Int>()
        for item in argument.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false).map {
                Int($0.trimmingCharacters(in: .whitespaces))
            }
            guard (1...2).contains(bounds.count), let low = bounds.first!, let high = bounds.last!, low >= 1,
                low <= high
            else {
                return nil
            }
            chosen.formUnion(low...high)
        }
        agents = chosen.sorted()
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
