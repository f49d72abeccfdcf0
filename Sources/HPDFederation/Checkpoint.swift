import Foundation
import HPDNN
import HPDRL
import HPDTensor

/// The whole state of a training run between two episodes, so a resumed run continues bit-identically.
///
/// It holds every agent's parameters and Adam state (moments, step counts, learning rate, StepLR position) — for A2C
/// and PPO agents also their private value network's and its Adam's, and PPO's partial rollout — every random stream
/// (sampling, environment), episode counters, the rows already logged, and the DPA server's episode seed and actions
/// (its environment is rebuilt by replay). File layout (little-endian):
///
///     "FHPDCKP\0" · UInt32 version · UInt32 JSON length · JSON metadata · Float32 blob · UInt64 FNV-1a checksum
///
/// The blob holds, agent by agent and parameter by parameter, θ, then m, then v (the policy's, then the value
/// network's). REINFORCE-only runs write exactly the fields they always did.
public struct Checkpoint {
    static let magic: [UInt8] = Array("FHPDCKP\0".utf8)
    /// The format version written.
    public static let version: UInt32 = 1

    package struct AgentState: Codable {
        var samplingState: [UInt64]
        var environmentState: [UInt64]?
        var episodesPlayed: Int
        var learningRate: Float
        var schedulerEpoch: Int?
        var stepCounts: [Int]
        var shapes: [[Int]]
        /// The value network's Adam step counts, parameter shapes and learning rate (A2C, PPO).
        var valueStepCounts: [Int]?
        var valueShapes: [[Int]]?
        var valueLearningRate: Float?
        /// Episodes recorded but not yet learned from (PPO).
        var pendingRollout: Rollout?
    }

    enum ServerAction: Codable {
        case discrete(Int)
        case continuous([Float])
    }

    struct Metadata: Codable {
        var runName: String
        var configuration: FederationConfiguration
        var episodesDone: Int
        var returns: [[Double]]
        var distillationEpisodes: [Int]
        var distillationSteps: [DistillationStep]
        var exclusions: [String]
        var agents: [AgentState]
        var serverSamplingState: [UInt64]
        var serverSeedState: [UInt64]
        var serverEpisodeSeed: UInt64
        var serverActions: [ServerAction]
        /// The BLAS kernel set the run computed with so far (absent in checkpoints from before it was recorded).
        var blasCore: String?
    }

    /// Serialises `training`'s state.
    public static func encode(_ training: FederatedTraining) throws -> Data {
        let (agentStates, blob) = try encodeAgents(training.agents)
        let metadata = Metadata(
            runName: training.configuration.runName, configuration: training.configuration,
            episodesDone: training.returns.count,
            returns: training.returns, distillationEpisodes: training.distillationRecords.map(\.episode),
            distillationSteps: training.distillationRecords.map(\.step), exclusions: training.exclusions,
            agents: agentStates,
            serverSamplingState: training.dpaGenerator.state, serverSeedState: training.dpaSeedStream.state,
            serverEpisodeSeed: training.dpaEpisodeSeed,
            serverActions: training.dpaActions.map { action in
                switch action {
                case .discrete(let value): return .discrete(value)
                case .continuous(let values): return .continuous(values)
                }
            },
            blasCore: LinearAlgebraLibrary.kernelStatus.core)
        return frame(json: try jsonEncoder().encode(metadata), blob: blob, magic: magic)
    }

    /// Every agent's state between two episodes: the JSON-able part (random streams, counters, Adam step counts,
    /// shapes) and the parameter blob (agent by agent and parameter by parameter θ, then m, then v; the policy's,
    /// then the value network's). The one encoder of agents for every checkpoint (`fedhpd train`'s and a network
    /// client's).
    package static func encodeAgents(_ agents: [any LocalLearningAgent]) throws -> (states: [AgentState], blob: [Float])
    {
        var blob: [Float] = []
        var agentStates: [AgentState] = []
        for (index, anyAgent) in agents.enumerated() {
            guard let agent = anyAgent as? LearnerAgent else {
                throw FederationError.invalidConfiguration(
                    "checkpoints support LearnerAgent only; agent \(index + 1) is \(type(of: anyAgent))")
            }
            let learner = agent.learner
            let optimizer = learner.optimizer
            for saved in [optimizer, learner.valueOptimizer].compactMap({ $0 }) {
                for index in saved.parameters.indices {
                    blob += saved.parameters[index].value.scalars
                    blob += saved.firstMoments[index].scalars
                    blob += saved.secondMoments[index].scalars
                }
            }
            agentStates.append(
                AgentState(
                    samplingState: learner.generator.state,
                    environmentState: (learner.environment as? any RandomStateEnvironment)?.randomState.state,
                    episodesPlayed: learner.episodesPlayed, learningRate: optimizer.learningRate,
                    schedulerEpoch: learner.scheduler?.epoch, stepCounts: optimizer.stepCounts,
                    shapes: optimizer.parameters.map(\.value.shape),
                    valueStepCounts: learner.valueOptimizer?.stepCounts,
                    valueShapes: learner.valueOptimizer?.parameters.map(\.value.shape),
                    valueLearningRate: learner.valueOptimizer?.learningRate, pendingRollout: learner.pendingRollout))
        }
        return (agentStates, blob)
    }

    /// The file layout around a checkpoint's metadata: `magic · UInt32 version · UInt32 JSON length · JSON · Float32
    /// blob · UInt64 FNV-1a checksum` (little-endian).
    package static func frame(json: Data, blob: [Float], magic: [UInt8]) -> Data {
        var data = Data(magic)
        LittleEndian.append(version, to: &data)
        LittleEndian.append(UInt32(json.count), to: &data)
        data.append(json)
        data.reserveCapacity(data.count + blob.count * 4 + 8)
        for value in blob { LittleEndian.append(value.bitPattern, to: &data) }
        LittleEndian.append(Checksum.fnv1a(data), to: &data)
        return data
    }

    /// Checks `frame`'s layout (magic, checksum, version, lengths) and returns the bytes, the JSON metadata and the
    /// offset of the blob; throws `fail(reason)` on a corrupt or truncated file.
    package static func unframe(
        _ data: Data, magic: [UInt8], fail: (String) -> FederationError
    ) throws -> (bytes: [UInt8], json: Data, blobOffset: Int) {
        let bytes = [UInt8](data)
        guard bytes.count >= 24, Array(bytes[0..<8]) == magic else {
            throw fail("not a checkpoint (bad magic or truncated)")
        }
        guard Checksum.fnv1a(Data(bytes[0..<(bytes.count - 8)])) == LittleEndian.readUInt64(bytes, at: bytes.count - 8)
        else {
            throw fail("checksum mismatch: the checkpoint is corrupt or truncated")
        }
        let fileVersion = LittleEndian.readUInt32(bytes, at: 8)
        guard fileVersion == version else { throw fail("checkpoint version \(fileVersion) is not supported") }
        let jsonLength = Int(LittleEndian.readUInt32(bytes, at: 12))
        guard 16 + jsonLength <= bytes.count - 8 else { throw fail("truncated metadata") }
        return (bytes, Data(bytes[16..<(16 + jsonLength)]), 16 + jsonLength)
    }

    /// The JSON coding of checkpoint metadata: non-finite numbers as "inf", "-inf", "nan" (every checkpoint's and
    /// journal's).
    package static func jsonEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// Reads what `jsonEncoder` writes.
    package static func jsonDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    /// Restores a checkpoint into a freshly built `training` with the same configuration. Throws (never traps) on a
    /// corrupt, truncated or mismatching file.
    /// Returns the BLAS kernel set the checkpointed run computed with (nil for checkpoints that predate the record).
    @discardableResult
    public static func restore(_ data: Data, into training: FederatedTraining, path: String) throws -> String? {
        func fail(_ reason: String) -> FederationError { .invalidConfiguration("\(path): \(reason)") }
        let (bytes, json, blobOffset) = try unframe(data, magic: magic, fail: fail)
        let metadata: Metadata
        do { metadata = try jsonDecoder().decode(Metadata.self, from: json) } catch {
            throw fail("unreadable metadata: \(error)")
        }
        guard metadata.configuration == training.configuration else {
            throw FederationError.checkpointConfigurationMismatch(
                path: path, differences: ConfigurationDifference.fields(metadata.configuration, training.configuration))
        }
        var offset = blobOffset
        try restoreAgents(training.agents, states: metadata.agents, bytes: bytes, offset: &offset, fail: fail)
        guard offset == bytes.count - 8 else { throw fail("unexpected trailing data") }
        training.returns = metadata.returns
        training.distillationRecords = zip(metadata.distillationEpisodes, metadata.distillationSteps).map { ($0, $1) }
        training.exclusions = metadata.exclusions
        training.dpaGenerator = RandomGenerator(state: metadata.serverSamplingState)
        training.dpaSeedStream = RandomGenerator(state: metadata.serverSeedState)
        if training.dpaEnvironment != nil {
            training.replayServerEpisode(
                seed: metadata.serverEpisodeSeed,
                actions: metadata.serverActions.map { action in
                    switch action {
                    case .discrete(let value): return .discrete(value)
                    case .continuous(let values): return .continuous(values)
                    }
                })
        }
        return metadata.blasCore
    }

    /// Restores `encodeAgents`' output into freshly built `agents` (the same count and architectures), reading the
    /// blob from `bytes` at `offset` (advanced past it); throws `fail(reason)` on a mismatch or truncated data.
    package static func restoreAgents(
        _ agents: [any LocalLearningAgent], states: [AgentState], bytes: [UInt8], offset: inout Int,
        fail: (String) -> FederationError
    ) throws {
        guard states.count == agents.count else { throw fail("agent count differs") }
        func readTensor(shape: [Int]) throws -> Tensor {
            let count = shape.reduce(1, *)
            guard offset + count * 4 <= bytes.count - 8 else { throw fail("truncated parameter data") }
            var values = [Float](repeating: 0, count: count)
            for index in 0..<count {
                values[index] = Float(bitPattern: LittleEndian.readUInt32(bytes, at: offset + 4 * index))
            }
            offset += count * 4
            return Tensor(shape: shape, scalars: values)
        }
        for (anyAgent, state) in zip(agents, states) {
            guard let agent = anyAgent as? LearnerAgent else { throw fail("checkpoints support LearnerAgent only") }
            let learner = agent.learner
            let optimizer = learner.optimizer
            func restore(_ optimizer: Adam, shapes: [[Int]], stepCounts: [Int]) throws {
                guard shapes == optimizer.parameters.map(\.value.shape) else { throw fail("parameter shapes differ") }
                var first: [Tensor] = []
                var second: [Tensor] = []
                for (index, shape) in shapes.enumerated() {
                    optimizer.parameters[index].assign(try readTensor(shape: shape))
                    first.append(try readTensor(shape: shape))
                    second.append(try readTensor(shape: shape))
                }
                optimizer.restoreState(firstMoments: first, secondMoments: second, stepCounts: stepCounts)
            }
            try restore(optimizer, shapes: state.shapes, stepCounts: state.stepCounts)
            switch (learner.valueOptimizer, state.valueShapes, state.valueStepCounts, state.valueLearningRate) {
            case (nil, nil, nil, nil): break
            case (let valueOptimizer?, let shapes?, let stepCounts?, let learningRate?):
                try restore(valueOptimizer, shapes: shapes, stepCounts: stepCounts)
                valueOptimizer.learningRate = learningRate
            default: throw fail("value network state does not match the agent's learner")
            }
            do { try learner.restorePendingRollout(state.pendingRollout) } catch { throw fail("\(error)") }
            if let epoch = state.schedulerEpoch { learner.restoreScheduler(epoch: epoch) }
            optimizer.learningRate = state.learningRate
            learner.restoreProgress(
                generator: RandomGenerator(state: state.samplingState), episodesPlayed: state.episodesPlayed)
            if let environmentState = state.environmentState {
                guard var environment = learner.environment as? any RandomStateEnvironment else {
                    throw fail("environment state cannot be restored")
                }
                environment.randomState = RandomGenerator(state: environmentState)
                learner.environment = environment
            }
        }
    }
}

/// Names the fields in which two configurations differ.
public enum ConfigurationDifference {
    /// Human-readable descriptions of every field that differs between `left` and `right` (empty when equal).
    public static func fields(_ left: FederationConfiguration, _ right: FederationConfiguration) -> [String] {
        var differing: [String] = []
        if left.environment != right.environment {
            differing.append("environment (\(left.environment) vs \(right.environment))")
        }
        if left.method != right.method {
            differing.append("method (\(left.method.rawValue) vs \(right.method.rawValue))")
        }
        if left.interval != right.interval { differing.append("interval (\(left.interval) vs \(right.interval))") }
        if left.episodes != right.episodes { differing.append("episodes (\(left.episodes) vs \(right.episodes))") }
        if left.seed != right.seed { differing.append("seed (\(left.seed) vs \(right.seed))") }
        if left.loops != right.loops { differing.append("loops (\(left.loops) vs \(right.loops))") }
        if left.partSize != right.partSize { differing.append("partSize (\(left.partSize) vs \(right.partSize))") }
        if left.agents != right.agents { differing.append("agents") }
        if left.publicStates?.checksum != right.publicStates?.checksum { differing.append("publicStates") }
        if left.aggregation != right.aggregation { differing.append("aggregation") }
        if left.initialPolicies != right.initialPolicies { differing.append("initialPolicies") }
        if left.participation != right.participation { differing.append("participation") }
        if left.dropoutProbability != right.dropoutProbability { differing.append("dropoutProbability") }
        if left.adversarialAgents != right.adversarialAgents { differing.append("adversarialAgents") }
        if left.onDivergence != right.onDivergence { differing.append("onDivergence") }
        return differing
    }
}
