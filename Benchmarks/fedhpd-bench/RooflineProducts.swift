import HPDNN
import HPDTensor

/// The BLAS roofline of a kernel: the same matrix products alone, through the engine's `Tensor.matmul`
/// (cblas_sgemm, or sgemv / a plain loop for one row) on preallocated operands and outputs, in `Linear`'s layouts.
///
/// For every linear layer with m = batch, n = outputs, k = inputs:
///
///     forward          Y (m×n) = X (m×k) · Wᵀ        (W stored n×k, as PyTorch)
///     weight gradient  W̄ (n×k) = Ȳᵀ · X             (backward modes only)
///     input gradient   X̄ (m×k) = Ȳ · W               (backward modes only)
///
/// `roofline fraction = time(products alone) / time(kernel)`: 1 means the kernel costs no more than its GEMMs.
final class RooflineProducts {
    private struct Layer {
        var input: Tensor
        var weight: Tensor
        var outputGradient: Tensor
        var output: Tensor
        var weightGradient: Tensor
        var inputGradient: Tensor
    }

    private var layers: [Layer]
    private let includesBackward: Bool

    /// The products of `architecture` at `batch` states; `includesBackward` adds the two gradient products.
    init(architecture: PolicyArchitecture, batch: Int, includesBackward: Bool, seed: UInt64) {
        var generator = RandomGenerator(seed: seed, stream: 5)
        layers = architecture.forwardProducts(batch: batch).map { shape in
            Layer(
                input: Tensor.normal([shape.m, shape.k], generator: &generator),
                weight: Tensor.normal([shape.n, shape.k], generator: &generator),
                outputGradient: Tensor.normal([shape.m, shape.n], generator: &generator),
                output: Tensor.zeros([shape.m, shape.n]),
                weightGradient: Tensor.zeros([shape.n, shape.k]),
                inputGradient: Tensor.zeros([shape.m, shape.k]))
        }
        self.includesBackward = includesBackward
    }

    /// Runs every product once.
    func run() {
        for index in layers.indices {
            Tensor.matmul(layers[index].input, layers[index].weight, transposeRight: true, into: &layers[index].output)
            guard includesBackward else { continue }
            Tensor.matmul(
                layers[index].outputGradient, layers[index].input, transposeLeft: true,
                into: &layers[index].weightGradient)
            Tensor.matmul(layers[index].outputGradient, layers[index].weight, into: &layers[index].inputGradient)
        }
    }
}
