import ArgumentParser

/// A set of agents written as `1,3-5` (agents counted from 1).
struct AgentSelection: ExpressibleByArgument, Equatable {
    /// The chosen agents, ascending.
    let agents: [Int]

    init?(argument: String) {
        var chosen = Set<Int>()
        for item in argument.split(separator: ",", omittingEmptySubsequences: false) {
            guard let range = Self.range(item) else { return nil }
            chosen.formUnion(range)
        }
        agents = chosen.sorted()
    }

    /// One item of an agent list: `K` or `LOW-HIGH` (1 ≤ LOW ≤ HIGH, spaces allowed around the numbers); nil when
    /// malformed. The one parser of agent numbers (`--agents` of compare, evaluate and join).
    static func range(_ item: Substring) -> ClosedRange<Int>? {
        let bounds = item.split(separator: "-", omittingEmptySubsequences: false).map {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        guard (1...2).contains(bounds.count), let low = bounds.first!, let high = bounds.last!, low >= 1, low <= high
        else { return nil }
        return low...high
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
