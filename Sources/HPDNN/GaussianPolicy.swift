import HPDTensor

/// A continuous-action policy π(a|s) = Π_d N(a_d; μ_d(s) + 10⁻⁶, (σ_d(s) + 10⁻⁶)²) with a shared body,
/// a mean head μ(s) = h·W_μᵀ + b_μ and a state-dependent standard-deviation head σ(s) = softplus(h·W_σᵀ + b_σ).
///
/// The 10⁻⁶ offsets are the reference implementation's (`Normal(mean + 1e-6, std + 1e-6)`); they keep σ > 0.
public final class GaussianPolicy: Policy {
    /// The offset added to μ and σ before sampling and evaluating densities.
    public static let offset: Float = 1e-6

    /// The architecture this policy was built from (family `.gaussian`).
    public let architecture: PolicyArchitecture
    /// The shared hidden layers.
    public let body: MLP
    /// The mean head.
    public let meanHead: Linear
    /// The standard-deviation head (before softplus).
    public let standardDeviationHead: Linear
    private var workspaces = WorkspaceCache()

    /// A freshly initialised policy (PyTorch default initialisation from `generator`).
    public init(architecture: PolicyArchitecture, generator: inout RandomGenerator) {
        Precondition.check(architecture.family == .gaussian, "GaussianPolicy needs a gaussian architecture")
        do { try architecture.validate() } catch { Precondition.failure("\(error)") }
        self.architecture = architecture
        body = MLP(
            inputCount: architecture.observationSize, hiddenSizes: architecture.hiddenSizes,
            activations: architecture.activations, generator: &generator)
        meanHead = Linear(inputCount: body.outputCount, outputCount: architecture.actionSize, generator: &generator)
        standardDeviationHead = Linear(
            inputCount: body.outputCount, outputCount: architecture.actionSize, generator: &generator)
    }

    /// The body's parameters, then the mean head's [W_μ, b_μ], then the deviation head's [W_σ, b_σ].
    public var parameters: [Variable] { body.parameters + meanHead.parameters + standardDeviationHead.parameters }

    /// μ(s) and σ(s) for a batch of states on the tape (each n × actionSize; σ = softplus, without the offset).
    public func distribution(_ states: Variable) -> (mean: Variable, standardDeviation: Variable) {
        let hidden = body(states)
        return (meanHead(hidden), standardDeviationHead(hidden).softplus())
    }

    /// μ(s) and σ(s) for a batch of states, without a tape.
    public func distribution(_ states: Tensor) -> (mean: Tensor, standardDeviation: Tensor) {
        Precondition.check(
            states.columns == architecture.observationSize,
            "GaussianPolicy: states \(states.shape) do not have \(architecture.observationSize) columns")
        let workspace = workspaces.workspace(
            batch: states.rows, observationSize: architecture.observationSize, hiddenSizes: architecture.hiddenSizes,
            headSizes: [architecture.actionSize, architecture.actionSize])
        workspace.input.replaceScalars(with: states.scalars)
        workspace.run(body: body, heads: [meanHead, standardDeviationHead])
        var deviation = workspace.heads[1]
        deviation.formSoftplus()
        return (workspace.heads[0], deviation)
    }

    /// Samples a = μ + 10⁻⁶ + (σ + 10⁻⁶)·z, z ~ N(0, 1), for one observation into `action` (allocation-free; the
    /// action is not clipped — environments clamp to their own bounds).
    public func sample(_ observation: [Float], generator: inout RandomGenerator, into action: inout [Float]) {
        let size = architecture.actionSize
        Precondition.check(
            action.count == size, "GaussianPolicy.sample: action buffer has \(action.count) slots, needs \(size)")
        let workspace = workspaces.workspace(
            batch: 1, observationSize: architecture.observationSize, hiddenSizes: architecture.hiddenSizes,
            headSizes: [size, size])
        workspace.input.replaceScalars(with: observation)
        workspace.run(body: body, heads: [meanHead, standardDeviationHead])
        workspace.heads[1].formSoftplus()
        for dimension in 0..<size {
            let mean = workspace.heads[0][0, dimension] + Self.offset
            let deviation = workspace.heads[1][0, dimension] + Self.offset
            action[dimension] = mean + deviation * Float(generator.normal())
        }
    }

    /// Elementwise log N(a; μ + 10⁻⁶, (σ + 10⁻⁶)²) = −(a − μ′)²/(2σ′²) − ln σ′ − ½ ln 2π on the tape.
    public static func logDensity(actions: Tensor, mean: Variable, standardDeviation: Variable) -> Variable {
        let shiftedMean = mean + offset
        let shiftedDeviation = standardDeviation + offset
        let difference = Variable(actions) - shiftedMean
        let quadratic = difference.squared() / (shiftedDeviation.squared() * 2)
        return -quadratic - shiftedDeviation.log() - 0.5 * Float.log(2 * Float.pi)
    }
}

extension Float {
    fileprivate static func log(_ value: Float) -> Float { Float(_logDouble(Double(value))) }
}

#if canImport(Glibc)
import Glibc
private func _logDouble(_ value: Double) -> Double { Glibc.log(value) }
#else
import Foundation
private func _logDouble(_ value: Double) -> Double { Foundation.log(value) }
#endif
