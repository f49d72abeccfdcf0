/// A deterministic share of a grid: shard `index` of `count` (1-based). `PaperGrid.cells(shard:)` gives its cells.
public struct GridShard: Sendable, Equatable {
    /// 1-based shard number, 1 … count.
    public let index: Int
    /// The number of shards.
    public let count: Int

    /// The whole grid (shard 1 of 1).
    public static let whole = GridShard(checkedIndex: 1, count: 1)

    private init(checkedIndex index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Shard `index` of `count`; throws unless 1 ≤ index ≤ count.
    public init(index: Int, count: Int) throws(FederationError) {
        guard count >= 1 else {
            throw .invalidConfiguration("--shard: the shard count must be at least 1, got \(count)")
        }
        guard (1...count).contains(index) else {
            throw .invalidConfiguration("--shard: shard \(index) is outside 1…\(count)")
        }
        self.init(checkedIndex: index, count: count)
    }

    /// Parses `K/N`, or `slurm` (read from `environment`, see `init(slurm:)`).
    public init(argument: String, environment: [String: String]) throws(FederationError) {
        if argument.lowercased() == "slurm" {
            try self.init(slurm: environment)
            return
        }
        let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw .invalidConfiguration("--shard: expected K/N (e.g. 2/4) or slurm, got '\(argument)'")
        }
        try self.init(index: index, count: count)
    }

    /// The share of a Slurm job array task: index = SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN + 1 and count =
    /// SLURM_ARRAY_TASK_COUNT (or MAX − MIN + 1 when the count is absent). MIN defaults to 0 when unset.
    public init(slurm environment: [String: String]) throws(FederationError) {
        func number(_ name: String) throws(FederationError) -> Int? {
            guard let text = environment[name] else { return nil }
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw .invalidConfiguration("--shard slurm: \(name)='\(text)' is not an integer")
            }
            return value
        }
        guard let task = try number("SLURM_ARRAY_TASK_ID") else {
            throw .invalidConfiguration("--shard slurm: SLURM_ARRAY_TASK_ID is not set (not inside a Slurm job array?)")
        }
        let minimum = try number("SLURM_ARRAY_TASK_MIN") ?? 0
        let count: Int
        if let given = try number("SLURM_ARRAY_TASK_COUNT") {
            count = given
        } else if let maximum = try number("SLURM_ARRAY_TASK_MAX") {
            count = maximum - minimum + 1
        } else {
            throw .invalidConfiguration("--shard slurm: neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX is set")
        }
        try self.init(index: task - minimum + 1, count: count)
    }
}
