import HPDNN

/// A run's time limit on a machine: the least time its work could take at the machine's yardstick rates.
///
///     limit = FLOP / (all-core sgemm rate) + environment steps / (one-core step rate × cores)
///
/// FLOP counts matrix products only (2 per multiply-add; a backward pass costs twice its forward pass), with
/// m̄ = the agents' mean multiply-adds per state, M = Σ_k m_k and |S| the public states:
///
///     local training   8 · m̄ · steps                (rollout forward 1× + REINFORCE update forward and backward 3×)
///     FedHPD events    events · loops · 6 · M · |S|  (report forward 1× + digestion backward 2×, every loop)
///     DPA alignments   events · 6 · M                (one state)
///
/// Steps per agent are not recorded separately, so local training uses m̄ — exact when the agents' episode lengths
/// are equal, otherwise an approximation of a term that is small beside distillation in FedHPD runs.
public struct GridTimeLimit: Sendable, Equatable {
    /// Matrix-product FLOPs of the run.
    public var floatingPointOperations: Double
    /// Environment steps of the run, summed over agents.
    public var environmentSteps: Int
    /// The limit in seconds at `rates`.
    public var seconds: Double

    /// The limit of a run with `configuration` on `environment` that took `segments`, at `rates`.
    public init(
        configuration: FederationConfiguration, environment: EnvironmentSpecification, segments: [GridRunSegment],
        rates: GridMachineRates
    ) {
        let multiplyAdds = configuration.agents.map {
            Double(
                $0.architecture(observationSize: environment.observationSize, actionSpace: environment.actionSpace)
                    .multiplyAddsPerState)
        }
        let total = multiplyAdds.reduce(0, +)
        let mean = multiplyAdds.isEmpty ? 0 : total / Double(multiplyAdds.count)
        let steps = segments.reduce(0) { $0 + $1.environmentSteps }
        let events = Double(segments.reduce(0) { $0 + $1.distillationEvents })
        var operations = 8 * mean * Double(steps)
        switch configuration.method {
        case .fedhpd:
            operations +=
                events * Double(configuration.loops) * 6 * total * Double(configuration.publicStates?.count ?? 0)
        case .dpa:
            operations += events * 6 * total
        case .nofed:
            break
        }
        floatingPointOperations = operations
        environmentSteps = steps
        let stepRate = rates.stepsPerSecond[environment.id] ?? .infinity
        seconds =
            operations / (rates.sgemmGigaflopsAllCores * 1e9) + Double(steps) / (stepRate * Double(max(1, rates.cores)))
    }
}
