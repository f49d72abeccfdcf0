import HPDNN
import HPDRL
import HPDTensor
import Logging

/// The federated training loop, top to bottom:
///
///     for episode e = 1 … E:
///         every agent plays one episode and takes one REINFORCE step        (concurrently, one job per agent)
///         if schedule.isEventDue(afterEpisode: e):                          (e mod d = 0, `DistillationSchedule`)
///             fedhpd: one `DistillationEvent` on the public state set, consensus by `LocalAggregation`
///             dpa:    one alignment step of the `DPAFedRLServer` on its current state
///
/// Agent k draws its environment seed, initial weights and action samples from its own streams derived from
/// (run seed, k), and BLAS runs single-threaded inside each job, so every output is identical for any thread count.
public final class FederatedTraining {
    /// The run's configuration.
    public let configuration: FederationConfiguration
    /// The agents, in index order.
    public let agents: [any LocalLearningAgent]
    /// The FedHPD server (nil for NoFed and DPA).
    public let server: DistillationServer?
    /// The DPA-FedRL server (nil for NoFed and FedHPD).
    public let dpaServer: DPAFedRLServer?
    /// When events happen.
    public let schedule: DistillationSchedule
    private let executor: ParallelExecutor
    private let aggregation: AggregationStrategy
    /// Who takes part in each event (the configuration's participation, dropout and adversaries).
    private let participation: FederationParticipation

    /// returns[e][k]: agent k's return in episode e.
    public internal(set) var returns: [[Double]] = []
    /// Digestion losses: (episode, step) rows.
    public internal(set) var distillationRecords: [(episode: Int, step: DistillationStep)] = []
    /// The first non-finite loss, return or parameter found (the run stops there; nil while every number is finite).
    /// The returns of the episode it was found in are recorded; no checkpoint should be written after it.
    public internal(set) var divergence: Divergence?
    /// Notes about reports excluded from a consensus.
    public internal(set) var exclusions: [String] = []
    /// Accumulated timings.
    public internal(set) var timings = TrainingTimings()
    /// Where the run reports what the caller should know but that does not stop it: each excluded report (a
    /// warning, the text of its `exclusions` entry) and checkpoint fall-backs (`RunFolder.restoreNewestCheckpoint`).
    /// Label `fedhpd.federation` unless replaced.
    public var logger = Logger(label: "fedhpd.federation")

    /// The DPA server's state as checkpoints record it; without a DPA server, the streams it would have used
    /// (so checkpoints of every method have the same layout).
    var dpaGenerator: RandomGenerator {
        get { dpaServer?.generator ?? RandomGenerator(seed: configuration.seed, stream: 1) }
        set { dpaServer?.generator = newValue }
    }
    var dpaSeedStream: RandomGenerator {
        get { dpaServer?.seedStream ?? RandomGenerator(seed: configuration.seed, stream: 2) }
        set { dpaServer?.seedStream = newValue }
    }
    var dpaEpisodeSeed: UInt64 { dpaServer?.episodeSeed ?? 0 }
    var dpaActions: [EnvironmentAction] { dpaServer?.actions ?? [] }
    var dpaEnvironment: (any Environment)? { dpaServer?.environment }

    /// The next episode to run (0-based).
    public var nextEpisode: Int { returns.count }
    /// Whether every episode has run.
    public var isFinished: Bool { returns.count >= configuration.episodes }

    /// Stream numbers: agent k uses (seed, 1000 + k) for its environment seed, (seed, 2000 + k) for its weights and
    /// (seed, 3000 + k) for sampling; the DPA server uses (seed, 1).
    public static func environmentSeed(runSeed: UInt64, agentIndex: Int) -> UInt64 {
        var generator = RandomGenerator(seed: runSeed, stream: 1000 + UInt64(agentIndex))
        return generator.next()
    }

    /// Builds every agent from the configuration (black box: each builds its own network and optimiser).
    public convenience init(
        configuration: FederationConfiguration, environment: EnvironmentSpecification,
        publicStates: PublicStateSet?, aggregation: AggregationStrategy? = nil, threads: Int
    ) throws {
        try configuration.validate(requiringEvents: false)
        var agents: [ReinforceAgent] = []
        for (index, specification) in configuration.agents.enumerated() {
            agents.append(
                try Self.makeAgent(
                    index: index, specification: specification, environment: environment, runSeed: configuration.seed))
        }
        try self.init(
            configuration: configuration, environment: environment, agents: agents, publicStates: publicStates,
            aggregation: aggregation, threads: threads)
    }

    /// A run over agents you built yourself — any `LocalLearningAgent`, e.g. with a custom policy architecture.
    /// `configuration.agents` should still describe them (it is what config.json records); the trainer only uses
    /// its count. Checkpoints support `ReinforceAgent`s only. `aggregation` nil: the strategy the configuration names
    /// (`AggregationChoice`); a custom strategy replaces it.
    public init(
        configuration: FederationConfiguration, environment: EnvironmentSpecification, agents: [any LocalLearningAgent],
        publicStates: PublicStateSet?, aggregation: AggregationStrategy? = nil, threads: Int
    ) throws {
        try configuration.validate(requiringEvents: false)
        guard agents.count == configuration.agents.count else {
            throw FederationError.invalidConfiguration(
                "\(agents.count) agents given but the configuration describes \(configuration.agents.count)")
        }
        self.configuration = configuration
        let aggregation = try aggregation ?? AggregationChoice.strategy(named: configuration.aggregation)
        self.aggregation = aggregation
        participation = FederationParticipation(configuration)
        executor = ParallelExecutor(threadCount: threads)
        self.agents = agents
        let partCount =
            configuration.method == .fedhpd
            ? (publicStates.map { $0.parts(partSize: configuration.partSize).count } ?? 1) : 1
        schedule = DistillationSchedule(configuration, partCount: max(1, partCount))
        switch configuration.method {
        case .fedhpd:
            guard let publicStates else {
                throw FederationError.invalidConfiguration("fedhpd needs a public state set")
            }
            guard publicStates.states.columns == environment.observationSize else {
                throw FederationError.invalidConfiguration(
                    "public states have \(publicStates.states.columns) columns, \(environment.id) observations have \(environment.observationSize)"
                )
            }
            server = DistillationServer(
                publicStates: publicStates, partSize: configuration.partSize, loops: configuration.loops,
                aggregation: aggregation, adversarialAgents: participation.adversarialAgents)
            dpaServer = nil
        case .dpa:
            server = nil
            dpaServer = try DPAFedRLServer(
                environment: environment, aggregation: aggregation, runSeed: configuration.seed)
        case .nofed:
            server = nil
            dpaServer = nil
        }
    }

    /// Builds agent `index` exactly as every trainer does — in process or in a remote client — so agent k's
    /// results depend only on (run seed, k): weights from stream (seed, 2000 + k), environment seed from
    /// (seed, 1000 + k), sampling from (seed, 3000 + k).
    public static func makeAgent(
        index: Int, specification: AgentSpecification, environment: EnvironmentSpecification, runSeed: UInt64
    ) throws -> ReinforceAgent {
        var weights = RandomGenerator(seed: runSeed, stream: 2000 + UInt64(index))
        let architecture = specification.architecture(
            observationSize: environment.observationSize, actionSpace: environment.actionSpace)
        do { try architecture.validate() } catch {
            throw FederationError.invalidConfiguration("agent \(index + 1): \(error)")
        }
        let policy: Policy =
            architecture.family == .categorical
            ? CategoricalPolicy(architecture: architecture, generator: &weights)
            : GaussianPolicy(architecture: architecture, generator: &weights)
        let learner = specification.makeLearner(
            policy: policy, environment: try environment.makeEnvironment(UInt64(index)),
            environmentSeed: environmentSeed(runSeed: runSeed, agentIndex: index),
            generator: RandomGenerator(seed: runSeed, stream: 3000 + UInt64(index)), weights: &weights)
        return ReinforceAgent(learner: learner)
    }

    /// Runs the remaining episodes; `progress` is called after each one with the episode count done. Stops early
    /// (between episodes) when `shouldContinue` returns false, or at a divergence (`divergence` says where; `progress`
    /// is not called for that episode, so no checkpoint of the diverged state is written).
    public func run(progress: ((Int) -> Void)? = nil, shouldContinue: (() -> Bool)? = nil) {
        LinearAlgebraLibrary.threadCount = 1
        MemoryPolicy.retainFreedMemory()
        while !isFinished && divergence == nil && (shouldContinue?() ?? true) {
            runNextEpisode()
            if divergence != nil { return }
            progress?(returns.count)
        }
    }

    /// One system episode: every agent (but the excluded ones) trains one episode, then the method's federation step
    /// if it is due; after each phase the divergence check (`handleDivergences`).
    public func runNextEpisode() {
        Precondition.check(!isFinished, "runNextEpisode: all \(configuration.episodes) episodes have run")
        let episode = returns.count
        let start = monotonicSeconds()
        let active = activeAgentIndices
        let activeReports = executor.trainOneEpisode(active.map { agents[$0] })
        var reports = Array(
            repeating: EpisodeReport(episodeReturn: .nan, steps: 0, rolloutSeconds: 0, updateSeconds: 0),
            count: agents.count)
        for (position, index) in active.enumerated() { reports[index] = activeReports[position] }
        timings.localSeconds += monotonicSeconds() - start
        for report in activeReports {
            timings.rolloutSeconds += report.rolloutSeconds
            timings.updateSeconds += report.updateSeconds
            timings.environmentSteps += report.steps
        }
        returns.append(reports.map(\.episodeReturn))
        guard handleDivergences(among: active, { findDivergence(in: reports, episode: episode + 1, among: $0) }) else {
            return
        }
        guard let event = schedule.event(afterEpisode: episode + 1) else { return }
        let federationStart = monotonicSeconds()
        let remaining = activeAgentIndices
        switch configuration.method {
        case .fedhpd:
            let participants = participation.participants(
                event: event, agentCount: agents.count, runSeed: configuration.seed
            ).filter { remaining.contains($0) }
            let result = server!.runEvent(
                agents: agents, executor: executor, participants: participants,
                context: AggregationContext(returns: returns))
            for step in result.steps { distillationRecords.append((episode + 1, step)) }
            let excluded = result.exclusions.map { "episode \(episode + 1): \($0)" }
            for exclusion in excluded { logger.warning("\(exclusion)") }
            exclusions += excluded
            timings.distillationEvents += 1
            _ = handleDivergences(among: remaining) {
                findDivergence(in: result.steps, episode: episode + 1, among: $0)
            }
        case .dpa:
            let activeLosses = dpaServer!.alignmentStep(agents: remaining.map { agents[$0] }, executor: executor)
            var losses = [Float](repeating: .nan, count: agents.count)
            for (position, index) in remaining.enumerated() { losses[index] = activeLosses[position] }
            let step = DistillationStep(loop: 1, part: 1, losses: losses)
            distillationRecords.append((episode + 1, step))
            timings.distillationEvents += 1
            _ = handleDivergences(among: remaining) { findDivergence(in: [step], episode: episode + 1, among: $0) }
        case .nofed:
            break
        }
        timings.distillationSeconds += monotonicSeconds() - federationStart
    }

    /// Rebuilds the DPA server's environment from its episode seed and the actions taken since (checkpoints).
    func replayServerEpisode(seed: UInt64, actions: [EnvironmentAction]) {
        dpaServer?.replayEpisode(seed: seed, actions: actions)
    }
}

/// Where the time went (seconds; rollout and update are summed over agents, so they exceed wall time when agents run
/// in parallel).
public struct TrainingTimings: Sendable, Codable, Equatable {
    /// Wall seconds of the local-training phases (all agents together).
    public var localSeconds = 0.0
    /// Seconds acting in environments, summed over agents.
    public var rolloutSeconds = 0.0
    /// Seconds in REINFORCE updates, summed over agents.
    public var updateSeconds = 0.0
    /// Wall seconds of federation steps (distillation events or DPA alignment).
    public var distillationSeconds = 0.0
    /// The number of federation steps run.
    public var distillationEvents = 0
    /// Environment steps, summed over agents.
    public var environmentSteps = 0
    /// Checkpoints written.
    public var checkpoints = 0
    /// Seconds spent writing checkpoints (encode + write + fsync + rename).
    public var checkpointSeconds = 0.0
    /// The size of the last checkpoint in bytes.
    public var checkpointBytes = 0
    /// The CPU, the BLAS kernel set and its sgemm rate (filled in when the results are written).
    public var machine: MachineRecord?
}
