import HPDTensor

/// Preallocated buffers for tape-free forward passes at one batch size: after the first call, running the network
/// allocates nothing.
final class InferenceWorkspace {
    let batch: Int
    var input: Tensor
    var hidden: [Tensor]
    var heads: [Tensor]

    init(batch: Int, observationSize: Int, hiddenSizes: [Int], headSizes: [Int]) {
        self.batch = batch
        input = Tensor.zeros([batch, observationSize])
        hidden = hiddenSizes.map { Tensor.zeros([batch, $0]) }
        heads = headSizes.map { Tensor.zeros([batch, $0]) }
    }

    /// Runs the body on `input`, then each head on the last hidden layer; results are in `heads`.
    func run(body: MLP, heads headLayers: [Linear]) {
        var previous = input
        for index in body.layers.indices {
            body.layers[index].forward(previous, into: &hidden[index])
            body.activations[index].apply(to: &hidden[index])
            previous = hidden[index]
        }
        for index in headLayers.indices { headLayers[index].forward(previous, into: &heads[index]) }
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
        let created = InferenceWorkspace(batch: batch, observationSize: observationSize, hiddenSizes: hiddenSizes, headSizes: headSizes)
        workspaces[batch] = created
        return created
    }
}
