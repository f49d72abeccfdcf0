// Supervised learning with the engine alone (HPDTensor + HPDNN, no RL): fit y = sin(x) on [−π, π] with a
// 1 → 32 → 1 tanh network, full-batch Adam on the mean squared error.
//
//     swift run -c release RegressionWithAdam [--steps N] [--seed S]
import Foundation  // sinf
import HPDNN
import HPDTensor

func integerArgument(_ name: String, default fallback: Int) -> Int {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let value = Int(arguments[index + 1])
    else { return fallback }
    return value
}

let steps = max(1, integerArgument("--steps", default: 1000))
let seed = UInt64(integerArgument("--seed", default: 3))

// The data: 256 points x ∈ [−π, π] as a 256 × 1 matrix and targets sin(x); both are constants (`Variable`s that
// need no gradient).
let pointCount = 256
let inputs = (0..<pointCount).map { -Float.pi + 2 * Float.pi * Float($0) / Float(pointCount - 1) }
let x = Variable(Tensor(rows: pointCount, columns: 1, scalars: inputs))
let y = Variable(Tensor(rows: pointCount, columns: 1, scalars: inputs.map { sinf($0) }))

// The model: ŷ = tanh(x·W₁ᵀ + b₁)·W₂ᵀ + b₂, initialised as PyTorch does, from a seeded generator.
var generator = RandomGenerator(seed: seed)
let hidden = Linear(inputCount: 1, outputCount: 32, generator: &generator)
let output = Linear(inputCount: 32, outputCount: 1, generator: &generator)
@MainActor func predict(_ input: Variable) -> Variable { output(hidden(input).tanh()) }

/// L = (1/n) Σ_i (ŷ_i − y_i)², recorded on the tape.
@MainActor func meanSquaredError() -> Variable { (predict(x) - y).squared().mean() }

let optimizer = Adam(parameters: hidden.parameters + output.parameters, learningRate: 0.01)
let initialError = meanSquaredError().value.scalarValue
print("y = sin(x), \(pointCount) points, 1 → 32 tanh → 1, Adam(η = 0.01), \(steps) steps")
print("initial MSE: \(initialError)")
for step in 1...steps {
    let loss = meanSquaredError()
    optimizer.zeroGradients()  // gradients accumulate until cleared
    loss.backward()  // ∂L/∂θ for W₁, b₁, W₂, b₂
    optimizer.step()  // θ ← θ − η·m̂ / (√v̂ + ε)
    if step % 250 == 0 && step != steps { print("step \(step): MSE \(loss.value.scalarValue)") }
}
let finalError = meanSquaredError().value.scalarValue
print("final MSE: \(finalError)")
print("reduction: \(Int((initialError / finalError).rounded()))×")

// A few predictions next to the truth.
for value: Float in [-2, -1, 0, 1, 2] {
    let prediction = predict(Variable(Tensor(rows: 1, columns: 1, scalars: [value]))).value.scalarValue
    print("sin(\(value)) = \(sinf(value)), model \(prediction)")
}
