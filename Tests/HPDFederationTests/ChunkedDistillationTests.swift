import HPDEnvironments
import HPDFederation
import HPDNN
import HPDRL
import HPDTensor
import Testing

/// Distillation events whose agents split into several chunks (wide networks), scheduled as flat (agent, chunk)
/// job lists: identical bits with 1 and 2 threads, and the same step as the tape formulation.
@Suite struct ChunkedDistillationTests {
    /// A still continuous task (observations 4, one action) so Gaussian agents can be built.
    struct StillTask: Environment {
        var observationSize: Int { 4 }
        var actionSpace: ActionSpace { .continuous(low: [-1], high: [1]) }
        mutating func reset(seed: UInt64?) -> [Float] { [0, 0, 0, 0] }
        mutating func step(_ action: EnvironmentAction) -> StepResult {
            StepResult(observation: [0, 0, 0, 0], reward: 0, terminated: true, truncated: false)
        }
    }

    static func agents(family: PolicyArchitecture.Family) -> [ReinforceAgent] {
        let hidden: [[Int]] = [[128, 128], [32, 32], [512], [8]]
        return hidden.enumerated().map { index, sizes in
            var weights = RandomGenerator(seed: 9, stream: UInt64(index))
            let architecture = PolicyArchitecture(
                family: family, observationSize: 4, actionSize: family == .categorical ? 2 : 1, hiddenSizes: sizes,
                activations: sizes.enumerated().map { $0.offset % 2 == 0 ? .tanh : .relu })
            let policy: Policy =
                family == .categorical
                ? CategoricalPolicy(architecture: architecture, generator: &weights)
                : GaussianPolicy(architecture: architecture, generator: &weights)
            let environment: any Environment = family == .categorical ? CartPole.makeV1() : StillTask()
            let learner = ReinforceLearner(
                policy: policy, environment: environment, configuration: ReinforceConfiguration(learningRate: 1e-3),
                environmentSeed: 1, generator: RandomGenerator(seed: 9, stream: 100 + UInt64(index)))
            return ReinforceAgent(learner: learner)
        }
    }

    /// One event (2 loops over 3 parts) with 1 and with 2 threads: same losses and same parameters, bit for bit,
    /// for categorical and Gaussian agents, while the widest agent runs in several chunks.
    @Test func eventsWithSplitAgentsAreBitIdenticalWithOneOrTwoThreads() {
        let states = FederationTests.smallPublicStates(count: 1300)
        for family in [PolicyArchitecture.Family.categorical, .gaussian] {
            let server = DistillationServer(publicStates: states, partSize: 600, loops: 2)
            #expect(ChunkLayout(rowCount: 600, multiplyAddsPerState: 4 * 128 + 128 * 128 + 128 * 2).count > 1)
            var results: [(DistillationEventResult, [[Tensor]])] = []
            for threads in [1, 2] {
                let agents = Self.agents(family: family)
                let result = server.runEvent(agents: agents, executor: ParallelExecutor(threadCount: threads))
                results.append((result, agents.map { $0.learner.policy.parameters.map(\.value) }))
            }
            #expect(results[0].0 == results[1].0)
            #expect(results[0].1 == results[1].1)
            #expect(results[0].0.steps.allSatisfy { $0.losses.allSatisfy { $0.isFinite && $0 >= 0 } })
        }
    }

    /// A chunked digestion step equals the tape step: the loss equals the tape's KL, and the Adam step moves every
    /// parameter as the tape gradient's step does (elements whose tape gradient is not vanishingly small, where the
    /// first Adam step, −η·g/|g|, is insensitive to rounding).
    @Test func chunkedDigestionStepEqualsTheTapeStep() {
        let states = FederationTests.smallPublicStates(count: 700).states
        for family in [PolicyArchitecture.Family.categorical, .gaussian] {
            let chunked = Self.agents(family: family)[0]
            let tape = Self.agents(family: family)[0]
            let consensus: ActionDistribution
            let tapeLoss: Variable
            switch chunked.actionDistribution(on: states) {
            case .categorical(let local):
                let target = (local * 0.5 + 0.25).softmaxRows()
                consensus = .categorical(probabilities: target)
                tapeLoss = Variable.klDivergenceBatchMean(
                    target: target, logits: (tape.learner.policy as! CategoricalPolicy).logits(Variable(states)))
            case .gaussian(let mean, let deviation):
                let (globalMean, globalDeviation) = (mean * 0.5 + 0.1, deviation * 1.5 + 0.05)
                consensus = .gaussian(mean: globalMean, standardDeviation: globalDeviation)
                let (localMean, localDeviation) = (tape.learner.policy as! GaussianPolicy).distribution(
                    Variable(states))
                tapeLoss = Losses.gaussianKLDivergence(
                    localMean: localMean, localDeviation: localDeviation, globalMean: globalMean,
                    globalDeviation: globalDeviation)
            }
            tape.learner.optimizer.zeroGradients()
            tapeLoss.backward()
            let tapeGradients = tape.learner.policy.parameters.map { $0.gradient! }
            tape.learner.optimizer.step()
            let loss = chunked.digest(consensus: consensus, on: states, loss: .klDivergence)
            #expect(abs(loss - tapeLoss.value.scalarValue) <= 1e-5 * (1 + abs(loss)))
            for (index, (mine, theirs)) in zip(chunked.learner.policy.parameters, tape.learner.policy.parameters)
                .enumerated()
            {
                let scale = tapeGradients[index].scalars.map(abs).max() ?? 0
                for element in 0..<mine.value.count where abs(tapeGradients[index].scalars[element]) > 1e-3 * scale {
                    #expect(
                        abs(mine.value.scalars[element] - theirs.value.scalars[element]) <= 1e-6,
                        "\(family) parameter \(index) element \(element)")
                }
            }
        }
    }
}
