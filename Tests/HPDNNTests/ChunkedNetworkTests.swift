import HPDNN
import HPDTensor
import Testing

@Suite struct ChunkedNetworkTests {
    /// Chunks are contiguous, cover every row once, and are as equal as possible; narrow networks stay whole,
    /// wide ones split (LunarLander's [512,512] agent: 2500 states → 10 chunks of 250).
    @Test func layoutsCoverEveryRowInContiguousNearlyEqualChunks() {
        for (rows, multiplyAdds) in [(2500, 268_288), (2500, 4_480), (601, 529_408), (1, 100), (0, 100)] {
            let layout = ChunkLayout(rowCount: rows, multiplyAddsPerState: multiplyAdds)
            #expect(layout.ranges.first?.lowerBound == 0 && layout.ranges.last?.upperBound == rows)
            #expect(zip(layout.ranges, layout.ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            let sizes = layout.ranges.map(\.count)
            #expect(sizes.max()! - sizes.min()! <= 1)
        }
        #expect(
            ChunkLayout(rowCount: 2500, multiplyAddsPerState: 268_288).ranges.map(\.count)
                == Array(repeating: 250, count: 10))
        #expect(ChunkLayout(rowCount: 2500, multiplyAddsPerState: 1_216).count == 1)
    }

    /// The gradients do not depend on the order the chunks ran in (as on several threads): running them backwards
    /// gives the same bits after the ordered reduction.
    @Test func gradientsAreBitIdenticalWhateverOrderTheChunksRunIn() {
        // One BLAS thread, as every trainer runs (ParallelExecutor sets it too): otherwise a concurrent test that
        // lowers the process-wide BLAS thread count between the two passes changes the products' rounding.
        LinearAlgebraLibrary.threadCount = 1
        var generator = RandomGenerator(seed: 41)
        let policy = CategoricalPolicy(
            observationSize: 4, actionCount: 2, hiddenSizes: [128, 128], activation: .relu, generator: &generator)
        let states = Tensor.uniform([700, 4], low: -2, high: 2, generator: &generator)
        let target = Tensor.uniform([700, 2], low: 0.1, high: 1, generator: &generator).softmaxRows()
        let network = ChunkedNetwork(policy: policy)
        func gradients(order: (Int) -> [Int]) -> [Tensor] {
            network.prepare(rowCount: 700)
            for index in order(network.layout.count) {
                network.forward(chunk: index, states: states, version: nil)
                let chunk = network.chunk(index)
                chunk.partialLoss = Tensor.klDivergenceRows(
                    logits: chunk.headOutputs[0], target: target,
                    firstTargetRow: network.layout.ranges[index].lowerBound,
                    scale: 1 / 700, gradient: &chunk.headGradients[0])
                network.backward(chunk: index)
            }
            network.reduceGradients()
            defer { network.releaseGradients() }
            return policy.parameters.map { $0.gradient! }
        }
        let forwards = gradients { Array(0..<$0) }
        let backwards = gradients { Array((0..<$0).reversed()) }
        #expect(network.layout.count > 1)
        #expect(forwards == backwards)
        policy.zeroGradients()
        Variable.klDivergenceBatchMean(target: target, logits: policy.logits(Variable(states))).backward()
        for (index, parameter) in policy.parameters.enumerated() {
            #expect(
                parameter.gradient!.isApproximatelyEqual(
                    to: forwards[index], absoluteTolerance: 1e-6, relativeTolerance: 1e-3))
        }
    }
}
