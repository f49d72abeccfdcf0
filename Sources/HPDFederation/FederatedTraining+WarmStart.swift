import Foundation
import HPDNN

/// Where a warm-started run's initial policies came from (recorded in config.json, so a resumed run starts from
/// the same weights and a changed folder is noticed).
public struct InitialPoliciesRecord: Codable, Equatable, Sendable {
    /// The folder holding `agent-<k>.safetensors`.
    public var path: String
    /// FNV-1a checksums of agent 1's, 2's, … file, hexadecimal.
    public var checksums: [String]

    /// Records `folder`'s files for agents 1…`agentCount`; a missing file is an error naming it.
    public init(folder: URL, agentCount: Int) throws {
        path = folder.standardizedFileURL.path
        checksums = try (1...agentCount).map { agent in
            let file = Self.file(in: folder, agent: agent)
            do { return String(format: "%016llx", Checksum.fnv1a(try Data(contentsOf: file))) } catch {
                throw FederationError.invalidConfiguration(
                    "agent \(agent): \(file.path) cannot be read (\(FileSystemError(reading: file, error).reason))")
            }
        }
    }

    /// `folder/agent-<agent>.safetensors`.
    public static func file(in folder: URL, agent: Int) -> URL {
        folder.appendingPathComponent("agent-\(agent).safetensors")
    }
}

extension FederatedTraining {
    /// Warm start: every agent k's parameters are replaced by `record.path/agent-<k>.safetensors` (its optimiser
    /// state stays fresh). A file whose checksum changed, or whose family, activations, tensor names or shapes differ
    /// from the agent's, is refused naming the agent, the file, the tensor and both shapes.
    public func loadInitialPolicies(_ record: InitialPoliciesRecord) throws {
        let folder = URL(fileURLWithPath: record.path)
        let current = try InitialPoliciesRecord(folder: folder, agentCount: agents.count)
        for (index, anyAgent) in agents.enumerated() {
            let file = InitialPoliciesRecord.file(in: folder, agent: index + 1)
            guard index < record.checksums.count, current.checksums[index] == record.checksums[index] else {
                throw FederationError.invalidConfiguration(
                    "agent \(index + 1): \(file.path) has changed since the run started")
            }
            guard let agent = anyAgent as? ReinforceAgent else {
                throw FederationError.invalidConfiguration(
                    "warm starts support ReinforceAgent only; agent \(index + 1) is \(type(of: anyAgent))")
            }
            do {
                try PolicyFile.assign(PolicyFile.read(file), to: agent.learner.policy, path: file.path)
            } catch {
                throw FederationError.invalidConfiguration("agent \(index + 1): \(error)")
            }
        }
    }
}
