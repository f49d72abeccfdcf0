#if Network
/// `1, 3–5, 9` (1-based) for a list of 0-based agent indices.
func agentList(_ indices: some Sequence<Int>) -> String {
    let sorted = Array(Set(indices)).sorted()
    var parts: [String] = []
    var start = 0
    while start < sorted.count {
        var end = start
        while end + 1 < sorted.count && sorted[end + 1] == sorted[end] + 1 { end += 1 }
        parts.append(end == start ? "\(sorted[start] + 1)" : "\(sorted[start] + 1)–\(sorted[end] + 1)")
        start = end + 1
    }
    return parts.joined(separator: ", ")
}
#endif
