import ArgumentParser
import HPDTensor

/// `fedhpd-bench layers`: each pass of one layer (forward with bias and ReLU, input gradient with the ReLU
/// derivative, parameter gradients) timed through BLAS and through a small-layer kernel variant for a grid of
/// widths — the measurement behind `SmallLayerKernels.usesKernel`. Prints kernel speed ÷ BLAS speed (fastest call
/// of each) and the table's choice.
struct LayersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layers", abstract: "Time each layer pass through BLAS and the small-layer kernels, per shape.")

    @Option(help: "Input and output widths, comma-separated (every pair is timed).")
    var widths = "2,4,8,16,32,64,128,256,512"
    @Option(help: "States per call, comma-separated.")
    var rows = "256,2500"
    @Option(help: "Kernel variant: portable or avx2 (default: the best this CPU supports).")
    var variant: String?
    @Option(help: "Seconds of timed calls per pass and implementation.")
    var budget = 0.05

    func run() throws {
        LinearAlgebraLibrary.threadCount = 1
        let chosen =
            try variant.map { text -> SmallLayerKernels.Variant in
                guard let parsed = SmallLayerKernels.Variant(rawValue: text) else {
                    throw ValidationError("--variant: '\(text)' is not portable or avx2")
                }
                guard parsed != .avx2 || SmallLayerKernels.bestVariant == .avx2 else {
                    throw ValidationError("--variant avx2: this CPU lacks AVX2 + FMA")
                }
                return parsed
            } ?? SmallLayerKernels.bestVariant
        let widthList = try Self.integers(widths, option: "--widths")
        let rowList = try Self.integers(rows, option: "--rows")
        let timing = TimingBudget(warmupCalls: 2, budgetSeconds: budget, minimumRepetitions: 5)
        print("# kernel speed ÷ BLAS speed (fastest call), variant \(chosen.rawValue); * = the table uses the kernel")
        print("rows   in→out      forward   input_grad   param_grads   BLAS GFLOP/s (fwd, in, param)")
        for rowCount in rowList {
            for inputCount in widthList {
                for outputCount in widthList {
                    let (ratios, rates) = measure(
                        rows: rowCount, inputCount: inputCount, outputCount: outputCount, variant: chosen,
                        timing: timing)
                    let cells = SmallLayerKernels.Pass.allCases.enumerated().map { index, pass in
                        let used = SmallLayerKernels.usesKernel(
                            chosen, pass: pass, rows: rowCount, inputCount: inputCount, outputCount: outputCount)
                        return (formatted(ratios[index], decimals: 2) + (used ? "*" : " ")).leftPadded(12)
                    }
                    print(
                        "\(String(rowCount).leftPadded(5))  \((String(inputCount) + "→" + String(outputCount)).leftPadded(9))"
                            + cells.joined() + "   "
                            + rates.map { formatted($0, decimals: 1) }.joined(separator: ", "))
                }
            }
        }
    }

    /// Kernel ÷ BLAS speed per pass and BLAS's GFLOP/s per pass.
    private func measure(
        rows: Int, inputCount: Int, outputCount: Int, variant: SmallLayerKernels.Variant, timing: TimingBudget
    ) -> (ratios: [Double], rates: [Double]) {
        var generator = RandomGenerator(seed: 3)
        let x = Tensor.uniform([rows, inputCount], low: -1, high: 1, generator: &generator)
        let w = Tensor.uniform([outputCount, inputCount], low: -1, high: 1, generator: &generator)
        let b = Tensor.uniform([outputCount], low: -1, high: 1, generator: &generator)
        let z = Tensor.uniform([rows, outputCount], low: -1, high: 1, generator: &generator)
        var y = Tensor.zeros([rows, outputCount])
        var g = Tensor.zeros([rows, inputCount])
        var weightGradient = Tensor.zeros([outputCount, inputCount])
        var biasGradient = Tensor.zeros([outputCount])
        var scratch: [Float] = []
        let passes: [() -> Void] = [
            { Tensor.linear(x, weight: w, bias: b, activation: .relu, into: &y, scratch: &scratch) },
            {
                Tensor.linearInputGradient(
                    outputGradient: z, weight: w, accumulating: false, derivative: .relu, belowOutput: x, into: &g,
                    scratch: &scratch)
            },
            {
                Tensor.linearParameterGradients(
                    outputGradient: z, input: x, weightGradient: &weightGradient, biasGradient: &biasGradient,
                    scratch: &scratch)
            },
        ]
        let flops = 2 * Double(rows) * Double(inputCount) * Double(outputCount)
        var ratios: [Double] = []
        var rates: [Double] = []
        for pass in passes {
            let blas = SmallLayerKernels.$override.withValue(.blas) {
                TimingSample.measure(pass, budget: timing).minimumMicroseconds
            }
            let kernel = SmallLayerKernels.$override.withValue(variant == .avx2 ? .avx2 : .portable) {
                TimingSample.measure(pass, budget: timing).minimumMicroseconds
            }
            ratios.append(blas / kernel)
            rates.append(flops / blas / 1e3)
        }
        blackHole((y, g, weightGradient, biasGradient))
        return (ratios, rates)
    }

    private static func integers(_ text: String, option: String) throws -> [Int] {
        try text.split(separator: ",").map { item in
            guard let value = Int(item.trimmingCharacters(in: .whitespaces)), value > 0 else {
                throw ValidationError("\(option): '\(item)' is not a positive integer")
            }
            return value
        }
    }
}
