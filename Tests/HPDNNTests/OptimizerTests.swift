import HPDNN
import HPDTensor
import Testing

/// Three steps on L(θ) = Σ θ², g = 2θ, from θ = (1, −2), η = 0.1, against values worked out by hand from
/// PyTorch's update equations (step 1 of Adam moves every coordinate by exactly η·sign(g)).
@Suite struct OptimizerTests {
    func runThreeSteps(_ makeOptimizer: ([Variable]) -> Optimizer) -> [[Float]] {
        let theta = Variable(Tensor(shape: [2], scalars: [1, -2]), requiresGradient: true)
        let optimizer = makeOptimizer([theta])
        var trajectory: [[Float]] = []
        for _ in 0..<3 {
            optimizer.zeroGradients()
            (theta * theta).sum().backward()
            optimizer.step()
            trajectory.append(theta.value.scalars)
        }
        return trajectory
    }

    func expectClose(_ actual: [[Float]], _ expected: [[Double]]) {
        for (actualRow, expectedRow) in zip(actual, expected) {
            for (value, reference) in zip(actualRow, expectedRow) {
                #expect(abs(Double(value) - reference) < 2e-6, "\(value) vs \(reference)")
            }
        }
    }

    @Test func adamMatchesHandComputedSteps() {
        let trajectory = runThreeSteps { Adam(parameters: $0, learningRate: 0.1) }
        expectClose(trajectory, [[0.9, -1.9], [0.8004122287, -1.8001664861], [0.7015862729, -1.7006233920]])
    }

    @Test func adamWDecaysWeightsDecoupledFromTheGradient() {
        let trajectory = runThreeSteps { Adam.adamW(parameters: $0, learningRate: 0.1, weightDecay: 0.01) }
        expectClose(trajectory, [[0.899, -1.898], [0.7985190272, -1.7962725886], [0.6989111832, -1.6949445144]])
    }

    @Test func sgdMatchesHandComputedSteps() {
        let trajectory = runThreeSteps { SGD(parameters: $0, learningRate: 0.1) }
        expectClose(trajectory, [[0.8, -1.6], [0.64, -1.28], [0.512, -1.024]])
    }

    @Test func parametersWithoutGradientAreSkipped() {
        let used = Variable(Tensor(shape: [1], scalars: [1]), requiresGradient: true)
        let unused = Variable(Tensor(shape: [1], scalars: [5]), requiresGradient: true)
        let optimizer = Adam(parameters: [used, unused], learningRate: 0.1)
        (used * used).sum().backward()
        optimizer.step()
        #expect(unused.value.scalars == [5])
        #expect(optimizer.stepCounts == [1, 0])
    }

    @Test func stepLRDecaysEveryStepSizeEpochs() {
        let optimizer = SGD(parameters: [], learningRate: 1e-3)
        var scheduler = StepLR(initialLearningRate: 1e-3, stepSize: 100, gamma: 0.95)
        for _ in 0..<99 { scheduler.step(optimizer) }
        #expect(optimizer.learningRate == 1e-3)
        scheduler.step(optimizer)
        #expect(abs(optimizer.learningRate - 0.95e-3) < 1e-9)
        for _ in 0..<100 { scheduler.step(optimizer) }
        #expect(abs(optimizer.learningRate - 0.9025e-3) < 1e-9)
    }
}
