import HPDNN
import HPDRL
import HPDTensor

#if canImport(Glibc)
import Glibc
#endif

/// A federated agent that learns with REINFORCE and digests consensus distributions with its own optimiser
/// (same Adam moments, current learning rate; the scheduler is not stepped by digestion).
public final class ReinforceAgent: LocalLearningAgent, @unchecked Sendable {
    /// The local learner (policy, optimiser, environment, sampling stream). Private to the agent's owner: the server
    /// only ever sees this object through `FederatedAgent`.
    public let learner: ReinforceLearner

    /// Wraps `learner`; the agent digests with the learner's own optimiser.
    /// The optimiser's total step count when the last extraction ran (nil after a digestion).
    private var extractionStamp: Int?

    private var optimizerStepTotal: Int { learner.optimizer.stepCounts.reduce(0, +) }

    public init(learner: ReinforceLearner) {
        self.learner = learner
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
        learner.update()
        let end = monotonicSeconds()
        return EpisodeReport(
            episodeReturn: episodeReturn, steps: learner.lastEpisodeLength, rolloutSeconds: middle - start,
            updateSeconds: end - middle)
    }

    /// π(·|s) (categorical) or (μ(s), σ(s)) (Gaussian, σ without the 10⁻⁶ offset) on the tape-free path.
    public func actionDistribution(on states: Tensor) -> ActionDistribution {
        if let policy = learner.policy as? CategoricalPolicy {
            extractionStamp = optimizerStepTotal
            return .categorical(probabilities: policy.probabilities(states))
        }
        let (mean, deviation) = (learner.policy as! GaussianPolicy).distribution(states)
        return .gaussian(mean: mean, standardDeviation: deviation)
    }

    /// One optimiser step on the digestion loss, returning its value before the step:
    ///
    ///     klDivergence, categorical:  L = (1/n) Σ_s Σ_a p̄(a|s) (ln p̄(a|s) − ln π(a|s))      KL(consensus ‖ local)
    ///     klDivergence, Gaussian:     L = mean_{s,d} KL(N(μ, σ²) ‖ N(μ̄, σ̄²))                KL(local ‖ consensus)
    ///     squaredError, categorical:  L = Σ_s Σ_a (π(a|s) − p̄(a|s))²
    ///     squaredError, Gaussian:     L = Σ_{s,d} (μ − μ̄)² + (σ − σ̄)²
    ///
    /// The consensus is a constant (no gradient flows into it).
    public func digest(consensus: ActionDistribution, on states: Tensor, loss kind: DigestionLoss) -> Float {
        let input = Variable(states)
        let loss: Variable
        switch (consensus, learner.policy) {
        case (.categorical(let target), let policy as CategoricalPolicy):
            // Digestion right after extraction on the same part reuses that forward (bit-identical gradients).
            let reused = extractionStamp == optimizerStepTotal ? policy.logitsReusingLastForward(states) : nil
            let logits = reused ?? policy.logits(input)
            switch kind {
            case .klDivergence:
                loss = Variable.klDivergenceBatchMean(target: target, logits: logits)
            case .squaredError:
                loss = (logits.softmaxRows() - Variable(target)).squared().sum()
            }
        case (.gaussian(let globalMean, let globalDeviation), let policy as GaussianPolicy):
            let (mean, deviation) = policy.distribution(input)
            switch kind {
            case .klDivergence:
                loss = Self.gaussianKLDivergence(
                    localMean: mean, localDeviation: deviation, globalMean: globalMean, globalDeviation: globalDeviation)
            case .squaredError:
                loss = ((mean - Variable(globalMean)).squared() + (deviation - Variable(globalDeviation)).squared()).sum()
            }
        default:
            Precondition.failure("digest: consensus family \(consensus.family) does not match the agent's \(distributionFamily)")
        }
        learner.optimizer.zeroGradients()
        loss.backward()
        learner.optimizer.step()
        extractionStamp = nil
        return loss.value.scalarValue
    }

    /// KL(N(μ_l, σ_l²) ‖ N(μ_g, σ_g²)) = ln(σ_g/σ_l) + (σ_l² + (μ_l − μ_g)²)/(2σ_g²) − ½, averaged over states and
    /// action dimensions; both σ carry the policy's 10⁻⁶ offset so the logarithm is always finite.
    public static func gaussianKLDivergence(
        localMean: Variable, localDeviation: Variable, globalMean: Tensor, globalDeviation: Tensor
    ) -> Variable {
        let sigmaLocal = localDeviation + GaussianPolicy.offset
        let sigmaGlobal = globalDeviation + GaussianPolicy.offset
        let difference = localMean - Variable(globalMean)
        let ratio = Variable(sigmaGlobal.log()) - sigmaLocal.log()
        let quadratic = (sigmaLocal.squared() + difference.squared()) * Variable(1 / (2 * sigmaGlobal.squared()))
        return (ratio + quadratic - 0.5).mean()
    }
}

/// Seconds on a monotonic clock.
public func monotonicSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}
