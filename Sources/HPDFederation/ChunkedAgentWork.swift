import HPDTensor

/// A `FederatedAgent` whose knowledge extraction and digestion on a part split into independent chunks of states,
/// so that a server can spread one agent's work over several threads.
///
/// Protocol: `begin…` (on the calling thread), then `extract(chunk:)` / `digest(chunk:)` once for every chunk —
/// in any order, distinct chunks possibly at the same time on different threads — then `finish…` once. The chunk
/// count must depend only on the states (never on threads), and the result must not depend on the order the chunks
/// ran in: that is what keeps a run byte-identical for any thread count.
public protocol ChunkedFederatedAgent: FederatedAgent {
    /// Prepares extraction on `states` and says how it splits.
    func beginExtraction(on states: Tensor) -> AgentWork
    /// Computes the report's rows of chunk `index`.
    func extract(chunk index: Int)
    /// π_k(·|s) for every row of the states given to `beginExtraction`.
    func finishExtraction() -> ActionDistribution
    /// Prepares one digestion step toward `consensus` on `states` and says how it splits.
    func beginDigestion(consensus: ActionDistribution, on states: Tensor, loss: DigestionLoss) -> AgentWork
    /// Computes chunk `index`'s share of the loss and of its gradient.
    func digest(chunk index: Int)
    /// Combines the chunks (in chunk order), takes the optimiser step and returns the loss before it.
    func finishDigestion() -> Float
}

/// How one agent's work on a part splits: `chunkCount` chunks of about `costPerChunk` each (any unit, e.g.
/// multiply-adds). The cost only orders jobs (largest first); it never changes a result.
public struct AgentWork: Sendable, Equatable {
    /// The number of chunks (at least 1).
    public var chunkCount: Int
    /// A relative cost estimate of one chunk.
    public var costPerChunk: Double

    /// `chunkCount` chunks (at least 1) of relative cost `costPerChunk` each.
    public init(chunkCount: Int, costPerChunk: Double) {
        Precondition.check(chunkCount >= 1, "AgentWork needs at least one chunk, got \(chunkCount)")
        self.chunkCount = chunkCount
        self.costPerChunk = costPerChunk
    }
}

extension ChunkedFederatedAgent {
    /// Extraction with every chunk run in order on the calling thread.
    public func extractInOrder(on states: Tensor) -> ActionDistribution {
        let work = beginExtraction(on: states)
        for index in 0..<work.chunkCount { extract(chunk: index) }
        return finishExtraction()
    }

    /// Digestion with every chunk run in order on the calling thread.
    public func digestInOrder(consensus: ActionDistribution, on states: Tensor, loss: DigestionLoss) -> Float {
        let work = beginDigestion(consensus: consensus, on: states, loss: loss)
        for index in 0..<work.chunkCount { digest(chunk: index) }
        return finishDigestion()
    }
}

extension ParallelExecutor {
    /// Runs `body(agent, chunk)` for every chunk of every agent's `work` as one flat job list, largest chunks first
    /// (ties in agent, then chunk order), so the threads stay busy even when one agent dominates. Each job must
    /// touch only its own chunk's state.
    func runChunks(_ work: [AgentWork?], _ body: (_ agent: Int, _ chunk: Int) -> Void) {
        var jobs: [(agent: Int, chunk: Int, cost: Double)] = []
        for (agent, item) in work.enumerated() {
            guard let item else { continue }
            for chunk in 0..<item.chunkCount { jobs.append((agent, chunk, item.costPerChunk)) }
        }
        jobs = jobs.enumerated().sorted { left, right in
            left.element.cost != right.element.cost
                ? left.element.cost > right.element.cost : left.offset < right.offset
        }.map(\.element)
        _ = map(jobs.count) { body(jobs[$0].agent, jobs[$0].chunk) }
    }
}

/// Runs a plain `FederatedAgent` as one chunk per part (no splitting), so the server treats every agent alike.
final class WholeAgentWork: ChunkedFederatedAgent {
    let agent: any FederatedAgent
    private var states: Tensor?
    private var consensus: ActionDistribution?
    private var lossKind: DigestionLoss = .klDivergence
    private var report: ActionDistribution?
    private var loss: Float = .nan

    init(_ agent: any FederatedAgent) { self.agent = agent }

    var distributionFamily: DistributionFamily { agent.distributionFamily }

    func actionDistribution(on states: Tensor) -> ActionDistribution { agent.actionDistribution(on: states) }

    func digest(consensus: ActionDistribution, on states: Tensor, loss: DigestionLoss) -> Float {
        agent.digest(consensus: consensus, on: states, loss: loss)
    }

    func beginExtraction(on states: Tensor) -> AgentWork {
        self.states = states
        return AgentWork(chunkCount: 1, costPerChunk: Double(states.rows))
    }

    func extract(chunk index: Int) { report = agent.actionDistribution(on: states!) }

    func finishExtraction() -> ActionDistribution { report! }

    func beginDigestion(consensus: ActionDistribution, on states: Tensor, loss: DigestionLoss) -> AgentWork {
        (self.consensus, self.states, lossKind) = (consensus, states, loss)
        return AgentWork(chunkCount: 1, costPerChunk: Double(states.rows))
    }

    func digest(chunk index: Int) { loss = agent.digest(consensus: consensus!, on: states!, loss: lossKind) }

    func finishDigestion() -> Float { loss }
}
