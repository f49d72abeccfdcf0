#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// The fused losses of `Derivatives.swift` as kernels over the rows of a chunk: each returns the loss summed over
/// its rows (in Double) and writes the loss's gradient with respect to the network outputs into caller-owned
/// buffers. The tape operations (`Variable.weightedNegativeLogLikelihood`, `klDivergenceBatchMean`,
/// `gaussianKLDivergenceMean`) call these same kernels over all rows, so each rule is written once; the chunked,
/// tape-free passes (`ChunkedNetwork`, `ReinforceGradient`, `ReinforceAgent`'s digestion) call them chunk by chunk.
extension Tensor {
    /// The REINFORCE loss over the rows of `logits`, with actions and weights from index `firstRow` on: returns
    /// Σ_i −w_i · log softmax(z_i)[a_i] (in Double) and writes z̄_i = w_i · (softmax(z_i) − onehot(a_i)).
    public static func weightedNegativeLogLikelihoodRows(
        logits: Tensor, actions: [Int], weights: [Float], firstRow: Int, gradient: inout Tensor
    ) -> Double {
        let (rows, columns) = (logits.rows, logits.columns)
        Precondition.check(
            firstRow + rows <= min(actions.count, weights.count) && gradient.count == logits.count,
            "weightedNegativeLogLikelihood: \(actions.count) actions, \(weights.count) weights for logits \(logits.shape) from row \(firstRow)"
        )
        var total = 0.0
        logits.scalars.withUnsafeBufferPointer { z in
            gradient.scalars.withUnsafeMutableBufferPointer { g in
                for row in 0..<rows {
                    let (action, weight) = (actions[firstRow + row], weights[firstRow + row])
                    Precondition.check(action >= 0 && action < columns, "action \(action) out of range 0..<\(columns)")
                    let start = row * columns
                    var maximum = -Float.infinity
                    for column in 0..<columns { maximum = max(maximum, z[start + column]) }
                    var sum: Float = 0
                    for column in 0..<columns { sum += expf(z[start + column] - maximum) }
                    let shift = maximum + logf(sum)
                    total -= Double(weight) * Double(z[start + action] - shift)
                    for column in 0..<columns { g[start + column] = weight * expf(z[start + column] - shift) }
                    g[start + action] -= weight
                }
            }
        }
        return total
    }

    /// The continuous REINFORCE loss over rows `firstRow…` of `actions`/`weights`, with σ′ = σ + `offset`, μ′ = μ + offset:
    /// returns Σ_i −w_i (1/D) Σ_d log N(a_id; μ′_id, σ′_id²) (in Double) and writes
    /// μ̄ = −(w_i/D)(a − μ′)/σ′² and σ̄ = −(w_i/D)((a − μ′)²/σ′³ − 1/σ′).
    public static func weightedNegativeGaussianLogDensityRows(
        mean: Tensor, deviation: Tensor, actions: Tensor, weights: [Float], firstRow: Int, offset: Float,
        meanGradient: inout Tensor, deviationGradient: inout Tensor
    ) -> Double {
        let (rows, columns) = (mean.rows, mean.columns)
        Precondition.check(
            deviation.count == mean.count && actions.columns == columns && firstRow + rows <= actions.rows
                && firstRow + rows <= weights.count && meanGradient.count == mean.count
                && deviationGradient.count == mean.count,
            "weightedNegativeGaussianLogDensity: mean \(mean.shape), actions \(actions.shape), \(weights.count) weights from row \(firstRow)"
        )
        let halfLogTwoPi = 0.5 * logf(2 * Float.pi)
        var total = 0.0
        mean.scalars.withUnsafeBufferPointer { mu in
            deviation.scalars.withUnsafeBufferPointer { sigma in
                actions.scalars.withUnsafeBufferPointer { actionBuffer in
                    meanGradient.scalars.withUnsafeMutableBufferPointer { muBar in
                        deviationGradient.scalars.withUnsafeMutableBufferPointer { sigmaBar in
                            let a = actionBuffer.baseAddress! + firstRow * columns
                            for row in 0..<rows {
                                let scale = weights[firstRow + row] / Float(columns)
                                var rowTotal = 0.0
                                for column in 0..<columns {
                                    let index = row * columns + column
                                    let shiftedDeviation = sigma[index] + offset
                                    let difference = a[index] - (mu[index] + offset)
                                    let inverseVariance = 1 / (shiftedDeviation * shiftedDeviation)
                                    rowTotal += Double(
                                        -difference * difference * 0.5 * inverseVariance
                                            - logf(shiftedDeviation) - halfLogTwoPi)
                                    muBar[index] = -scale * difference * inverseVariance
                                    sigmaBar[index] =
                                        -scale * (difference * difference * inverseVariance - 1) / shiftedDeviation
                                }
                                total -= Double(scale) * rowTotal
                            }
                        }
                    }
                }
            }
        }
        return total
    }

    /// KL(p ‖ softmax(z)) over the rows of `logits` against rows `firstTargetRow…` of `target`: returns
    /// Σ_i Σ_a p_ia (ln p_ia − log softmax(z_i)_a) (in Double, 0·ln 0 = 0) and writes z̄_i = scale·(softmax(z_i)·Σ_a p_ia − p_i).
    public static func klDivergenceRows(
        logits: Tensor, target: Tensor, firstTargetRow: Int, scale: Float, gradient: inout Tensor
    ) -> Double {
        let (rows, columns) = (logits.rows, logits.columns)
        Precondition.check(
            target.columns == columns && firstTargetRow + rows <= target.rows && gradient.count == logits.count,
            "klDivergenceRows: logits \(logits.shape), target \(target.shape) from row \(firstTargetRow), gradient \(gradient.shape)"
        )
        var total = 0.0
        logits.scalars.withUnsafeBufferPointer { z in
            target.scalars.withUnsafeBufferPointer { targetBuffer in
                gradient.scalars.withUnsafeMutableBufferPointer { g in
                    let p = targetBuffer.baseAddress! + firstTargetRow * columns
                    for row in 0..<rows {
                        let start = row * columns
                        var maximum = -Float.infinity
                        for column in 0..<columns { maximum = max(maximum, z[start + column]) }
                        // g first holds e^(z − max); softmax = g / Σ g.
                        var sum: Float = 0
                        for column in 0..<columns {
                            let exponential = expf(z[start + column] - maximum)
                            g[start + column] = exponential
                            sum += exponential
                        }
                        let shift = maximum + logf(sum)
                        var mass: Float = 0
                        for column in 0..<columns { mass += p[start + column] }
                        let massOverSum = mass / sum
                        for column in 0..<columns {
                            let index = start + column
                            let target = p[index]
                            if target > 0 {
                                total += Double(target) * (Double(logf(target)) - Double(z[index] - shift))
                            }
                            g[index] = scale * (g[index] * massOverSum - target)
                        }
                    }
                }
            }
        }
        return total
    }

    /// The Gaussian KL of `Variable.gaussianKLDivergenceMean` summed over the entries of `localMean` /
    /// `localDeviation` (σ without offset) against rows `firstGlobalRow…` of the global tensors; writes
    /// μ̄ = scale·(μ_l − μ_g)/σ′_g² and σ̄ = scale·(σ′_l/σ′_g² − 1/σ′_l).
    public static func gaussianKLDivergenceRows(
        localMean: Tensor, localDeviation: Tensor, globalMean: Tensor, globalDeviation: Tensor, firstGlobalRow: Int,
        offset: Float, scale: Float, meanGradient: inout Tensor, deviationGradient: inout Tensor
    ) -> Double {
        let (count, columns) = (localMean.count, localMean.columns)
        Precondition.check(
            localDeviation.count == count && meanGradient.count == count && deviationGradient.count == count
                && globalMean.columns == columns && globalDeviation.columns == columns
                && firstGlobalRow + localMean.rows <= min(globalMean.rows, globalDeviation.rows),
            "gaussianKLDivergenceRows: local \(localMean.shape) against global \(globalMean.shape) from row \(firstGlobalRow)"
        )
        var total = 0.0
        localMean.scalars.withUnsafeBufferPointer { muLocal in
            localDeviation.scalars.withUnsafeBufferPointer { sigmaLocal in
                globalMean.scalars.withUnsafeBufferPointer { muGlobalBuffer in
                    globalDeviation.scalars.withUnsafeBufferPointer { sigmaGlobalBuffer in
                        meanGradient.scalars.withUnsafeMutableBufferPointer { muBar in
                            deviationGradient.scalars.withUnsafeMutableBufferPointer { sigmaBar in
                                let muGlobal = muGlobalBuffer.baseAddress! + firstGlobalRow * columns
                                let sigmaGlobal = sigmaGlobalBuffer.baseAddress! + firstGlobalRow * columns
                                for index in 0..<count {
                                    let local = sigmaLocal[index] + offset
                                    let global = sigmaGlobal[index] + offset
                                    let difference = muLocal[index] - muGlobal[index]
                                    let inverseVariance = 1 / (global * global)
                                    total +=
                                        Double(logf(global) - logf(local))
                                        + Double((local * local + difference * difference) * (0.5 * inverseVariance))
                                        - 0.5
                                    muBar[index] = scale * difference * inverseVariance
                                    sigmaBar[index] = scale * (local * inverseVariance - 1 / local)
                                }
                            }
                        }
                    }
                }
            }
        }
        return total
    }
}
