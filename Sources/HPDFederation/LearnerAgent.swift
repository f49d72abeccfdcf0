import HPDNN
import HPDRL
import HPDTensor

#if canImport(Glibc)
import Glibc
#endif

/// A federated agent around a local `PolicyLearner` (REINFORCE, A2C or PPO): it trains with the learner and digests
/// consensus distributions into the learner's **policy** with the policy's own optimiser (same Adam moments, current
/// learning rate; the scheduler is not stepped by digestion). A learner's value network never leaves it.
///
/// Extraction and digestion run over the fixed chunks of `ChunkedNetwork` (a server may run the chunks on several
/// threads, see `ChunkedFederatedAgent`); digestion right after extraction on the same part reuses each chunk's
/// forward pass. The squared-error loss (DPA, one state at a time) runs on the tape in one chunk.
///
/// `@unchecked Sendable`: an agent is only ever used by one job at a time — `ParallelExecutor` hands each agent index
/// to exactly one job per phase and waits for every job before the next phase — except for its chunks, which run
/// concurrently but each mutates only its own `NetworkChunk` buffers (see `ChunkedNetwork`).
public final class LearnerAgent: LocalLearningAgent, ChunkedFederatedAgent, @unchecked Sendable {
    /// The local learner (policy, optimiser, environment, sampling stream). Private to the agent's owner: the server
    /// only ever sees this object through `FederatedAgent`.
    public let learner: any PolicyLearner
    private let network: ChunkedNetwork
    /// The part being extracted or digested, and the digestion's consensus and loss.
    private var states = Tensor.zeros([0, 1])
    private var consensus: ActionDistribution?
    private var lossKind = DigestionLoss.klDivergence
    /// The loss of a squared-error digestion (tape path).
    private var tapeLoss: Variable?

    /// The parameters' version: it changes with every optimiser step (REINFORCE or digestion).
    private var parameterVersion: Int { learner.optimizer.stepCounts.reduce(0, +) }

    /// Wraps `learner`; the agent digests with the learner's own optimiser.
    public init(learner: any PolicyLearner) {
        self.learner = learner
        network = ChunkedNetwork(policy: learner.policy)
    }

    /// Categorical over the policy's actions, or Gaussian over its action dimensions.
    public var distributionFamily: DistributionFamily {
        let architecture = learner.policy.architecture
        return architecture.family == .categorical
            ? .categorical(actionCount: architecture.actionSize) : .gaussian(dimensions: architecture.actionSize)
    }

    /// `runEpisode()` then `update()` on the learner, timed.
    public func trainOneEpisode() -> EpisodeReport {
        let start = monotonicSeconds()
        let episodeReturn = learner.runEpisode()
        let middle = monotonicSeconds()
        let loss = learner.update()
        let end = monotonicSeconds()
        return EpisodeReport(
            episodeReturn: episodeReturn, steps: learner.lastEpisodeLength, rolloutSeconds: middle - start,
            updateSeconds: end - middle, updateLoss: loss)
    }

    /// π(·|s) (categorical) or (μ(s), σ(s)) (Gaussian, σ without the 10⁻⁶ offset), chunk by chunk without a tape.
    public func actionDistribution(on states: Tensor) -> ActionDistribution { extractInOrder(on: states) }

    /// One optimiser step on the digestion loss, returning its value before the step:
    ///
    ///     klDivergence, categorical:  L = (1/n) Σ_s Σ_a p̄(a|s) (ln p̄(a|s) − ln π(a|s))      KL(consensus ‖ local)
    ///     klDivergence, Gaussian:     L = mean_{s,d} KL(N(μ, σ²) ‖ N(μ̄, σ̄²))                KL(local ‖ consensus)
    ///     squaredError, categorical:  L = Σ_s Σ_a (π(a|s) − p̄(a|s))²
    ///     squaredError, Gaussian:     L = Σ_{s,d} (μ − μ̄)² + (σ − σ̄)²
    ///
    /// The consensus is a constant (no gradient flows into it). The KL gradients are summed over chunks in order.
    public func digest(consensus: ActionDistribution, on states: Tensor, loss kind: DigestionLoss) -> Float {
        digestInOrder(consensus: consensus, on: states, loss: kind)
    }

    public func beginExtraction(on states: Tensor) -> AgentWork {
        Precondition.check(
            states.columns == learner.policy.architecture.observationSize,
            "LearnerAgent: states \(states.shape) do not have \(learner.policy.architecture.observationSize) columns")
        self.states = states
        network.prepare(rowCount: states.rows)
        return work
    }

    public func extract(chunk index: Int) {
        network.forward(chunk: index, states: states, version: parameterVersion)
    }

    public func finishExtraction() -> ActionDistribution {
        let size = learner.policy.architecture.actionSize
        var outputs = network.heads.map { _ in Tensor.zeros([states.rows, size]) }
        for (index, range) in network.layout.ranges.enumerated() {
            for head in outputs.indices {
                network.chunk(index).headOutputs[head].copyRows(into: &outputs[head], firstRow: range.lowerBound)
            }
        }
        if outputs.count == 1 {
            outputs[0].softmaxRowsInPlace()
            return .categorical(probabilities: outputs[0])
        }
        outputs[1].formSoftplus()
        return .gaussian(mean: outputs[0], standardDeviation: outputs[1])
    }

    public func beginDigestion(consensus: ActionDistribution, on states: Tensor, loss kind: DigestionLoss) -> AgentWork
    {
        switch (consensus, learner.policy) {
        case (.categorical, is CategoricalPolicy), (.gaussian, is GaussianPolicy): break
        default:
            Precondition.failure(
                "digest: consensus family \(consensus.family) does not match the agent's \(distributionFamily)")
        }
        (self.consensus, lossKind) = (consensus, kind)
        if kind == .squaredError {
            self.states = states
            return AgentWork(chunkCount: 1, costPerChunk: Double(states.rows))
        }
        return beginExtraction(on: states)
    }

    public func digest(chunk index: Int) {
        guard lossKind == .klDivergence else {
            tapeLoss = squaredErrorLoss()
            return
        }
        network.forward(chunk: index, states: states, version: parameterVersion)
        let chunk = network.chunk(index)
        let firstRow = network.layout.ranges[index].lowerBound
        switch consensus! {
        case .categorical(let target):
            chunk.partialLoss = Losses.klDivergenceRows(
                logits: chunk.headOutputs[0], consensus: target, firstRow: firstRow, scale: 1 / Float(states.rows),
                gradient: &chunk.headGradients[0])
        case .gaussian(let globalMean, let globalDeviation):
            chunk.headScratch[1].replaceScalars(with: chunk.headOutputs[1].scalars)
            chunk.headScratch[1].formSoftplus()
            let scale = 1 / Float(states.rows * globalMean.columns)
            chunk.withFirstTwoHeadGradients { meanGradient, deviationGradient in
                chunk.partialLoss = Losses.gaussianKLDivergenceRows(
                    localMean: chunk.headOutputs[0], localDeviation: chunk.headScratch[1], globalMean: globalMean,
                    globalDeviation: globalDeviation, firstRow: firstRow, scale: scale, meanGradient: &meanGradient,
                    deviationGradient: &deviationGradient)
            }
            chunk.headGradients[1].formSoftplusGradient(input: chunk.headOutputs[1])
        }
        network.backward(chunk: index)
    }

    public func finishDigestion() -> Float {
        defer { (consensus, tapeLoss) = (nil, nil) }
        if lossKind == .squaredError, let tapeLoss {
            learner.optimizer.zeroGradients()
            tapeLoss.backward()
            learner.optimizer.step()
            return tapeLoss.value.scalarValue
        }
        let normaliser: Double
        switch consensus! {
        case .categorical: normaliser = Double(states.rows)
        case .gaussian(let mean, _): normaliser = Double(states.rows * mean.columns)
        }
        let loss = Float(network.totalLoss / normaliser)
        network.reduceGradients()
        learner.optimizer.step()
        network.releaseGradients()
        return loss
    }

    /// The chunks of the current part and the forward multiply-adds of one.
    private var work: AgentWork {
        let layout = network.layout
        let multiplyAdds = Double(learner.policy.architecture.multiplyAddsPerState)
        return AgentWork(
            chunkCount: layout.count, costPerChunk: multiplyAdds * Double(layout.ranges.first?.count ?? 0))
    }

    /// The squared-error digestion loss on the tape (DPA-FedRL; one state per step).
    private func squaredErrorLoss() -> Variable {
        let input = Variable(states)
        switch (consensus!, learner.policy) {
        case (.categorical(let target), let policy as CategoricalPolicy):
            return Losses.squaredError((policy.logits(input).softmaxRows(), target))
        case (.gaussian(let globalMean, let globalDeviation), let policy as GaussianPolicy):
            let (mean, deviation) = policy.distribution(input)
            return Losses.squaredError((mean, globalMean), (deviation, globalDeviation))
        default:
            Precondition.failure("digest: consensus family does not match the agent's \(distributionFamily)")
        }
    }

    /// The closed-form Gaussian KL(local ‖ consensus), now `Losses.gaussianKLDivergence` (HPDNN/Losses.swift).
    @available(*, deprecated, renamed: "Losses.gaussianKLDivergence")
    public static func gaussianKLDivergence(
        localMean: Variable, localDeviation: Variable, globalMean: Tensor, globalDeviation: Tensor
    ) -> Variable {
        Losses.gaussianKLDivergence(
            localMean: localMean, localDeviation: localDeviation, globalMean: globalMean,
            globalDeviation: globalDeviation)
    }
}

/// The agent's name before it took any learner (REINFORCE was the only one); the same type.
public typealias ReinforceAgent = LearnerAgent

/// Seconds on a monotonic clock.
package func monotonicSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}
