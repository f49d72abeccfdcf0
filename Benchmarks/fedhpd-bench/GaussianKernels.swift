import HPDFederation
import HPDNN
import HPDTensor

/// Builds one call of each mode for a Gaussian policy (InvertedPendulum), with fixed random inputs.
enum GaussianKernels {
    /// A zero-argument closure doing one call of `mode` at `batch` states.
    static func makeCall(
        agent: AgentSpecification, architecture: PolicyArchitecture, batch: Int, mode: KernelMode, seed: UInt64
    ) -> () -> Void {
        var generator = RandomGenerator(seed: seed)
        let policy = GaussianPolicy(architecture: architecture, generator: &generator)
        let dimensions = architecture.actionSize
        let states = Tensor.normal([batch, architecture.observationSize], generator: &generator)
        switch mode {
        case .inference where batch == 1:
            // The rollout path: forward, softplus and a = μ + σ·z into a reused buffer.
            let observation = states.scalars
            var sampling = RandomGenerator(seed: seed, stream: 1)
            var action = [Float](repeating: 0, count: dimensions)
            return {
                policy.sample(observation, generator: &sampling, into: &action)
                blackHole(action[0])
            }
        case .inference:
            return { blackHole(policy.distribution(states)) }
        case .reinforce:
            // L = −Σ_t G_t · (1/D) Σ_d log N(a_td; μ_d(s_t), σ_d(s_t)²), as ReinforceLearner.update.
            let input = Variable(states)
            let actions = Tensor.normal([batch, dimensions], generator: &generator)
            let weights = Variable(Tensor.normal([batch, 1], generator: &generator))
            return {
                policy.zeroGradients()
                let (mean, deviation) = policy.distribution(input)
                let logDensity = GaussianPolicy.logDensity(actions: actions, mean: mean, standardDeviation: deviation)
                let loss = -(logDensity.rowMeans() * weights).sum()
                loss.backward()
            }
        case .distill:
            // L = mean KL(N(μ, σ²) ‖ N(μ_g, σ_g²)) against a fixed random consensus; one AdamW step.
            let input = Variable(states)
            let globalMean = Tensor.normal([batch, dimensions], generator: &generator)
            let globalDeviation = Tensor.normal([batch, dimensions], generator: &generator).softplus() + 0.05
            let optimizer = Adam.adamW(
                parameters: policy.parameters, learningRate: agent.reinforce.learningRate,
                weightDecay: agent.reinforce.weightDecay)
            return {
                optimizer.zeroGradients()
                let (mean, deviation) = policy.distribution(input)
                let loss = ReinforceAgent.gaussianKLDivergence(
                    localMean: mean, localDeviation: deviation, globalMean: globalMean, globalDeviation: globalDeviation)
                loss.backward()
                optimizer.step()
            }
        }
    }
}
