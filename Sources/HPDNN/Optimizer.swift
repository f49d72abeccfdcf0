import HPDTensor

/// A first-order optimiser over a fixed list of parameters. `step()` reads each parameter's accumulated gradient
/// (parameters without one are skipped, as in PyTorch) and updates its value in place.
public protocol Optimizer: AnyObject {
    /// The parameters, in a fixed order.
    var parameters: [Variable] { get }
    /// The current learning rate η (schedulers change it).
    var learningRate: Float { get set }
    /// Applies one update from the current gradients.
    func step()
}

extension Optimizer {
    /// Clears every parameter's gradient.
    public func zeroGradients() {
        for parameter in parameters { parameter.zeroGradient() }
    }
}

/// Plain stochastic gradient descent: θ ← θ − η·g.
public final class SGD: Optimizer {
    /// The parameters updated by `step()`.
    public let parameters: [Variable]
    /// The learning rate η.
    public var learningRate: Float

    /// SGD over `parameters` with learning rate η.
    public init(parameters: [Variable], learningRate: Float) {
        self.parameters = parameters
        self.learningRate = learningRate
    }

    /// θ ← θ − η·g for every parameter with a gradient g.
    public func step() {
        for parameter in parameters {
            guard let gradient = parameter.gradient else { continue }
            parameter.updateValue { $0.add(gradient, scaledBy: -learningRate) }
        }
    }
}

/// Adam (Kingma & Ba) with PyTorch's exact update, and AdamW's decoupled weight decay when `weightDecay > 0`:
///
///     θ ← θ·(1 − η·λ)                         (AdamW only)
///     m ← β₁m + (1 − β₁)g,   v ← β₂v + (1 − β₂)g²,   t ← t + 1
///     θ ← θ − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
///
/// Each parameter keeps its own step count t (a parameter without a gradient is skipped and does not advance).
public final class Adam: Optimizer {
    /// The parameters updated by `step()`.
    public let parameters: [Variable]
    /// The learning rate η.
    public var learningRate: Float
    /// β₁, the first-moment decay (0.9).
    public let beta1: Float
    /// β₂, the second-moment decay (0.999).
    public let beta2: Float
    /// ε, added to the denominator (1e-8).
    public let epsilon: Float
    /// λ, decoupled weight decay (0 for Adam; AdamW's default is 0.01).
    public let weightDecay: Float
    /// First moments m, one per parameter.
    public internal(set) var firstMoments: [Tensor]
    /// Second moments v, one per parameter.
    public internal(set) var secondMoments: [Tensor]
    /// Step counts t, one per parameter.
    public internal(set) var stepCounts: [Int]

    /// Adam over `parameters` with PyTorch's defaults; `weightDecay` > 0 makes it AdamW. Moments start at zero.
    public init(
        parameters: [Variable], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
        epsilon: Float = 1e-8, weightDecay: Float = 0
    ) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        firstMoments = parameters.map { Tensor.zeros($0.value.shape) }
        secondMoments = parameters.map { Tensor.zeros($0.value.shape) }
        stepCounts = Array(repeating: 0, count: parameters.count)
    }

    /// AdamW: Adam with decoupled weight decay λ (PyTorch's default 0.01).
    public static func adamW(parameters: [Variable], learningRate: Float = 1e-3, weightDecay: Float = 0.01) -> Adam {
        Adam(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay)
    }

    /// Restores moments and step counts (checkpoints); shapes must match the parameters.
    public func restoreState(firstMoments: [Tensor], secondMoments: [Tensor], stepCounts: [Int]) {
        Precondition.check(
            firstMoments.map(\.shape) == parameters.map(\.value.shape)
                && secondMoments.map(\.shape) == parameters.map(\.value.shape) && stepCounts.count == parameters.count,
            "Adam.restoreState: moment shapes do not match the parameters")
        self.firstMoments = firstMoments
        self.secondMoments = secondMoments
        self.stepCounts = stepCounts
    }

    /// The elementwise update on raw buffers: constants arrive as values (in registers), so the loop vectorises.
    @inline(never)
    static func update(
        count: Int, gradient g: UnsafePointer<Float>, first m: UnsafeMutablePointer<Float>,
        second v: UnsafeMutablePointer<Float>, value theta: UnsafeMutablePointer<Float>, beta1: Float, beta2: Float,
        epsilon: Float, stepSize: Float, biasCorrection2Root: Float, decay: Float
    ) {
        let (oneMinusBeta1, oneMinusBeta2) = (1 - beta1, 1 - beta2)
        for i in 0..<count {
            let gradientValue = g[i]
            let firstValue = beta1 * m[i] + oneMinusBeta1 * gradientValue
            let secondValue = beta2 * v[i] + oneMinusBeta2 * gradientValue * gradientValue
            m[i] = firstValue
            v[i] = secondValue
            let denominator = secondValue.squareRoot() / biasCorrection2Root + epsilon
            theta[i] = theta[i] * decay - stepSize * firstValue / denominator
        }
    }

    /// One update of every parameter that has a gradient, as in the type's description.
    public func step() {
        for index in parameters.indices {
            guard let gradient = parameters[index].gradient else { continue }
            stepCounts[index] += 1
            let t = Double(stepCounts[index])
            let biasCorrection1 = Float(1 - _power(Double(beta1), t))
            let biasCorrection2Root = Float((1 - _power(Double(beta2), t)).squareRoot())
            let stepSize = learningRate / biasCorrection1
            let decay = 1 - learningRate * weightDecay
            let (b1, b2, eps, decoupled) = (beta1, beta2, epsilon, weightDecay != 0)
            firstMoments[index].modifyScalars { firstStorage in
                secondMoments[index].modifyScalars { secondStorage in
                    parameters[index].updateValue { value in
                        value.modifyScalars { valueStorage in
                            firstStorage.withUnsafeMutableBufferPointer { m in
                                secondStorage.withUnsafeMutableBufferPointer { v in
                                    valueStorage.withUnsafeMutableBufferPointer { theta in
                                        gradient.scalars.withUnsafeBufferPointer { g in
                                            Adam.update(
                                                count: g.count, gradient: g.baseAddress!, first: m.baseAddress!,
                                                second: v.baseAddress!, value: theta.baseAddress!, beta1: b1, beta2: b2,
                                                epsilon: eps, stepSize: stepSize,
                                                biasCorrection2Root: biasCorrection2Root,
                                                decay: decoupled ? decay : 1)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// PyTorch's StepLR: after e calls of `step()`, η = η₀ · γ^⌊e / stepSize⌋.
public struct StepLR: Codable, Sendable, Equatable {
    /// η₀.
    public let initialLearningRate: Float
    /// Decay every `stepSize` calls.
    public let stepSize: Int
    /// γ.
    public let gamma: Float
    /// The number of `step` calls so far.
    public private(set) var epoch: Int = 0

    /// A schedule starting at η₀ = `initialLearningRate`, multiplied by `gamma` every `stepSize` calls of `step`.
    public init(initialLearningRate: Float, stepSize: Int, gamma: Float) {
        Precondition.check(stepSize > 0, "StepLR stepSize must be positive, got \(stepSize)")
        self.initialLearningRate = initialLearningRate
        self.stepSize = stepSize
        self.gamma = gamma
    }

    /// The learning rate after `epoch` steps.
    public var learningRate: Float {
        Float(Double(initialLearningRate) * _power(Double(gamma), Double(epoch / stepSize)))
    }

    /// Advances one epoch and writes the new rate into `optimizer`.
    public mutating func step(_ optimizer: Optimizer) {
        epoch += 1
        optimizer.learningRate = learningRate
    }

    /// Sets the epoch counter (checkpoint restore).
    public mutating func restore(epoch: Int) { self.epoch = epoch }
}

#if canImport(Glibc)
import Glibc
func _power(_ base: Double, _ exponent: Double) -> Double { Glibc.pow(base, exponent) }
#else
import Foundation
func _power(_ base: Double, _ exponent: Double) -> Double { Foundation.pow(base, exponent) }
#endif
