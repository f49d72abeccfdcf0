import HPDTensor
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The actor-critic operations (`Derivatives+ActorCritic.swift`) against central finite differences of Double
/// references, on fixed data that exercises every branch away from the kinks (clip boundaries, ties of the max).
struct ActorCriticDerivativeTests {
    /// ε = 0.2; ratios exp(ℓ − ℓ_old) of 0.61, 0.90, 1.05, 1.11, 1.49 with advantages of both signs: rows 0 and 4
    /// fall outside the clip range (one on each side, each in both the clipped and the unclipped branch of the max).
    static let logProbabilities = Tensor(rows: 6, columns: 1, scalars: [-0.5, -0.1, 0.05, 0.1, 0.4, -0.6])
    static let oldLogProbabilities: [Float] = [0, 0, 0, 0, 0, 0]
    static let advantages: [Float] = [1, -1, 0.5, -2, 1.5, -0.7]

    static func referenceSurrogate(_ logProbabilities: ReferenceMatrix, clip: Double) -> ReferenceMatrix {
        var total = 0.0
        for row in 0..<logProbabilities.rows {
            let ratio = Glibc.exp(logProbabilities.values[row] - Double(oldLogProbabilities[row]))
            let advantage = Double(advantages[row])
            total += max(-advantage * ratio, -advantage * min(max(ratio, 1 - clip), 1 + clip))
        }
        return ReferenceMatrix(rows: 1, columns: 1, values: [total / Double(logProbabilities.rows)])
    }

    @Test func clippedSurrogateMatchesFiniteDifferences() {
        expectGradientsMatchFiniteDifferences(
            inputs: [Self.logProbabilities],
            engine: {
                Variable.clippedSurrogateLoss(
                    logProbabilities: $0[0], oldLogProbabilities: Self.oldLogProbabilities,
                    advantages: Self.advantages, clip: 0.2)
            },
            reference: { Self.referenceSurrogate($0[0], clip: 0.2) })
    }

    @Test func clippedSurrogateHandValues() {
        // L = (1/6) Σ max(−A r, −A clip(r, 0.8, 1.2)) with r = e^ℓ (ℓ_old = 0).
        let ratios = Self.logProbabilities.scalars.map { Double(Glibc.exp(Double($0))) }
        let expected =
            zip(ratios, Self.advantages.map(Double.init)).map { ratio, advantage in
                max(-advantage * ratio, -advantage * min(max(ratio, 0.8), 1.2))
            }.reduce(0, +) / 6
        let loss = Variable.clippedSurrogateLoss(
            logProbabilities: Variable(Self.logProbabilities), oldLogProbabilities: Self.oldLogProbabilities,
            advantages: Self.advantages, clip: 0.2)
        #expect(abs(Double(loss.value.scalarValue) - expected) < 1e-6)
        // Row 0 (r = 0.61, A = 1): −0.61 > −0.8, the unclipped branch wins: ℓ̄ = −A r / 6. Row 5 (r = 0.55,
        // A = −0.7): 0.7·0.8 = 0.56 > 0.7·0.55 = 0.38, the clipped branch wins and is flat in ℓ: ℓ̄ = 0.
        let input = Variable(Self.logProbabilities, requiresGradient: true)
        Variable.clippedSurrogateLoss(
            logProbabilities: input, oldLogProbabilities: Self.oldLogProbabilities, advantages: Self.advantages,
            clip: 0.2
        ).backward()
        #expect(abs(Double(input.gradient!.scalars[0]) - (-ratios[0] / 6)) < 1e-6)
        #expect(input.gradient!.scalars[5] == 0)
    }

    /// V − V_old of ±0.05 (inside ε = 0.2) and ±0.5 (outside), returns on both sides.
    static let values = Tensor(rows: 5, columns: 1, scalars: [1.05, 0.5, 2.5, -0.4, 0.3])
    static let oldValues: [Float] = [1.0, 1.0, 2.0, 0.1, 0.35]
    static let returns: [Float] = [0.2, 0.1, 3.0, 0.5, 1.5]

    static func referenceValueLoss(_ values: ReferenceMatrix, clip: Double) -> ReferenceMatrix {
        var total = 0.0
        for row in 0..<values.rows {
            let value = values.values[row]
            let old = Double(oldValues[row])
            let clipped = old + min(max(value - old, -clip), clip)
            let target = Double(returns[row])
            total += 0.5 * max((value - target) * (value - target), (clipped - target) * (clipped - target))
        }
        return ReferenceMatrix(rows: 1, columns: 1, values: [total / Double(values.rows)])
    }

    @Test func clippedValueLossMatchesFiniteDifferences() {
        expectGradientsMatchFiniteDifferences(
            inputs: [Self.values],
            engine: {
                Variable.clippedValueLoss(values: $0[0], oldValues: Self.oldValues, returns: Self.returns, clip: 0.2)
            },
            reference: { Self.referenceValueLoss($0[0], clip: 0.2) })
    }

    @Test func entropyColumnsMatchFiniteDifferences() {
        let logits = randomTensor([4, 3], seed: 5, low: -2, high: 2)
        expectGradientsMatchFiniteDifferences(
            inputs: [logits], engine: { $0[0].categoricalEntropyRows() },
            reference: { inputs in
                let logProbabilities = inputs[0].logSoftmaxRows()
                return ReferenceMatrix.combine(logProbabilities.map(Glibc.exp), logProbabilities, *).rowSums().map {
                    -$0
                }
            })
        let deviations = randomTensor([4, 2], seed: 6, low: 0.2, high: 2)
        expectGradientsMatchFiniteDifferences(
            inputs: [deviations], engine: { $0[0].gaussianEntropyRows(offset: 1e-6) },
            reference: { inputs in
                inputs[0].map { Glibc.log($0 + 1e-6) + 0.5 * (1 + Glibc.log(2 * Double.pi)) }.rowSums()
            })
    }

    @Test func scaleGradientMultipliesTheAccumulatedGradient() {
        let parameter = Variable(Tensor([[1, 2]]), requiresGradient: true)
        (parameter * 3).sum().backward()
        parameter.scaleGradient(by: 0.5)
        #expect(parameter.gradient == Tensor([[1.5, 1.5]]))
    }
}
