import HPDTensor

/// A discrete-action policy π(a|s) = softmax(MLP(s)·Wᵀ + b).
///
/// Two forward paths compute the same function: the **tape** path (`logits(_:)` on `Variable`s) for training, and
/// a **tape-free** path (`probabilities(_:)`, `sample`, `greedyAction`) that reuses preallocated workspaces — the
/// batch-1 call made at every environment step allocates nothing.
public final class CategoricalPolicy: Policy {
    /// The architecture this policy was built from (family `.categorical`).
    public let architecture: PolicyArchitecture
    /// The hidden layers.
    public let body: MLP
    /// The logits layer.
    public let head: Linear
    private var workspaces = WorkspaceCache()

    /// A freshly initialised policy (PyTorch default initialisation from `generator`).
    public init(architecture: PolicyArchitecture, generator: inout RandomGenerator) {
        Precondition.check(architecture.family == .categorical, "CategoricalPolicy needs a categorical architecture")
        do { try architecture.validate() } catch { Precondition.failure("\(error)") }
        self.architecture = architecture
        body = MLP(
            inputCount: architecture.observationSize, hiddenSizes: architecture.hiddenSizes,
            activations: architecture.activations, generator: &generator)
        head = Linear(inputCount: body.outputCount, outputCount: architecture.actionSize, generator: &generator)
    }

    /// Convenience: `observationSize → hiddenSizes → actionCount`, one activation for every hidden layer.
    public convenience init(
        observationSize: Int, actionCount: Int, hiddenSizes: [Int], activation: Activation,
        generator: inout RandomGenerator
    ) {
        self.init(
            architecture: PolicyArchitecture(
                family: .categorical, observationSize: observationSize, actionSize: actionCount,
                hiddenSizes: hiddenSizes, activations: Array(repeating: activation, count: hiddenSizes.count)),
            generator: &generator)
    }

    /// [W₀, b₀, …, W_head, b_head]: the body's parameters, then the head's.
    public var parameters: [Variable] { body.parameters + head.parameters }

    /// Logits z(s) for a batch of states (n × observationSize) on the tape.
    public func logits(_ states: Variable) -> Variable {
        head(body(states))
    }

    /// log π(·|s) on the tape (row-wise log-softmax of the logits).
    public func logProbabilities(_ states: Variable) -> Variable {
        logits(states).logSoftmaxRows()
    }

    /// π(·|s) for a batch of states, without a tape.
    public func probabilities(_ states: Tensor) -> Tensor {
        var result = logitsWithoutTape(states)
        result.softmaxRowsInPlace()
        return result
    }

    /// log π(·|s) for a batch of states, without a tape.
    public func logProbabilities(_ states: Tensor) -> Tensor {
        logitsWithoutTape(states).logSoftmaxRows()
    }

    /// Samples a ~ π(·|s) for one observation (inverse-CDF on one uniform draw). Allocation-free.
    public func sample(_ observation: [Float], generator: inout RandomGenerator) -> Int {
        let workspace = runSingle(observation)
        workspace.heads[0].softmaxRowsInPlace()
        let draw = generator.uniformFloat()
        var cumulative: Float = 0
        let count = architecture.actionSize
        for action in 0..<count {
            cumulative += workspace.heads[0][0, action]
            if draw < cumulative { return action }
        }
        return count - 1
    }

    /// argmax_a π(a|s) for one observation. Allocation-free.
    public func greedyAction(_ observation: [Float]) -> Int {
        let workspace = runSingle(observation)
        var best = 0
        for action in 1..<architecture.actionSize where workspace.heads[0][0, action] > workspace.heads[0][0, best] {
            best = action
        }
        return best
    }

    private func runSingle(_ observation: [Float]) -> InferenceWorkspace {
        let workspace = workspaces.workspace(
            batch: 1, observationSize: architecture.observationSize, hiddenSizes: architecture.hiddenSizes,
            headSizes: [architecture.actionSize])
        workspace.input.replaceScalars(with: observation)
        workspace.run(body: body, heads: [head])
        return workspace
    }

    private func logitsWithoutTape(_ states: Tensor) -> Tensor {
        Precondition.check(
            states.columns == architecture.observationSize,
            "CategoricalPolicy: states \(states.shape) do not have \(architecture.observationSize) columns")
        let workspace = workspaces.workspace(
            batch: states.rows, observationSize: architecture.observationSize, hiddenSizes: architecture.hiddenSizes,
            headSizes: [architecture.actionSize])
        workspace.input.replaceScalars(with: states.scalars)
        workspace.run(body: body, heads: [head])
        return workspace.heads[0]
    }
}
