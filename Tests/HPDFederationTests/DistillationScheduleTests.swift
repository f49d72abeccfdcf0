import HPDEnvironments
import HPDFederation
import HPDRL
import HPDTensor
import Testing

/// The one schedule every trainer asks, and the one event loop with a pluggable consensus source.
@Suite struct DistillationScheduleTests {
    @Test func anEventFollowsExactlyEveryIntervalThEpisodeWithinTheRun() {
        for (episodes, interval) in [(20, 5), (23, 5), (7, 1), (4, 10), (12, 12)] {
            let schedule = DistillationSchedule(episodes: episodes, interval: interval, loops: 3, partCount: 2)
            let due = (1...episodes).filter { schedule.isEventDue(afterEpisode: $0) }
            #expect(due == (1...episodes).filter { $0 % interval == 0 }, "E=\(episodes) d=\(interval)")
            #expect(due.map { schedule.event(afterEpisode: $0)! } == (0..<due.count).map { $0 + 1 })
            #expect(schedule.eventCount == due.count)
            #expect(!schedule.isEventDue(afterEpisode: 0) && !schedule.isEventDue(afterEpisode: episodes + interval))
        }
    }

    @Test func sequenceNumbersAndPositionsAreInversesInScheduleOrder() {
        let schedule = DistillationSchedule(episodes: 20, interval: 5, loops: 3, partCount: 4)
        var expected = 0
        for episode in 1...20 {
            let positions = schedule.positions(afterEpisode: episode)
            #expect(positions.count == (episode % 5 == 0 ? 12 : 0))
            for position in positions {
                let sequence = schedule.sequence(episode: position.episode, loop: position.loop, part: position.part)
                #expect(sequence == expected, "\(position)")
                #expect(schedule.position(ofSequence: expected) == position)
                #expect(schedule.isLastStepOfEvent(expected) == (position.loop == 3 && position.part == 4))
                expected += 1
            }
        }
        #expect(expected == schedule.stepCount)
        #expect(schedule.sequence(episode: 6, loop: 1, part: 1) == nil)
        #expect(schedule.sequence(episode: 5, loop: 4, part: 1) == nil)
        #expect(schedule.sequence(episode: 5, loop: 1, part: 5) == nil)
        #expect(schedule.sequence(episode: 25, loop: 1, part: 1) == nil)
    }

    /// A source that answers only agent 0 and records every position it was asked about.
    struct OnlyFirstAgent: ConsensusSource {
        typealias Failure = Never
        var asked: [DistillationPosition] = []

        mutating func consensus(
            reports: [ActionDistribution?], states: Tensor, at position: DistillationPosition
        ) -> ConsensusOutcome {
            asked.append(position)
            return ConsensusOutcome(
                targets: reports.indices.map { $0 == 0 ? ArithmeticMean().aggregate(reports.compactMap { $0 }) : nil })
        }
    }

    /// The event loop asks its source once per step in schedule order; agents given no consensus do not digest
    /// (NaN loss, parameters unchanged) and those that do take exactly one step.
    @Test func theEventLoopDigestsOnlyWhatItsSourceAnswers() throws {
        let configuration = FederationTests.configuration(method: .nofed)
        let training = try FederatedTraining(
            configuration: configuration, environment: .cartPole, publicStates: nil, threads: 2)
        let agents = Array(training.agents.prefix(3))
        let states = FederationTests.smallPublicStates(count: 300)
        let parts = states.parts(partSize: 100)
        let before = agents.map { $0.actionDistribution(on: parts[0]) }
        let schedule = DistillationSchedule(episodes: 10, interval: 5, loops: 2, partCount: parts.count)
        let event = DistillationEvent(agents: agents, parts: parts, positions: schedule.positions(afterEpisode: 10))
        var source = OnlyFirstAgent()
        let result = event.run(source: &source, executor: ParallelExecutor(threadCount: 2))
        #expect(source.asked == schedule.positions(afterEpisode: 10))
        #expect(result.steps.count == 6)
        for step in result.steps {
            #expect(step.losses[0].isFinite)
            #expect(step.losses[1].isNaN && step.losses[2].isNaN)
        }
        let after = agents.map { $0.actionDistribution(on: parts[0]) }
        #expect(after[0] != before[0])
        #expect(after[1] == before[1] && after[2] == before[2])
    }

    /// The in-process server is the event loop with `LocalAggregation`: both give the same losses bit for bit.
    @Test func theServerIsTheEventLoopWithLocalAggregation() throws {
        let configuration = FederationTests.configuration(method: .nofed)
        let states = FederationTests.smallPublicStates(count: 300)
        func losses(viaServer: Bool) throws -> [[Float]] {
            let training = try FederatedTraining(
                configuration: configuration, environment: .cartPole, publicStates: nil, threads: 2)
            let executor = ParallelExecutor(threadCount: 2)
            if viaServer {
                let server = DistillationServer(publicStates: states, partSize: 100, loops: 2)
                return server.runEvent(agents: training.agents, executor: executor).steps.map(\.losses)
            }
            let parts = states.parts(partSize: 100)
            let event = DistillationEvent(
                agents: training.agents, parts: parts,
                positions: DistillationSchedule.eventSteps(episode: 5, loops: 2, partCount: parts.count))
            var source = LocalAggregation(
                aggregation: ArithmeticMean(), families: training.agents.map(\.distributionFamily),
                context: AggregationContext())
            return event.run(source: &source, executor: executor).steps.map(\.losses)
        }
        let server = try losses(viaServer: true)
        let loop = try losses(viaServer: false)
        #expect(server.count == 6)
        #expect(server.map { $0.map(\.bitPattern) } == loop.map { $0.map(\.bitPattern) })
    }
}
