import Foundation
import HPDFederation
import HPDNN
import HPDRL
import HPDTensor
import Testing

/// A non-finite number in an agent stops the run, naming the agent, the episode and the quantity.
@Suite struct DivergenceTests {
    /// An agent whose return becomes `value` in episode `badEpisode` (1-based).
    final class FailingAgent: LocalLearningAgent {
        let badEpisode: Int
        let value: Double
        var played = 0
        init(badEpisode: Int, value: Double) { (self.badEpisode, self.value) = (badEpisode, value) }
        var distributionFamily: DistributionFamily { .categorical(actionCount: 2) }
        func actionDistribution(on states: Tensor) -> ActionDistribution {
            .categorical(
                probabilities: Tensor(
                    rows: states.rows, columns: 2, scalars: Array(repeating: 0.5, count: states.rows * 2)))
        }
        func digest(consensus: ActionDistribution, on states: Tensor, loss: DigestionLoss) -> Float { 0 }
        func trainOneEpisode() -> EpisodeReport {
            played += 1
            return EpisodeReport(
                episodeReturn: played == badEpisode ? value : 10, steps: 10, rolloutSeconds: 0, updateSeconds: 0)
        }
    }

    func training(_ agents: [any LocalLearningAgent], onDivergence: DivergencePolicy? = nil) throws -> FederatedTraining
    {
        let specification = AgentSpecification(
            hiddenSizes: [4], activations: [.relu], reinforce: ReinforceConfiguration(learningRate: 0.01))
        var configuration = FederationConfiguration(
            environment: "CartPole-v1", method: .nofed, interval: 1, episodes: 6, seed: 1,
            agents: Array(repeating: specification, count: agents.count))
        configuration.onDivergence = onDivergence
        return try FederatedTraining(
            configuration: configuration, environment: .cartPole, agents: agents, publicStates: nil, threads: 1)
    }

    @Test func aNonFiniteReturnStopsTheRunNamingAgentEpisodeAndQuantity() throws {
        let training = try training([FailingAgent(badEpisode: 99, value: 0), FailingAgent(badEpisode: 3, value: .nan)])
        var progressCalls: [Int] = []
        training.run(progress: { progressCalls.append($0) })
        #expect(training.divergence == Divergence(agent: 2, episode: 3, quantity: "episode return", value: "nan"))
        #expect(training.divergence?.description == "agent 2 diverged in episode 3: its episode return is nan")
        #expect(!training.isFinished)
        #expect(progressCalls == [1, 2], "no progress (hence no checkpoint) after the diverged episode")
        training.run()
        #expect(training.returns.count == 3, "a diverged run does not go on")
    }

    @Test func withExcludeTheDivergedAgentLeavesAndTheRunGoesOn() throws {
        let failing = FailingAgent(badEpisode: 3, value: .infinity)
        let training = try training([FailingAgent(badEpisode: 99, value: 0), failing], onDivergence: .exclude)
        training.run()
        #expect(training.isFinished && training.divergence == nil)
        #expect(training.returns.map { $0[0] } == Array(repeating: 10, count: 6))
        #expect(training.returns.map { $0[1].isNaN } == [false, false, true, true, true, true])
        #expect(failing.played == 3, "an excluded agent trains no more")
        #expect(training.excludedAgents == [1])
        #expect(
            training.exclusions == [
                "episode 3: agent 2 left the federation: agent 2 diverged in episode 3: its episode return is inf"
            ])
    }

    @Test func aNonFiniteParameterIsFoundAfterTheUpdate() throws {
        let configuration = FederationConfiguration(
            environment: "CartPole-v1", method: .nofed, interval: 1, episodes: 4, seed: 1,
            agents: [
                AgentSpecification(
                    hiddenSizes: [4], activations: [.relu], reinforce: ReinforceConfiguration(learningRate: 0.01))
            ])
        let training = try FederatedTraining(
            configuration: configuration, environment: .cartPole, publicStates: nil, threads: 1)
        training.run(shouldContinue: { training.returns.count < 2 })
        #expect(training.divergence == nil)
        let agent = try #require(training.agents[0] as? LearnerAgent)
        let weights = agent.learner.policy.parameters[0]
        var scalars = weights.value.scalars
        scalars[0] = .infinity
        weights.assign(Tensor(shape: weights.value.shape, scalars: scalars))
        training.run()
        #expect(
            training.divergence?.agent == 1 && training.divergence?.episode == 3,
            "\(String(describing: training.divergence))")
        #expect(
            training.divergence?.quantity == "policy parameters" || training.divergence?.quantity == "local update loss"
        )
    }
}
