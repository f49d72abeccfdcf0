import HPDFederation
import HPDNN
import HPDRL
import HPDTensor

/// Builds one call of each mode for a categorical policy (CartPole, LunarLander), with fixed random inputs.
enum CategoricalKernels {
    /// A zero-argument closure doing one call of `mode` at `batch` states.
    static func makeCall(
        agent: AgentSpecification, environment: EnvironmentSpecification, architecture: PolicyArchitecture, batch: Int,
        mode: KernelMode, seed: UInt64
    ) -> () -> Void {
        var generator = RandomGenerator(seed: seed)
        let policy = CategoricalPolicy(architecture: architecture, generator: &generator)
        let actionCount = architecture.actionSize
        let states = Tensor.normal([batch, architecture.observationSize], generator: &generator)
        switch mode {
        case .inference where batch == 1:
            // The rollout path: forward, softmax and an inverse-CDF draw, all in preallocated workspaces.
            let observation = states.scalars
            var sampling = RandomGenerator(seed: seed, stream: 1)
            return { blackHole(policy.sample(observation, generator: &sampling)) }
        case .inference:
            return { blackHole(policy.probabilities(states)) }
        case .reinforce:
            // L = Σ_i −Ĝ_i · log softmax(z_i)[a_i]: the learner's chunked gradient (ReinforceLearner.update's path).
            let actions = (0..<batch).map { _ in generator.integer(below: actionCount) }
            let weights = (0..<batch).map { _ in Float(generator.normal()) }
            let gradient = ReinforceGradient(policy: policy)
            return {
                blackHole(gradient.compute(states: states, actions: actions, weights: weights))
                gradient.releaseGradients()
            }
        case .distill:
            // L = KL(p ‖ softmax(z)) averaged over states, p a fixed random consensus; one Adam step: the agent's
            // chunked digestion (forward, loss, backward, ordered reduction, step) on one thread.
            let target = Tensor.normal([batch, actionCount], generator: &generator).softmaxRows()
            let federated = ReinforceAgent(
                learner: ReinforceLearner(
                    policy: policy, environment: try! environment.makeEnvironment(0), configuration: agent.reinforce,
                    environmentSeed: 1, generator: RandomGenerator(seed: seed, stream: 2)))
            return {
                blackHole(
                    federated.digest(consensus: .categorical(probabilities: target), on: states, loss: .klDivergence))
            }
        }
    }
}
