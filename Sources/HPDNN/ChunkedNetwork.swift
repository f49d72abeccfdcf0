import HPDTensor

/// A policy's network over a batch of states cut into the fixed chunks of `ChunkLayout`, for gradients without a
/// tape and without allocation:
///
///     prepare(rowCount: n)                          once per batch (picks the layout and its reused buffers)
///     forward(chunk: c, …); loss fills ȳ; backward(chunk: c)     for every chunk, in any order, on any threads
///     reduceGradients()                             θ.gradient = Σ_c ∂L_c/∂θ, summed in chunk order
///
/// Because the layout never depends on the thread count and the sum runs in chunk order, the gradients are
/// bit-identical however the chunks were scheduled.
///
/// `@unchecked Sendable`: between `prepare` and `reduceGradients` (both on one thread) the only mutations are each
/// chunk's own buffers, by the one job that runs that chunk; the layout, the chunk list and the parameters are only
/// read.
public final class ChunkedNetwork: @unchecked Sendable {
    /// The hidden layers.
    public let body: MLP
    /// The output layers, all fed by the body's last layer.
    public let heads: [Linear]
    /// The parameters in the policy's order: the body's, then each head's W and b.
    public let parameters: [Variable]
    /// The current batch's layout (set by `prepare`).
    public private(set) var layout = ChunkLayout(rowCount: 0, multiplyAddsPerState: 1)
    private let architecture: PolicyArchitecture
    private var chunksByRowCount: [Int: (layout: ChunkLayout, chunks: [NetworkChunk])] = [:]
    private var chunks: [NetworkChunk] = []
    private var reductions: [Tensor]

    /// How many batch sizes keep their buffers (beyond this, the size first prepared earliest is dropped).
    public let cachedBatchSizes: Int
    private var preparedOrder: [Int] = []

    /// The chunked view of a `CategoricalPolicy` (one head: the logits) or a `GaussianPolicy` (heads μ and the
    /// deviation's pre-softplus input), keeping buffers for up to `cachedBatchSizes` batch sizes — a few for the
    /// fixed parts of a public set; 1 where every batch has a new size (episodes), to bound memory.
    public init(policy: Policy, cachedBatchSizes: Int = 4) {
        self.cachedBatchSizes = max(1, cachedBatchSizes)
        switch policy {
        case let categorical as CategoricalPolicy:
            body = categorical.body
            heads = [categorical.head]
        case let gaussian as GaussianPolicy:
            body = gaussian.body
            heads = [gaussian.meanHead, gaussian.standardDeviationHead]
        default:
            Precondition.failure(
                "ChunkedNetwork supports CategoricalPolicy and GaussianPolicy, not \(type(of: policy))")
        }
        architecture = policy.architecture
        parameters = policy.parameters
        reductions = parameters.map { Tensor.zeros($0.value.shape) }
    }

    /// Selects the layout for `rowCount` states and its buffers (kept per batch size, so alternating sizes such as
    /// a short last part allocate only the first time).
    public func prepare(rowCount: Int) {
        if let existing = chunksByRowCount[rowCount] {
            (layout, chunks) = existing
            return
        }
        if preparedOrder.count >= cachedBatchSizes {
            chunksByRowCount[preparedOrder.removeFirst()] = nil
        }
        preparedOrder.append(rowCount)
        layout = ChunkLayout(rowCount: rowCount, multiplyAddsPerState: architecture.multiplyAddsPerState)
        let headSizes = Array(repeating: architecture.actionSize, count: heads.count)
        chunks = layout.ranges.map {
            NetworkChunk(
                rows: $0.count, observationSize: architecture.observationSize, hiddenSizes: architecture.hiddenSizes,
                headSizes: headSizes)
        }
        chunksByRowCount[rowCount] = (layout, chunks)
    }

    /// The buffers of chunk `index` of the current layout.
    public func chunk(_ index: Int) -> NetworkChunk { chunks[index] }

    /// Runs the forward pass of chunk `index` on its rows of `states`, unless it already holds that pass for the same
    /// rows and parameter `version` (a counter the caller advances whenever the parameters change; nil: always run).
    public func forward(chunk index: Int, states: Tensor, version: Int?) {
        let range = layout.ranges[index]
        let chunk = chunks[index]
        if let version, chunk.holdsForward(states: states, range: range, version: version) { return }
        chunk.runForward(states: states, range: range, body: body, heads: heads, version: version)
    }

    /// Back-propagates chunk `index`'s head gradients into its share of the parameter gradients.
    public func backward(chunk index: Int) {
        chunks[index].backward(body: body, heads: heads)
    }

    /// Σ over chunks, in chunk order, of their `partialLoss`.
    public var totalLoss: Double {
        chunks.reduce(0) { $0 + $1.partialLoss }
    }

    /// Sets every parameter's gradient to the chunks' gradients summed in chunk order (replacing any previous one).
    /// Call `releaseGradients()` after the optimiser step so the buffers are reused without a copy.
    public func reduceGradients() {
        for index in parameters.indices {
            parameters[index].zeroGradient()
            reductions[index].replaceScalars(with: chunks[0].gradient(ofParameter: index).scalars)
            for chunk in chunks.dropFirst() { reductions[index].add(chunk.gradient(ofParameter: index)) }
            parameters[index].accumulateGradient(reductions[index])
        }
    }

    /// Drops the parameters' references to the reduction buffers (after the optimiser has read them).
    public func releaseGradients() {
        for parameter in parameters { parameter.zeroGradient() }
    }
}
