#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// Every differentiable operation and its derivative rule, in one place.
///
/// Notation: y is the operation's output, ȳ = ∂L/∂y the incoming gradient, x̄ = ∂L/∂x what is sent to input x.
/// Broadcast operands receive ȳ summed over the broadcast dimensions.
extension Variable {
    // MARK: Matrix products

    /// C = op(A)·op(B). Rules: Ā = C̄·op(B)ᵀ (transposed back if A was), B̄ = op(A)ᵀ·C̄ (likewise).
    public static func matmul(
        _ a: Variable, _ b: Variable, transposeLeft: Bool = false, transposeRight: Bool = false
    ) -> Variable {
        let value = Tensor.matmul(a.value, b.value, transposeLeft: transposeLeft, transposeRight: transposeRight)
        return Variable(value, parents: [a, b]) { gradient in
            if transposeLeft {
                a.accumulateProduct(b.value, gradient, transposeLeft: transposeRight, transposeRight: true)
            } else {
                a.accumulateProduct(gradient, b.value, transposeLeft: false, transposeRight: !transposeRight)
            }
            if transposeRight {
                b.accumulateProduct(gradient, a.value, transposeLeft: true, transposeRight: transposeLeft)
            } else {
                b.accumulateProduct(a.value, gradient, transposeLeft: !transposeLeft, transposeRight: false)
            }
        }
    }

    /// The fused affine map y = x·Wᵀ + b (x: n×in, W: out×in, b: [out]).
    /// Rules: x̄ = ȳ·W, W̄ = ȳᵀ·x, b̄ = Σ_rows ȳ.
    public static func linear(_ input: Variable, weight: Variable, bias: Variable) -> Variable {
        let value = Tensor.linear(input.value, weight: weight.value, bias: bias.value)
        return Variable(value, parents: [input, weight, bias]) { gradient in
            input.accumulateProduct(gradient, weight.value, transposeLeft: false, transposeRight: false)
            weight.accumulateProduct(gradient, input.value, transposeLeft: true, transposeRight: false)
            bias.accumulate(gradient.columnSums())
        }
    }

    // MARK: Elementwise arithmetic (broadcasting)

    /// y = a + b. Rules: ā = ȳ, b̄ = ȳ (each reduced to its own shape).
    public static func + (a: Variable, b: Variable) -> Variable {
        Variable(a.value + b.value, parents: [a, b]) { gradient in
            a.accumulate(gradient.summed(toShapeOf: a.value))
            b.accumulate(gradient.summed(toShapeOf: b.value))
        }
    }

    /// y = a − b. Rules: ā = ȳ, b̄ = −ȳ.
    public static func - (a: Variable, b: Variable) -> Variable {
        Variable(a.value - b.value, parents: [a, b]) { gradient in
            a.accumulate(gradient.summed(toShapeOf: a.value))
            b.accumulate((-gradient).summed(toShapeOf: b.value))
        }
    }

    /// y = a ⊙ b. Rules: ā = ȳ ⊙ b, b̄ = ȳ ⊙ a.
    public static func * (a: Variable, b: Variable) -> Variable {
        Variable(a.value * b.value, parents: [a, b]) { gradient in
            if a.requiresGradient { a.accumulate((gradient * b.value).summed(toShapeOf: a.value)) }
            if b.requiresGradient { b.accumulate((gradient * a.value).summed(toShapeOf: b.value)) }
        }
    }

    /// y = a / b. Rules: ā = ȳ / b, b̄ = −ȳ ⊙ a / b².
    public static func / (a: Variable, b: Variable) -> Variable {
        Variable(a.value / b.value, parents: [a, b]) { gradient in
            if a.requiresGradient { a.accumulate((gradient / b.value).summed(toShapeOf: a.value)) }
            if b.requiresGradient {
                b.accumulate((-(gradient * a.value) / b.value.squared()).summed(toShapeOf: b.value))
            }
        }
    }

    /// y = x + c. Rule: x̄ = ȳ.
    public static func + (x: Variable, constant: Float) -> Variable {
        Variable(x.value + constant, parents: [x]) { gradient in x.accumulate(gradient) }
    }

    /// y = c·x. Rule: x̄ = c·ȳ.
    public static func * (x: Variable, constant: Float) -> Variable {
        Variable(x.value * constant, parents: [x]) { gradient in x.accumulate(gradient * constant) }
    }

    /// y = x − c.
    public static func - (x: Variable, constant: Float) -> Variable { x + (-constant) }

    /// y = x / c.
    public static func / (x: Variable, constant: Float) -> Variable { x * (1 / constant) }

    /// y = −x. Rule: x̄ = −ȳ.
    public static prefix func - (x: Variable) -> Variable {
        Variable(-x.value, parents: [x]) { gradient in x.accumulate(-gradient) }
    }

    // MARK: Elementwise functions

    /// y = eˣ. Rule: x̄ = ȳ ⊙ y.
    public func exp() -> Variable {
        let output = value.exp()
        return Variable(output, parents: [self]) { [self] gradient in accumulate(gradient * output) }
    }

    /// y = ln x. Rule: x̄ = ȳ / x.
    public func log() -> Variable {
        Variable(value.log(), parents: [self]) { [self] gradient in accumulate(gradient / value) }
    }

    /// y = tanh x. Rule: x̄ = ȳ ⊙ (1 − y²).
    public func tanh() -> Variable {
        let output = value.tanh()
        return Variable(output, parents: [self]) { [self] gradient in
            accumulate(Tensor.tanhGradient(gradient, output: output))
        }
    }

    /// y = max(x, 0). Rule: x̄ = ȳ where x > 0, else 0.
    public func relu() -> Variable {
        Variable(value.relu(), parents: [self]) { [self] gradient in
            accumulate(Tensor.reluGradient(gradient, output: value))
        }
    }

    /// y = softplus(x) = ln(1 + eˣ) (y = x for x > 20). Rule: x̄ = ȳ ⊙ σ(x) (1 for x > 20).
    public func softplus() -> Variable {
        Variable(value.softplus(), parents: [self]) { [self] gradient in
            accumulate(
                Tensor.broadcasting(gradient, value, operation: "softplus′") { $0 * ($1 > 20 ? 1 : Tensor.sigmoid($1)) }
            )
        }
    }

    /// y = x². Rule: x̄ = 2x ⊙ ȳ.
    public func squared() -> Variable {
        Variable(value.squared(), parents: [self]) { [self] gradient in
            accumulate(Tensor.broadcasting(gradient, value, operation: "square′") { 2 * $0 * $1 })
        }
    }

    /// y = √x. Rule: x̄ = ȳ / (2y).
    public func squareRoot() -> Variable {
        let output = value.squareRoot()
        return Variable(output, parents: [self]) { [self] gradient in
            accumulate(Tensor.broadcasting(gradient, output, operation: "sqrt′") { $0 / (2 * $1) })
        }
    }

    // MARK: Reductions

    /// y = Σ x (a scalar). Rule: x̄ = ȳ everywhere.
    public func sum() -> Variable {
        Variable(value.sum(), parents: [self]) { [self] gradient in
            accumulate(Tensor(repeating: gradient.scalars[0], shape: value.shape))
        }
    }

    /// y = (1/n) Σ x. Rule: x̄ = ȳ / n everywhere.
    public func mean() -> Variable {
        Variable(value.mean(), parents: [self]) { [self] gradient in
            accumulate(Tensor(repeating: gradient.scalars[0] / Float(value.count), shape: value.shape))
        }
    }

    /// y_i = Σ_j x_ij, shape [rows, 1]. Rule: x̄_ij = ȳ_i.
    public func rowSums() -> Variable {
        Variable(value.rowSums(), parents: [self]) { [self] gradient in
            accumulate(Tensor.broadcasting(Tensor.zeros(value.shape), gradient, operation: "rowSums′") { $1 })
        }
    }

    /// y_i = (1/c) Σ_j x_ij, shape [rows, 1]. Rule: x̄_ij = ȳ_i / c.
    public func rowMeans() -> Variable { rowSums() * (1 / Float(value.columns)) }

    // MARK: Softmax family

    /// Row-wise softmax y = softmax(x). Rule: x̄ = y ⊙ (ȳ − Σ_j ȳ_j y_j).
    public func softmaxRows() -> Variable {
        let output = value.softmaxRows()
        return Variable(output, parents: [self]) { [self] gradient in
            let weighted = (gradient * output).rowSums()
            accumulate(output * (gradient - weighted))
        }
    }

    /// Row-wise log-softmax y = x − logΣexp(x). Rule: x̄ = ȳ − softmax(x) ⊙ Σ_j ȳ_j.
    public func logSoftmaxRows() -> Variable {
        let output = value.logSoftmaxRows()
        return Variable(output, parents: [self]) { [self] gradient in
            accumulate(gradient - output.exp() * gradient.rowSums())
        }
    }

    /// y_i = x_{i, indices[i]}, shape [rows, 1]. Rule: x̄ is ȳ scattered back to the picked positions.
    public func gatheringColumns(_ indices: [Int]) -> Variable {
        Variable(value.gatheringColumns(indices), parents: [self]) { [self] gradient in
            var scattered = Tensor.zeros(value.shape)
            for row in 0..<value.rows { scattered[row, indices[row]] = gradient.scalars[row] }
            accumulate(scattered)
        }
    }

    // MARK: Fused losses (each with its own checked rule)

    /// The REINFORCE loss L = Σ_i −w_i · log softmax(z_i)[a_i] on logits z (n×A), actions a and weights w.
    /// Rule: z̄_i = L̄ · w_i · (softmax(z_i) − onehot(a_i)) (see `Tensor.weightedNegativeLogLikelihoodRows`).
    public static func weightedNegativeLogLikelihood(logits: Variable, actions: [Int], weights: [Float]) -> Variable {
        var gradient = Tensor.uninitialized(logits.value.shape)
        let total = Tensor.weightedNegativeLogLikelihoodRows(
            logits: logits.value, actions: actions, weights: weights, firstRow: 0, gradient: &gradient)
        return Variable(Tensor(scalar: Float(total)), parents: [logits]) { outer in
            let factor = outer.scalars[0]
            logits.accumulate(factor == 1 ? gradient : gradient * factor)
        }
    }

    /// KL(p ‖ softmax(z)) averaged over rows ("batchmean"):
    /// L = (1/n) Σ_i Σ_a p_ia (ln p_ia − log softmax(z_i)_a), with 0·ln 0 = 0. Computed from log-softmax (no log 0).
    /// Rule: z̄_i = (L̄/n) · (softmax(z_i) · Σ_a p_ia − p_i) (see `Tensor.klDivergenceRows`).
    public static func klDivergenceBatchMean(target: Tensor, logits: Variable) -> Variable {
        Precondition.check(
            target.rows == logits.value.rows && target.columns == logits.value.columns,
            "klDivergenceBatchMean: target \(target.shape) does not match logits \(logits.value.shape)")
        let rows = logits.value.rows
        var gradient = Tensor.uninitialized([rows, logits.value.columns])
        let total = Tensor.klDivergenceRows(
            logits: logits.value, target: target, firstTargetRow: 0, scale: 1 / Float(rows), gradient: &gradient)
        return Variable(Tensor(scalar: Float(total / Double(rows))), parents: [logits]) { outer in
            let factor = outer.scalars[0]
            logits.accumulate(factor == 1 ? gradient : gradient * factor)
        }
    }

    /// The closed-form Gaussian KL averaged over entries, with σ′ = σ + `offset` on both sides:
    /// L = (1/N) Σ [ln(σ′_g/σ′_l) + (σ′_l² + (μ_l − μ_g)²)/(2σ′_g²) − ½]  (KL(local ‖ global), N = rows × columns).
    /// Rules (see `Tensor.gaussianKLDivergenceRows`): μ̄_l = (L̄/N)(μ_l − μ_g)/σ′_g², σ̄_l = (L̄/N)(σ′_l/σ′_g² − 1/σ′_l).
    public static func gaussianKLDivergenceMean(
        localMean: Variable, localDeviation: Variable, globalMean: Tensor, globalDeviation: Tensor, offset: Float
    ) -> Variable {
        let shape = localMean.value.shape
        Precondition.check(
            localDeviation.value.shape == shape && globalMean.count == localMean.value.count
                && globalDeviation.count == localMean.value.count,
            "gaussianKLDivergenceMean: shapes \(shape), \(localDeviation.value.shape), \(globalMean.shape), \(globalDeviation.shape) differ"
        )
        var meanGradient = Tensor.uninitialized(shape)
        var deviationGradient = Tensor.uninitialized(shape)
        let count = localMean.value.count
        let total = Tensor.gaussianKLDivergenceRows(
            localMean: localMean.value, localDeviation: localDeviation.value, globalMean: globalMean,
            globalDeviation: globalDeviation, firstGlobalRow: 0, offset: offset, scale: 1 / Float(count),
            meanGradient: &meanGradient, deviationGradient: &deviationGradient)
        return Variable(Tensor(scalar: Float(total / Double(count))), parents: [localMean, localDeviation]) { outer in
            let factor = outer.scalars[0]
            localMean.accumulate(factor == 1 ? meanGradient : meanGradient * factor)
            localDeviation.accumulate(factor == 1 ? deviationGradient : deviationGradient * factor)
        }
    }
}

extension Tensor {
    /// ReLU's backward rule, ȳ where the activation is positive, else 0 — from either the input x or the output
    /// max(x, 0) (x > 0 ⇔ max(x, 0) > 0).
    package static func reluGradient(_ gradient: Tensor, output: Tensor) -> Tensor {
        var result = gradient
        result.formReLUGradient(output: output)
        return result
    }

    /// tanh's backward rule, ȳ ⊙ (1 − y²), from the output y = tanh x.
    public static func tanhGradient(_ gradient: Tensor, output: Tensor) -> Tensor {
        var result = gradient
        result.formTanhGradient(output: output)
        return result
    }

    // MARK: The same rules on caller-owned buffers (tape-free backward passes over chunks of states)

    /// ReLU's rule in place: self ← ȳ where output > 0, else 0.
    public mutating func formReLUGradient(output: Tensor) {
        combineInPlace(with: output, operation: "relu′") { $1 > 0 ? $0 : 0 }
    }

    /// tanh's rule in place: self ← ȳ ⊙ (1 − y²) from the output y.
    public mutating func formTanhGradient(output: Tensor) {
        combineInPlace(with: output, operation: "tanh′") { $0 * (1 - $1 * $1) }
    }

    /// softplus's rule in place: self ← ȳ ⊙ σ(x) (ȳ for x > 20) from the input x.
    public mutating func formSoftplusGradient(input: Tensor) {
        combineInPlace(with: input, operation: "softplus′") { $0 * ($1 > 20 ? 1 : Tensor.sigmoid($1)) }
    }

    /// Linear's parameter rules W̄ = ȳᵀ·x and b̄ = Σ_rows ȳ (of y = x·Wᵀ + b), written over the two buffers.
    public static func linearParameterGradients(
        outputGradient: Tensor, input: Tensor, weightGradient: inout Tensor, biasGradient: inout Tensor
    ) {
        matmul(outputGradient, input, transposeLeft: true, into: &weightGradient)
        outputGradient.columnSums(into: &biasGradient)
    }

    /// Linear's input rule x̄ = ȳ·W, written over `inputGradient` (or added to it when `accumulating`).
    public static func linearInputGradient(
        outputGradient: Tensor, weight: Tensor, accumulating: Bool, into inputGradient: inout Tensor
    ) {
        matmul(outputGradient, weight, beta: accumulating ? 1 : 0, into: &inputGradient)
    }

    /// self ← f(self, other) elementwise for two tensors of equal size.
    private mutating func combineInPlace(with other: Tensor, operation: String, _ body: (Float, Float) -> Float) {
        Precondition.check(count == other.count, "\(operation): \(shape) and \(other.shape) differ")
        other.scalars.withUnsafeBufferPointer { right in
            scalars.withUnsafeMutableBufferPointer { left in
                for index in 0..<left.count { left[index] = body(left[index], right[index]) }
            }
        }
    }
}
