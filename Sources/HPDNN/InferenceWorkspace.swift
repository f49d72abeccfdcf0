import HPDTensor

/// Preallocated buffers for tape-free forward passes at one batch size: after the first call, running the network
/// allocates nothing.
final class InferenceWorkspace {
    let batch: Int
    var input: Tensor
    var hidden: [Tensor]
    var heads: [Tensor]
    /// The small-layer kernels' reusable buffer (grown on first use; empty where every pass stays on BLAS).
    var scratch: [Float] = []

    init(batch: Int, observationSize: Int, hiddenSizes: [Int], headSizes: [Int]) {
        self.batch = batch
        input = Tensor.zeros([batch, observationSize])
        hidden = hiddenSizes.map { Tensor.zeros([batch, $0]) }
        heads = headSizes.map { Tensor.zeros([batch, $0]) }
    }

    /// Runs the body on `input`, then each head on the last hidden layer; results are in `heads`. Each layer is one
    /// fused pass act(x·Wᵀ + b) (a small-layer kernel or BLAS, per `SmallLayerKernels`).
    func run(body: MLP, heads headLayers: [Linear]) {
        var previous = input
        for index in body.layers.indices {
            let layer = body.layers[index]
            Tensor.linear(
                previous, weight: layer.weight.value, bias: layer.bias.value,
                activation: body.activations[index].layerActivation, into: &hidden[index], scratch: &scratch)
            previous = hidden[index]
        }
        for index in headLayers.indices {
            Tensor.linear(
                previous, weight: headLayers[index].weight.value, bias: headLayers[index].bias.value,
                activation: .identity, into: &heads[index], scratch: &scratch)
        }
    }
}

/// Workspaces for the batch sizes a policy has been asked to run, reused across calls.
struct WorkspaceCache {
    private var workspaces: [Int: InferenceWorkspace] = [:]

    mutating func workspace(
        batch: Int, observationSize: Int, hiddenSizes: [Int], headSizes: [Int]
    ) -> InferenceWorkspace {
        if let existing = workspaces[batch] { return existing }
        if workspaces.count > 8 { workspaces.removeAll() }
        let created = InferenceWorkspace(
            batch: batch, observationSize: observationSize, hiddenSizes: hiddenSizes, headSizes: headSizes)
        workspaces[batch] = created
        return created
    }
}
