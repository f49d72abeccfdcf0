/// How a batch of states is cut into contiguous chunks whose gradients are computed independently and then summed
/// in chunk order.
///
/// The layout depends only on the batch size and the network's multiply-adds per state — never on the number of
/// threads — so the summation order, and with it every bit of the result, is the same for any thread count. Chunks
/// hold about `targetMultiplyAdds` forward multiply-adds (at least `minimumRows` states), so a wide network is cut
/// finely enough for two cores to share it, while a narrow one stays in one chunk (fewer, larger products).
public struct ChunkLayout: Sendable, Equatable {
    /// Forward multiply-adds aimed at per chunk (≈ 0.3 ms of backward-pass work at 100 GFLOP/s).
    public static let targetMultiplyAdds = 4_000_000
    /// The fewest states a chunk holds (below this, per-call overhead of the products dominates).
    public static let minimumRows = 256

    /// The chunks' row ranges, contiguous and in order, covering 0..<rowCount.
    public let ranges: [Range<Int>]

    /// The layout for `rowCount` states of a network with `multiplyAddsPerState`: ⌈rowCount / r⌉ chunks of as equal
    /// sizes as possible, r = max(minimumRows, targetMultiplyAdds / multiplyAddsPerState).
    public init(rowCount: Int, multiplyAddsPerState: Int) {
        let rowsPerChunk = max(Self.minimumRows, Self.targetMultiplyAdds / max(multiplyAddsPerState, 1))
        let count = max(1, (rowCount + rowsPerChunk - 1) / rowsPerChunk)
        let base = rowCount / count
        let larger = rowCount % count
        var ranges: [Range<Int>] = []
        var start = 0
        for index in 0..<count {
            let size = base + (index < larger ? 1 : 0)
            ranges.append(start..<(start + size))
            start += size
        }
        self.ranges = ranges
    }

    /// The number of chunks.
    public var count: Int { ranges.count }
}
