import HPDTensor

/// Who takes part in a distillation event, and who misbehaves — the server-side choices beyond aggregation:
///
/// - **Partial participation** (`--participation P`): each event a seeded random subset of ⌈P·N⌉ agents reports and
///   digests; the others keep training locally (their losses are NaN in kd_losses.csv).
/// - **Stragglers** (`--dropout-probability Q`): each chosen agent then misses the event independently with
///   probability Q.
/// - **Adversaries** (`--adversarial-agents K,…`): their uploads are replaced by `ActionDistribution.confidentlyWrong`
///   — valid, so validation cannot catch them.
///
/// The draws for event e come from the stream (run seed, 5000 + e), so they depend only on the configuration — not
/// on the thread count, and not on where a resumed run restarted.
public struct FederationParticipation: Sendable, Equatable {
    /// P ∈ (0, 1].
    public var participation: Double
    /// Q ∈ [0, 1).
    public var dropoutProbability: Double
    /// 0-based indices of adversarial agents.
    public var adversarialAgents: Set<Int>

    public init(participation: Double = 1, dropoutProbability: Double = 0, adversarialAgents: Set<Int> = []) {
        self.participation = participation
        self.dropoutProbability = dropoutProbability
        self.adversarialAgents = adversarialAgents
    }

    /// The configuration's choices.
    public init(_ configuration: FederationConfiguration) {
        self.init(
            participation: configuration.participation ?? 1,
            dropoutProbability: configuration.dropoutProbability ?? 0,
            adversarialAgents: Set((configuration.adversarialAgents ?? []).map { $0 - 1 }))
    }

    /// Everyone, every time.
    public var isFull: Bool { participation >= 1 && dropoutProbability <= 0 }

    /// The agents (0-based, ascending) that take part in event `event` (1-based) of a run with `agentCount` agents.
    public func participants(event: Int, agentCount: Int, runSeed: UInt64) -> [Int] {
        guard !isFull else { return Array(0..<agentCount) }
        var generator = RandomGenerator(seed: runSeed, stream: 5000 + UInt64(event))
        var order = Array(0..<agentCount)
        // Fisher–Yates with the run's generator: the first ⌈P·N⌉ of a seeded permutation.
        for index in stride(from: agentCount - 1, to: 0, by: -1) {
            let other = Int(generator.next() % UInt64(index + 1))
            order.swapAt(index, other)
        }
        let chosen = order.prefix(Int((participation * Double(agentCount)).rounded(.up)))
        return chosen.filter { _ in Double(generator.uniformFloat()) >= dropoutProbability }.sorted()
    }
}

extension ActionDistribution {
    /// A valid but confidently wrong report (what an adversarial agent uploads): categorical — all mass on the
    /// action the honest report ranks lowest (the first such action on ties); Gaussian — the mean mirrored
    /// (μ → −μ) with a tenth of the standard deviation.
    public func confidentlyWrong() -> ActionDistribution {
        switch self {
        case .categorical(let probabilities):
            var result = Tensor.zeros([probabilities.rows, probabilities.columns])
            for row in 0..<probabilities.rows {
                var lowest = 0
                for column in 1..<probabilities.columns where probabilities[row, column] < probabilities[row, lowest] {
                    lowest = column
                }
                result[row, lowest] = 1
            }
            return .categorical(probabilities: result)
        case .gaussian(let mean, let deviation):
            return .gaussian(mean: mean * -1, standardDeviation: deviation * 0.1)
        }
    }
}
