import Foundation
import HPDTensor
import TestSupport
import Testing

/// The fused small-layer kernels (`SmallLayerKernels`, C target `CSmallKernels`) against double-precision loops on
/// odd shapes, next to the BLAS path held to the same bound; the activations bit for bit against Swift's; and the
/// per-shape choice as a fixed function of the CPU and the shape.
@Suite struct SmallLayerKernelTests {
    static let rowCounts = [1, 3, 7, 63, 65]
    static let widths = [1, 2, 3, 7, 8, 9, 16, 17, 33, 64, 65, 128]

    /// BLAS, the portable kernels, and the AVX2 kernels where this CPU runs them.
    static var choices: [SmallLayerKernels.Choice] {
        SmallLayerKernels.bestVariant == .avx2 ? [.blas, .portable, .avx2] : [.blas, .portable]
    }

    /// Whether |computed − reference| ≤ 4·(k+2)·ε·Σ|terms| + `extra` for every element (k terms per sum).
    func withinBound(
        _ computed: Tensor, _ reference: [Double], _ magnitudes: [Double], terms: Int, extra: Double = 0
    ) -> Bool {
        let epsilon = Double(Float.ulpOfOne)
        let values = computed.scalars
        return reference.indices.allSatisfy { index in
            abs(Double(values[index]) - reference[index]) <= 4 * Double(terms + 2) * epsilon * magnitudes[index] + extra
        }
    }

    func seed(_ rows: Int, _ inputCount: Int, _ outputCount: Int) -> UInt64 {
        UInt64(rows * 1_000_000 + inputCount * 1_000 + outputCount)
    }

    @Test(arguments: [LayerActivation.identity, .relu, .tanh])
    func forwardMatchesDoubleReference(activation: LayerActivation) {
        for choice in Self.choices {
            for rows in Self.rowCounts {
                for inputCount in Self.widths {
                    for outputCount in Self.widths {
                        let base = seed(rows, inputCount, outputCount)
                        let x = randomTensor([rows, inputCount], seed: base)
                        let w = randomTensor([outputCount, inputCount], seed: base + 1)
                        let b = randomTensor([outputCount], seed: base + 2)
                        var y = Tensor.zeros([rows, outputCount])
                        var scratch: [Float] = []
                        SmallLayerKernels.$override.withValue(choice) {
                            Tensor.linear(x, weight: w, bias: b, activation: activation, into: &y, scratch: &scratch)
                        }
                        var reference: [Double] = []
                        var magnitudes: [Double] = []
                        for row in 0..<rows {
                            for output in 0..<outputCount {
                                var total = Double(b.scalars[output])
                                var magnitude = abs(total)
                                for inner in 0..<inputCount {
                                    let term = Double(x[row, inner]) * Double(w[output, inner])
                                    total += term
                                    magnitude += abs(term)
                                }
                                switch activation {
                                case .identity: reference.append(total)
                                case .relu: reference.append(max(total, 0))
                                case .tanh: reference.append(Foundation.tanh(total))
                                }
                                magnitudes.append(magnitude)
                            }
                        }
                        let extra = activation == .tanh ? 2e-6 : 0
                        let agrees = withinBound(y, reference, magnitudes, terms: inputCount, extra: extra)
                        #expect(
                            agrees,
                            "forward \(choice) \(activation) rows \(rows) \(inputCount)→\(outputCount)")
                    }
                }
            }
        }
    }

    @Test(arguments: [LayerActivation.identity, .relu, .tanh], [false, true])
    func inputGradientMatchesDoubleReference(derivative: LayerActivation, accumulating: Bool) {
        for choice in Self.choices {
            for rows in Self.rowCounts {
                for inputCount in Self.widths {
                    for outputCount in Self.widths {
                        let base = seed(rows, inputCount, outputCount)
                        let z = randomTensor([rows, outputCount], seed: base)
                        let w = randomTensor([outputCount, inputCount], seed: base + 1)
                        let below = randomTensor([rows, inputCount], seed: base + 2)
                        let start = randomTensor([rows, inputCount], seed: base + 3)
                        var g = start
                        var scratch: [Float] = []
                        SmallLayerKernels.$override.withValue(choice) {
                            Tensor.linearInputGradient(
                                outputGradient: z, weight: w, accumulating: accumulating, derivative: derivative,
                                belowOutput: below, into: &g, scratch: &scratch)
                        }
                        var reference: [Double] = []
                        var magnitudes: [Double] = []
                        for row in 0..<rows {
                            for input in 0..<inputCount {
                                var total = accumulating ? Double(start[row, input]) : 0
                                var magnitude = abs(total)
                                for inner in 0..<outputCount {
                                    let term = Double(z[row, inner]) * Double(w[inner, input])
                                    total += term
                                    magnitude += abs(term)
                                }
                                let h = Double(below[row, input])
                                let factor: Double
                                switch derivative {
                                case .identity: factor = 1
                                case .relu: factor = h > 0 ? 1 : 0
                                case .tanh: factor = 1 - h * h
                                }
                                reference.append(total * factor)
                                // the factor 1 − h² is itself rounded in float: absolute error ≲ 2ε·(1 + h²)
                                magnitudes.append(magnitude * abs(factor) + abs(total) * (1 + h * h))
                            }
                        }
                        let agrees = withinBound(g, reference, magnitudes, terms: outputCount + 1)
                        #expect(
                            agrees,
                            "input gradient \(choice) \(derivative) accumulating \(accumulating) rows \(rows) \(inputCount)→\(outputCount)"
                        )
                    }
                }
            }
        }
    }

    @Test func parameterGradientsMatchDoubleReference() {
        for choice in Self.choices {
            for rows in Self.rowCounts + [300] {
                for inputCount in Self.widths {
                    for outputCount in Self.widths {
                        let base = seed(rows, inputCount, outputCount)
                        let z = randomTensor([rows, outputCount], seed: base)
                        let x = randomTensor([rows, inputCount], seed: base + 1)
                        var weightGradient = randomTensor([outputCount, inputCount], seed: base + 2)
                        var biasGradient = randomTensor([outputCount], seed: base + 3)
                        var scratch: [Float] = []
                        SmallLayerKernels.$override.withValue(choice) {
                            Tensor.linearParameterGradients(
                                outputGradient: z, input: x, weightGradient: &weightGradient,
                                biasGradient: &biasGradient, scratch: &scratch)
                        }
                        var weights: [Double] = []
                        var weightMagnitudes: [Double] = []
                        var biases: [Double] = []
                        var biasMagnitudes: [Double] = []
                        for output in 0..<outputCount {
                            var bias = 0.0
                            var biasMagnitude = 0.0
                            for row in 0..<rows {
                                bias += Double(z[row, output])
                                biasMagnitude += abs(Double(z[row, output]))
                            }
                            biases.append(bias)
                            biasMagnitudes.append(biasMagnitude)
                            for input in 0..<inputCount {
                                var total = 0.0
                                var magnitude = 0.0
                                for row in 0..<rows {
                                    let term = Double(z[row, output]) * Double(x[row, input])
                                    total += term
                                    magnitude += abs(term)
                                }
                                weights.append(total)
                                weightMagnitudes.append(magnitude)
                            }
                        }
                        let label = "parameter gradients \(choice) rows \(rows) \(inputCount)→\(outputCount)"
                        let weightsAgree = withinBound(weightGradient, weights, weightMagnitudes, terms: rows)
                        let biasesAgree = withinBound(biasGradient, biases, biasMagnitudes, terms: rows)
                        #expect(weightsAgree, "\(label): W̄")
                        #expect(biasesAgree, "\(label): b̄")
                    }
                }
            }
        }
    }

    /// The kernels' tanh is `Tensor.fastTanh` bit for bit (scalar, and every lane of both variants' forward pass
    /// through an identity layer, where x·I + 0 is exact), and ReLU is Swift's max(v, 0).
    @Test func activationsMatchSwiftBitForBit() {
        var values: [Float] = [0, 0.0004, -0.0004, 0.00039, 7.90531110763549805, -7.9053111, 10, -10, 1e-20]
        var generator = RandomGenerator(seed: 5)
        values += Tensor.uniform([20_000], low: -9, high: 9, generator: &generator).scalars
        values += Tensor.uniform([2_000], low: -0.001, high: 0.001, generator: &generator).scalars
        #expect(values.allSatisfy { SmallLayerKernels.kernelTanh($0).bitPattern == Tensor.fastTanh($0).bitPattern })
        let width = 9
        let rows = values.count / width
        let x = Tensor(rows: rows, columns: width, scalars: Array(values.prefix(rows * width)))
        var identity = Tensor.zeros([width, width])
        for index in 0..<width { identity[index, index] = 1 }
        for choice in Self.choices where choice != .blas {
            for activation in [LayerActivation.tanh, .relu] {
                var y = Tensor.zeros([rows, width])
                var scratch: [Float] = []
                SmallLayerKernels.$override.withValue(choice) {
                    Tensor.linear(
                        x, weight: identity, bias: Tensor.zeros([width]), activation: activation, into: &y,
                        scratch: &scratch)
                }
                let expected = x.scalars.map { activation == .tanh ? Tensor.fastTanh($0) : max($0, 0) }
                #expect(
                    zip(y.scalars, expected).allSatisfy { $0.bitPattern == $1.bitPattern }, "\(choice) \(activation)")
            }
        }
    }

    /// The choice depends only on the CPU's features and the shape: the best variant follows cpuid, repeated
    /// questions get the same answer (the table's), batch 1 stays on BLAS, and a forced choice is obeyed.
    @Test func theChoiceIsAFixedFunctionOfTheCPUAndTheShape() {
        #expect(
            (SmallLayerKernels.bestVariant == .avx2) == CPUDescription.current.supports(["avx2", "fma"]))
        let best = SmallLayerKernels.bestVariant
        SmallLayerKernels.$override.withValue(.automatic) {
            for pass in SmallLayerKernels.Pass.allCases {
                for rows in [1, 7, 8, 256, 2500] {
                    for inputCount in Self.widths + [256, 512] {
                        for outputCount in [1, 2, 4, 64, 128, 256, 512] {
                            let first = SmallLayerKernels.variant(
                                for: pass, rows: rows, inputCount: inputCount, outputCount: outputCount)
                            let second = SmallLayerKernels.variant(
                                for: pass, rows: rows, inputCount: inputCount, outputCount: outputCount)
                            let table = SmallLayerKernels.usesKernel(
                                best, pass: pass, rows: rows, inputCount: inputCount, outputCount: outputCount)
                            #expect(first == second && first == (table ? best : nil))
                        }
                    }
                    #expect(SmallLayerKernels.variant(for: pass, rows: 1, inputCount: 64, outputCount: 64) == nil)
                    #expect(
                        SmallLayerKernels.variant(for: pass, rows: 2500, inputCount: 1024, outputCount: 1024) == nil)
                }
            }
        }
        SmallLayerKernels.$override.withValue(.blas) {
            #expect(SmallLayerKernels.variant(for: .forward, rows: 2500, inputCount: 8, outputCount: 8) == nil)
        }
        SmallLayerKernels.$override.withValue(.portable) {
            #expect(SmallLayerKernels.variant(for: .forward, rows: 1, inputCount: 8, outputCount: 8) == .portable)
        }
    }
}
