import Foundation
import HPDEnvironments
import HPDFederation
import HPDNN
import HPDTensor

/// One decoder of outside bytes, fed arbitrary input. A thrown error is the correct answer to bad input; a trap,
/// a sanitizer report or a broken invariant (checked with `precondition`) is a finding.
enum FuzzTarget: String, CaseIterable {
    /// `PublicStateSet.parse`: plain CSV and the reference implementation's quoted/list layout.
    case publicStates = "public-states"
    /// config.json: `FederationConfiguration` decoding and `validate()`.
    case configuration
    /// `--agents FILE.json`: `[AgentFileEntry]` decoding and conversion to specifications.
    case agents
    /// Checkpoint files, as read (checksum and all) and with the checksum repaired so the fuzzer reaches the
    /// metadata and tensor payload behind it.
    case checkpoint
    /// Policy files: the safetensors reader and the policy built from its content.
    case policy
    #if Network
    /// The network layer's messages: an uploaded distribution as the server accepts it, a registration, the
    /// public states and a consensus as a client decodes them (`WireFuzzing`).
    case wire
    #endif

    /// The target a fuzzing process runs (set once, before the driver starts).
    ///
    /// `nonisolated(unsafe)`: written once on the main thread before libFuzzer's driver starts, then only read by
    /// the driver's single fuzzing thread.
    nonisolated(unsafe) static var selected = FuzzTarget.publicStates

    /// Feeds `data` to the decoder.
    func run(_ data: Data) {
        switch self {
        case .publicStates: Self.publicStates(data)
        case .configuration: Self.configuration(data)
        case .agents: Self.agents(data)
        case .checkpoint: Self.checkpoint(data)
        case .policy: Self.policy(data)
        #if Network
        case .wire: WireFuzzing.run(data)
        #endif
        }
    }

    static func publicStates(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        for observationSize in [nil, 4] as [Int?] {
            guard let set = try? PublicStateSet.parse(text, file: "fuzz.csv", observationSize: observationSize) else {
                continue
            }
            precondition(
                set.count > 0 && set.states.scalars.allSatisfy(\.isFinite), "accepted an empty or non-finite set")
            if let observationSize { precondition(set.states.columns == observationSize, "accepted a wrong width") }
        }
    }

    static func configuration(_ data: Data) {
        guard let configuration = try? JSONDecoder().decode(FederationConfiguration.self, from: data),
            (try? configuration.validate()) != nil
        else { return }
        let encoded = try! JSONEncoder().encode(configuration)
        let decoded = try! JSONDecoder().decode(FederationConfiguration.self, from: encoded)
        precondition(decoded == configuration, "config.json does not survive a round trip")
        _ = configuration.runName
        _ = configuration.settingLabel
    }

    static func agents(_ data: Data) {
        guard let entries = try? JSONDecoder().decode([AgentFileEntry].self, from: data) else { return }
        for (index, entry) in entries.enumerated() {
            guard let specification = try? entry.specification(defaults: AgentPresets.discreteDefaults(), index: index)
            else {
                continue
            }
            precondition(
                specification.hiddenSizes.count == specification.activations.count, "layers and activations differ")
        }
    }

    /// A small NoFed CartPole run (two tiny agents) that checkpoints are restored into.
    ///
    /// `nonisolated(unsafe)`: `FederatedTraining` is not `Sendable`; this one is created lazily (a once-guarded
    /// global) and used only by libFuzzer's single fuzzing thread, one input at a time.
    nonisolated(unsafe) static let checkpointTraining: FederatedTraining = try! SeedCorpus.makeTraining()

    static func checkpoint(_ data: Data) {
        _ = try? Checkpoint.restore(data, into: checkpointTraining, path: "fuzz.checkpoint")
        guard data.count >= 24 else { return }
        var repaired = [UInt8](data)
        let checksum = Checksum.fnv1a(Data(repaired[0..<(repaired.count - 8)]))
        for byte in 0..<8 {
            repaired[repaired.count - 8 + byte] = UInt8(truncatingIfNeeded: checksum >> (8 * UInt64(byte)))
        }
        _ = try? Checkpoint.restore(Data(repaired), into: checkpointTraining, path: "fuzz.checkpoint")
    }

    static func policy(_ data: Data) {
        guard let content = try? SafeTensors.decode(data, path: "fuzz.safetensors") else { return }
        let reencoded = try? content.encoded()
        if let reencoded {
            let again = try? SafeTensors.decode(reencoded, path: "fuzz.safetensors")
            precondition(again != nil, "a decoded file does not decode after re-encoding")
        }
        guard let policy = try? PolicyFile.policy(from: content, path: "fuzz.safetensors") else { return }
        precondition(
            policy.parameters.allSatisfy { $0.value.scalars.allSatisfy(\.isFinite) }, "accepted non-finite weights")
    }
}
