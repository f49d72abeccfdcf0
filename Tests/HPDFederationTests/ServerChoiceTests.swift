import Foundation
import HPDEnvironments
import HPDFederation
import HPDTensor
import Testing

/// The server's choices: robust and weighted aggregation, partial participation, stragglers, simulated adversaries.
@Suite struct ServerChoiceTests {
    static func probabilities(_ distribution: ActionDistribution) -> Tensor {
        guard case .categorical(let probabilities) = distribution else {
            Issue.record("not categorical")
            return Tensor.zeros([1, 1])
        }
        return probabilities
    }

    /// Four honest agents near (0.7, 0.3) and one that puts all mass on the action the others prefer least.
    static let honestAndAdversary: [ActionDistribution] = [
        .categorical(probabilities: Tensor([[0.7, 0.3]])), .categorical(probabilities: Tensor([[0.75, 0.25]])),
        .categorical(probabilities: Tensor([[0.65, 0.35]])), .categorical(probabilities: Tensor([[0.8, 0.2]])),
        ActionDistribution.categorical(probabilities: Tensor([[0.7, 0.3]])).confidentlyWrong(),
    ]

    @Test func aConfidentlyWrongReportPutsAllMassOnTheLeastLikelyAction() {
        let wrong = ActionDistribution.categorical(probabilities: Tensor([[0.7, 0.1, 0.2], [0.2, 0.5, 0.3]]))
            .confidentlyWrong()
        #expect(wrong == .categorical(probabilities: Tensor([[0, 1, 0], [1, 0, 0]])))
        let gaussian = ActionDistribution.gaussian(mean: Tensor([[0.5, -1]]), standardDeviation: Tensor([[1, 2]]))
        #expect(
            gaussian.confidentlyWrong()
                == .gaussian(mean: Tensor([[-0.5, 1]]), standardDeviation: Tensor([[0.1, 0.2]])))
        #expect((try? wrong.validate(expectedFamily: .categorical(actionCount: 3), stateCount: 2)) != nil)
    }

    @Test func medianAndTrimmedMeanStayWithinTheHonestAgentsWhereTheMeanIsPulledAway() {
        let mean = Self.probabilities(ArithmeticMean().aggregate(Self.honestAndAdversary))
        let median = Self.probabilities(CoordinateMedian().aggregate(Self.honestAndAdversary))
        let trimmed = Self.probabilities(TrimmedMean(fraction: 0.2).aggregate(Self.honestAndAdversary))
        #expect(abs(mean[0, 0] - 0.58) < 1e-6)  // (0.7 + 0.75 + 0.65 + 0.8 + 0) / 5: below every honest agent
        #expect(abs(median[0, 0] - 0.7) < 1e-6 && abs(median[0, 1] - 0.3) < 1e-6)
        // Trimming one of five at each end drops the adversary and the most confident honest agent: (0.7 + 0.75 + 0.65) / 3.
        #expect(abs(trimmed[0, 0] - 0.7) < 1e-6 && abs(trimmed[0, 0] + trimmed[0, 1] - 1) < 1e-6)
    }

    @Test func medianRowsAreRenormalisedAndGaussiansUseMedianMeansAndDeviations() {
        let reports: [ActionDistribution] = [
            .categorical(probabilities: Tensor([[0.5, 0.3, 0.2]])),
            .categorical(probabilities: Tensor([[0.2, 0.2, 0.6]])),
            .categorical(probabilities: Tensor([[0.3, 0.6, 0.1]])),
        ]
        let median = Self.probabilities(CoordinateMedian().aggregate(reports))  // medians 0.3, 0.3, 0.2 → / 0.8
        #expect(abs(median[0, 0] - 0.375) < 1e-6 && abs(median[0, 1] - 0.375) < 1e-6 && abs(median[0, 2] - 0.25) < 1e-6)
        let gaussians: [ActionDistribution] = [
            .gaussian(mean: Tensor([[1]]), standardDeviation: Tensor([[0.5]])),
            .gaussian(mean: Tensor([[9]]), standardDeviation: Tensor([[0.1]])),
            .gaussian(mean: Tensor([[2]]), standardDeviation: Tensor([[3]])),
            .gaussian(mean: Tensor([[3]]), standardDeviation: Tensor([[1]])),
        ]
        #expect(
            CoordinateMedian().aggregate(gaussians)
                == .gaussian(mean: Tensor([[2.5]]), standardDeviation: Tensor([[0.75]])))
    }

    @Test func trimmingNothingIsTheArithmeticMean() {
        let mean = Self.probabilities(ArithmeticMean().aggregate(Self.honestAndAdversary))
        let trimmed = Self.probabilities(TrimmedMean(fraction: 0.1).aggregate(Self.honestAndAdversary))  // ⌊0.5⌋ = 0
        #expect(abs(mean[0, 0] - trimmed[0, 0]) < 1e-6 && abs(mean[0, 1] - trimmed[0, 1]) < 1e-6)
    }

    @Test func returnWeightsAreASoftmaxOverRecentReturnsEvenWhenReturnsAreNegative() {
        let reports: [ActionDistribution] = [
            .categorical(probabilities: Tensor([[1, 0]])), .categorical(probabilities: Tensor([[0, 1]])),
        ]
        // Last-10 means −200 and −100, T = 50: weights ∝ exp(−4), exp(−2) → agent 2 weighs 1/(1 + e⁻²) ≈ 0.8808.
        let returns = (0..<12).map { episode in [episode < 2 ? 1000 : -200, -100.0] }
        let context = AggregationContext(returns: returns)
        #expect(context.recentMeanReturns == [-200, -100])
        let weighted = Self.probabilities(
            ReturnWeightedMean(temperature: 50).aggregate(reports, agentIndices: [0, 1], context: context))
        #expect(abs(weighted[0, 1] - Float(1 / (1 + exp(-2.0)))) < 1e-6)
        #expect(abs(weighted[0, 0] + weighted[0, 1] - 1) < 1e-6)
        // Without returns every agent weighs the same.
        #expect(
            Self.probabilities(
                ReturnWeightedMean().aggregate(reports, agentIndices: [0, 1], context: AggregationContext()))
                == Tensor([[0.5, 0.5]]))
    }

    @Test func strategiesAreChosenByNameAndBadNamesAreRefused() throws {
        #expect(try AggregationChoice.strategy(named: "mean").name == "arithmetic-mean")
        #expect(try AggregationChoice.strategy(named: "Median").name == "median")
        #expect(try AggregationChoice.strategy(named: "trimmed:0.1").name == "trimmed:0.1")
        #expect(try AggregationChoice.strategy(named: "weighted").name == "weighted:100")
        #expect(try AggregationChoice.strategy(named: "weighted:25").name == "weighted:25")
        for bad in ["trimmed:0.5", "trimmed:-0.1", "trimmed", "weighted:0", "weighted:x", "mode", "median:2"] {
            #expect(throws: FederationError.self, "\(bad)") { try AggregationChoice.strategy(named: bad) }
        }
    }

    @Test func participantsAreASeededSubsetOfTheRequestedSize() {
        let half = FederationParticipation(participation: 0.45)
        let first = half.participants(event: 1, agentCount: 10, runSeed: 20)
        #expect(first.count == 5)  // ⌈0.45 · 10⌉
        #expect(first == half.participants(event: 1, agentCount: 10, runSeed: 20))
        let events = (1...20).map { half.participants(event: $0, agentCount: 10, runSeed: 20) }
        #expect(Set(events).count > 10, "the subset changes from event to event")
        #expect(Set(events.flatMap { $0 }) == Set(0..<10), "every agent takes part sometimes")
        let stragglers = FederationParticipation(dropoutProbability: 0.5)
        let counts = (1...200).map { stragglers.participants(event: $0, agentCount: 10, runSeed: 25).count }
        let average = Double(counts.reduce(0, +)) / Double(counts.count)
        #expect(average > 4 && average < 6, "about half of the agents miss each event: \(average)")
        #expect(FederationParticipation().participants(event: 3, agentCount: 4, runSeed: 1) == [0, 1, 2, 3])
    }

    @Test func partialParticipationLeavesTheOthersOutOfEveryStepIdenticallyForAnyThreadCount() throws {
        var configuration = FederationTests.configuration(method: .fedhpd, episodes: 10)
        configuration.participation = 0.5
        configuration.adversarialAgents = [2]
        configuration.aggregation = "median"
        var results: [[DistillationStep]] = []
        var returns: [[[Double]]] = []
        for threads in [1, 2] {
            let training = try FederatedTraining(
                configuration: configuration, environment: .cartPole, publicStates: FederationTests.smallPublicStates(),
                threads: threads)
            training.run()
            results.append(training.distillationRecords.map(\.step))
            returns.append(training.returns)
        }
        let bits = results.map { steps in steps.map { $0.losses.map(\.bitPattern) } }
        #expect(bits[0] == bits[1])
        #expect(returns[0] == returns[1])
        for step in results[0] {
            #expect(step.losses.filter { !$0.isNaN }.count == 5, "\(step.losses)")
        }
        #expect(configuration.runName == "CartPole-v1__fedhpd-d5-median-adv2-p0.5__seed20")
        #expect(configuration.settingLabel == "FedHPD d=5 median adversary 2 P=0.5")
    }

    @Test func outOfRangeChoicesAreRefusedNamingTheSetting() {
        func reason(
            _ change: (inout FederationConfiguration) -> Void, method: FederationConfiguration.Method = .fedhpd
        ) -> String {
            var configuration = FederationTests.configuration(method: method)
            change(&configuration)
            do {
                try configuration.validate()
                return "valid"
            } catch { return "\(error)" }
        }
        #expect(reason { $0.participation = 0 }.contains("participation"))
        #expect(reason { $0.participation = 1.5 }.contains("participation"))
        #expect(reason { $0.dropoutProbability = 1 }.contains("dropout"))
        #expect(reason { $0.adversarialAgents = [11] }.contains("out of range"))
        #expect(reason { $0.adversarialAgents = [2, 2] }.contains("twice"))
        #expect(reason({ $0.participation = 0.5 }, method: .nofed).contains("fedhpd only"))
        // A strategy name the trainer cannot rebuild is refused when no custom strategy is handed to it.
        var configuration = FederationTests.configuration(method: .fedhpd)
        configuration.aggregation = "trimmed:0.7"
        #expect(throws: FederationError.self) {
            try FederatedTraining(
                configuration: configuration, environment: .cartPole, publicStates: FederationTests.smallPublicStates(),
                threads: 1)
        }
    }
}

/// Public-set diversity: the three selection schemes of the authors' experiments.
@Suite struct PublicStateSelectionTests {
    /// The summed per-column variance of a set of states.
    static func totalVariance(_ states: Tensor) -> Double {
        var total = 0.0
        for column in 0..<states.columns {
            let values = (0..<states.rows).map { Double(states[$0, column]) }
            let mean = values.reduce(0, +) / Double(values.count)
            total += values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        }
        return total
    }

    @Test func aSingleClusterSetIsTighterThanUniformAndEqualShareSetsAndOldNamesStillWork() throws {
        var recipe = EnvironmentSpecification.cartPole.publicStateRecipe
        recipe.episodes = 40
        recipe.firstCheckpoint = 20
        recipe.checkpointEvery = 10
        recipe.testSeeds = 3
        let builder = PublicStateBuilder(environment: .cartPole, recipe: recipe)
        let single = try builder.build(count: 40, method: .singleCluster, seed: 5)
        let uniform = try builder.build(count: 40, method: .uniform, seed: 5)
        let equal = try builder.build(count: 40, method: .equalPerCluster, seed: 5)
        #expect(single.count == 40 && uniform.count == 40 && equal.count == 40)
        #expect(Self.totalVariance(single.states) < Self.totalVariance(uniform.states))
        #expect(Self.totalVariance(single.states) < Self.totalVariance(equal.states))
        #expect(PublicStateBuilder.SelectionMethod(name: "cluster") == .equalPerCluster)
        #expect(PublicStateBuilder.SelectionMethod(name: "random") == .uniform)
        #expect(PublicStateBuilder.SelectionMethod(name: "Single-Cluster") == .singleCluster)
        #expect(PublicStateBuilder.SelectionMethod(name: "two") == nil)
    }
}
