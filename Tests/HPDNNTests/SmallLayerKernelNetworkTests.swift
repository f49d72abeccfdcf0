import HPDNN
import HPDTensor
import TestSupport
import Testing

/// Whole chunked backward passes through the small-layer kernels: the same gradients as the tape (categorical KL)
/// and as the BLAS path (a Gaussian policy's two heads), and the same bits whatever order the chunks run in.
@Suite struct SmallLayerKernelNetworkTests {
    static var kernelChoices: [SmallLayerKernels.Choice] {
        SmallLayerKernels.bestVariant == .avx2 ? [.portable, .avx2, .automatic] : [.portable, .automatic]
    }

    /// Categorical KL(target ‖ π) batch mean over 3,001 states (3 chunks) of a [65,33] tanh policy (7 inputs, 3 actions;
    /// odd widths exercise every masked lane), chunks run backwards: within 1e-6 + 1e-3·|g| of the tape.
    @Test(arguments: kernelChoices)
    func categoricalGradientsMatchTheTape(choice: SmallLayerKernels.Choice) {
        var generator = RandomGenerator(seed: 77)
        let policy = CategoricalPolicy(
            observationSize: 7, actionCount: 3, hiddenSizes: [65, 33], activation: .tanh, generator: &generator)
        let rows = 3_001
        let states = Tensor.uniform([rows, 7], low: -2, high: 2, generator: &generator)
        let target = Tensor.uniform([rows, 3], low: 0.1, high: 1, generator: &generator).softmaxRows()
        let network = ChunkedNetwork(policy: policy)
        let gradients = SmallLayerKernels.$override.withValue(choice) { () -> [Tensor] in
            network.prepare(rowCount: rows)
            for index in (0..<network.layout.count).reversed() {
                network.forward(chunk: index, states: states, version: nil)
                let chunk = network.chunk(index)
                chunk.partialLoss = Tensor.klDivergenceRows(
                    logits: chunk.headOutputs[0], target: target,
                    firstTargetRow: network.layout.ranges[index].lowerBound, scale: 1 / Float(rows),
                    gradient: &chunk.headGradients[0])
                network.backward(chunk: index)
            }
            network.reduceGradients()
            defer { network.releaseGradients() }
            return policy.parameters.map { $0.gradient! }
        }
        #expect(network.layout.count > 1)
        policy.zeroGradients()
        SmallLayerKernels.$override.withValue(.blas) {
            Variable.klDivergenceBatchMean(target: target, logits: policy.logits(Variable(states))).backward()
        }
        for (index, parameter) in policy.parameters.enumerated() {
            #expect(
                parameter.gradient!.isApproximatelyEqual(
                    to: gradients[index], absoluteTolerance: 1e-6, relativeTolerance: 1e-3),
                "\(choice): parameter \(index)")
        }
    }

    /// A Gaussian [128,65] relu,tanh policy over 1,311 states (4 chunks; 5 inputs, 2 action dimensions: two heads, the second accumulating into
    /// the top layer's gradient) under a fixed linear loss on both heads: the kernels' gradients equal the BLAS
    /// path's within float rounding, and are bit-identical when the chunks run in reverse order.
    @Test(arguments: kernelChoices)
    func gaussianGradientsMatchTheBLASPath(choice: SmallLayerKernels.Choice) {
        var generator = RandomGenerator(seed: 78)
        let architecture = PolicyArchitecture(
            family: .gaussian, observationSize: 5, actionSize: 2, hiddenSizes: [128, 65], activations: [.relu, .tanh])
        let policy = GaussianPolicy(architecture: architecture, generator: &generator)
        let rows = 1_311
        let states = Tensor.uniform([rows, 5], low: -2, high: 2, generator: &generator)
        let meanWeights = Tensor.uniform([rows, 2], low: -1, high: 1, generator: &generator)
        let deviationWeights = Tensor.uniform([rows, 2], low: -1, high: 1, generator: &generator)
        let network = ChunkedNetwork(policy: policy)
        func gradients(_ choice: SmallLayerKernels.Choice, reversed: Bool) -> [Tensor] {
            SmallLayerKernels.$override.withValue(choice) {
                network.prepare(rowCount: rows)
                let order = Array(0..<network.layout.count)
                for index in reversed ? order.reversed() : order {
                    network.forward(chunk: index, states: states, version: nil)
                    let chunk = network.chunk(index)
                    let range = network.layout.ranges[index]
                    chunk.headGradients[0] = meanWeights.rows(range)
                    chunk.headGradients[1] = deviationWeights.rows(range)
                    network.backward(chunk: index)
                }
                network.reduceGradients()
                defer { network.releaseGradients() }
                return policy.parameters.map { $0.gradient! }
            }
        }
        let blas = gradients(.blas, reversed: false)
        #expect(network.layout.count > 1)
        let forwards = gradients(choice, reversed: false)
        let backwards = gradients(choice, reversed: true)
        #expect(forwards == backwards)
        for index in blas.indices {
            #expect(
                forwards[index].isApproximatelyEqual(to: blas[index], absoluteTolerance: 1e-4, relativeTolerance: 1e-4),
                "\(choice): parameter \(index)")
        }
    }
}
