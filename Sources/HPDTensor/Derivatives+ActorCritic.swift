#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// The two fused operations of the actor-critic learners (PPO, A2C) and their derivative rules. Both take an n×1
/// column from the tape (new log-probabilities or new values) and constant columns recorded at rollout time, and
/// return a scalar mean over the n rows. Their kinks (the clip boundaries, the max) follow PyTorch's subgradient
/// choices: `clamp` passes the gradient on the closed interval, `max` sends it to the larger branch.
extension Variable {
    /// PPO's clipped surrogate (Schulman et al. 2017, CleanRL's `pg_loss`), with r_i = exp(ℓ_i − ℓ_i^old):
    ///
    ///     L = (1/n) Σ_i max(−A_i r_i, −A_i clip(r_i, 1 − ε, 1 + ε))
    ///
    /// Rule: ℓ̄_i = L̄ · (−A_i r_i / n) where the unclipped branch is the larger (−A_i r_i ≥ −A_i clip(r_i)), else 0
    /// (the clipped branch is constant in ℓ_i outside [1 − ε, 1 + ε]; inside it both branches are equal).
    /// `logProbabilities`: n×1 on the tape; `oldLogProbabilities`, `advantages`: n values; `clip` ε > 0.
    public static func clippedSurrogateLoss(
        logProbabilities: Variable, oldLogProbabilities: [Float], advantages: [Float], clip: Float
    ) -> Variable {
        let rows = logProbabilities.value.count
        Precondition.check(
            oldLogProbabilities.count == rows && advantages.count == rows && rows > 0 && clip > 0,
            "clippedSurrogateLoss: \(rows) log-probabilities, \(oldLogProbabilities.count) old, \(advantages.count) advantages, clip \(clip)"
        )
        var gradient = Tensor.zeros(logProbabilities.value.shape)
        var total = 0.0
        let scale = 1 / Float(rows)
        for row in 0..<rows {
            let ratio = expf(logProbabilities.value.scalars[row] - oldLogProbabilities[row])
            let clipped = min(max(ratio, 1 - clip), 1 + clip)
            let unclippedTerm = -advantages[row] * ratio
            let clippedTerm = -advantages[row] * clipped
            total += Double(max(unclippedTerm, clippedTerm))
            if unclippedTerm >= clippedTerm { gradient.scalars[row] = unclippedTerm * scale }
        }
        return Variable(Tensor(scalar: Float(total / Double(rows))), parents: [logProbabilities]) { outer in
            let factor = outer.scalars[0]
            logProbabilities.accumulate(factor == 1 ? gradient : gradient * factor)
        }
    }

    /// PPO's clipped value loss (CleanRL's `clip_vloss`), with V the new values, V^old the rollout's, R the returns:
    ///
    ///     L = (1/2n) Σ_i max((V_i − R_i)², (V_i^old + clip(V_i − V_i^old, −ε, ε) − R_i)²)
    ///
    /// Rule: V̄_i = L̄ · (V_i − R_i)/n where the unclipped square is the larger; otherwise
    /// L̄ · (V_i^clip − R_i)/n when |V_i − V_i^old| ≤ ε (the clip passes the gradient), else 0.
    public static func clippedValueLoss(
        values: Variable, oldValues: [Float], returns: [Float], clip: Float
    ) -> Variable {
        let rows = values.value.count
        Precondition.check(
            oldValues.count == rows && returns.count == rows && rows > 0 && clip > 0,
            "clippedValueLoss: \(rows) values, \(oldValues.count) old values, \(returns.count) returns, clip \(clip)")
        var gradient = Tensor.zeros(values.value.shape)
        var total = 0.0
        let scale = 1 / Float(rows)
        for row in 0..<rows {
            let value = values.value.scalars[row]
            let change = value - oldValues[row]
            let clippedValue = oldValues[row] + min(max(change, -clip), clip)
            let unclippedError = value - returns[row]
            let clippedError = clippedValue - returns[row]
            let unclippedSquare = unclippedError * unclippedError
            let clippedSquare = clippedError * clippedError
            total += 0.5 * Double(max(unclippedSquare, clippedSquare))
            if unclippedSquare >= clippedSquare {
                gradient.scalars[row] = unclippedError * scale
            } else if abs(change) <= clip {
                gradient.scalars[row] = clippedError * scale
            }
        }
        return Variable(Tensor(scalar: Float(total / Double(rows))), parents: [values]) { outer in
            let factor = outer.scalars[0]
            values.accumulate(factor == 1 ? gradient : gradient * factor)
        }
    }
}

extension Variable {
    /// Multiplies the accumulated gradient by `factor` in place (gradient-norm clipping); no-op without a gradient.
    public func scaleGradient(by factor: Float) {
        guard gradient != nil else { return }
        gradient!.scalars.withUnsafeMutableBufferPointer { buffer in
            for index in buffer.indices { buffer[index] *= factor }
        }
    }
}

extension Variable {
    /// ½ ln(2πe) = ½ (1 + ln 2π): the entropy of N(0, 1).
    public static let halfLogTwoPiE: Float = 1.4189385332046727

    /// The entropy of each row's categorical distribution softmax(z), from the logits z (n×A), as an n×1 column
    /// built from existing rules: H_i = −Σ_a softmax(z_i)_a · log softmax(z_i)_a (exp of the log-softmax is the
    /// softmax, so no log 0 arises).
    public func categoricalEntropyRows() -> Variable {
        let logProbabilities = logSoftmaxRows()
        return -(logProbabilities.exp() * logProbabilities).rowSums()
    }

    /// The entropy of each row's diagonal Gaussian with standard deviations σ (self, n×D) plus `offset`, as an n×1
    /// column: H_i = Σ_d (ln(σ_id + offset) + ½ ln(2πe)).
    public func gaussianEntropyRows(offset: Float) -> Variable {
        (self + offset).log().rowSums() + Self.halfLogTwoPiE * Float(value.columns)
    }
}
