import HPDFederation
import HPDNN
import HPDRL
import HPDTensor

/// Builds one call of each mode for a Gaussian policy (InvertedPendulum), with fixed random inputs.
enum GaussianKernels {
    /// A zero-argument closure doing one call of `mode` at `batch` states.
    static func makeCall(
        agent: AgentSpecification, environment: EnvironmentSpecification, architecture: PolicyArchitecture, batch: Int,
        mode: KernelMode, seed: UInt64
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
            // L = −Σ_t G_t · (1/D) Σ_d log N(a_td; μ_d(s_t), σ_d(s_t)²): ReinforceLearner.update's chunked gradient.
            let actions = Tensor.normal([batch, dimensions], generator: &generator)
            let weights = (0..<batch).map { _ in Float(generator.normal()) }
            let gradient = ReinforceGradient(policy: policy)
            return {
                blackHole(gradient.compute(states: states, actions: actions, weights: weights))
                gradient.releaseGradients()
            }
        case .distill:
            // L = mean KL(N(μ, σ²) ‖ N(μ_g, σ_g²)) against a fixed random consensus; one AdamW step: the agent's
            // chunked digestion on one thread.
            let globalMean = Tensor.normal([batch, dimensions], generator: &generator)
            let globalDeviation = Tensor.normal([batch, dimensions], generator: &generator).softplus() + 0.05
            let federated = ReinforceAgent(
                learner: ReinforceLearner(
                    policy: policy, environment: try! environment.makeEnvironment(0), configuration: agent.reinforce,
                    environmentSeed: 1, generator: RandomGenerator(seed: seed, stream: 2)))
            let consensus = ActionDistribution.gaussian(mean: globalMean, standardDeviation: globalDeviation)
            return { blackHole(federated.digest(consensus: consensus, on: states, loss: .klDivergence)) }
        }
    }
}
