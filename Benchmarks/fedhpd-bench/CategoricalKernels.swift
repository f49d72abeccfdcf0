import HPDFederation
import HPDNN
import HPDTensor

/// Builds one call of each mode for a categorical policy (CartPole, LunarLander), with fixed random inputs.
enum CategoricalKernels {
    /// A zero-argument closure doing one call of `mode` at `batch` states.
    static func makeCall(
        agent: AgentSpecification, architecture: PolicyArchitecture, batch: Int, mode: KernelMode, seed: UInt64
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
            // L = Σ_i −Ĝ_i · log softmax(z_i)[a_i].
            let input = Variable(states)
            let actions = (0..<batch).map { _ in generator.integer(below: actionCount) }
            let weights = (0..<batch).map { _ in Float(generator.normal()) }
            return {
                policy.zeroGradients()
                let loss = Variable.weightedNegativeLogLikelihood(
                    logits: policy.logits(input), actions: actions, weights: weights)
                loss.backward()
            }
        case .distill:
            // L = KL(p ‖ softmax(z)) averaged over states, p a fixed random consensus; one Adam step.
            let input = Variable(states)
            let target = Tensor.normal([batch, actionCount], generator: &generator).softmaxRows()
            let optimizer = Adam(parameters: policy.parameters, learningRate: agent.reinforce.learningRate)
            return {
                optimizer.zeroGradients()
                let loss = Variable.klDivergenceBatchMean(target: target, logits: policy.logits(input))
                loss.backward()
                optimizer.step()
            }
        }
    }
}
