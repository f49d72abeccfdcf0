import Foundation
import HPDFederation
import HPDNN
import HPDTensor
import Testing

/// `--init-policies`: agents start from policy files.
@Suite struct WarmStartTests {
    func trainedFolder(episodes: Int = 3) throws -> (training: FederatedTraining, folder: RunFolder) {
        let folder = RunFolder(
            url: FileManager.default.temporaryDirectory.appendingPathComponent("fedhpd-warm-\(UUID())"))
        let training = try FederatedTraining(
            configuration: FederationTests.configuration(method: .nofed, episodes: episodes), environment: .cartPole,
            publicStates: nil, threads: 2)
        training.run()
        try folder.writePolicies(of: training)
        return (training, folder)
    }

    func parameters(_ training: FederatedTraining) -> [[Tensor]] {
        training.agents.map { ($0 as! ReinforceAgent).learner.policy.parameters.map(\.value) }
    }

    func warmStarted(from folder: RunFolder) throws -> FederatedTraining {
        var configuration = FederationTests.configuration(method: .nofed, episodes: 5)
        configuration.seed = 21
        configuration.initialPolicies = try InitialPoliciesRecord(
            folder: folder.policiesURL, agentCount: configuration.agents.count)
        let training = try FederatedTraining(
            configuration: configuration, environment: .cartPole, publicStates: nil, threads: 1)
        try training.loadInitialPolicies(configuration.initialPolicies!)
        return training
    }

    @Test func everyAgentStartsFromItsFilesWeights() throws {
        let (trained, folder) = try trainedFolder()
        defer { try? FileManager.default.removeItem(at: folder.url) }
        let fresh = try FederatedTraining(
            configuration: FederationTests.configuration(method: .nofed, episodes: 5), environment: .cartPole,
            publicStates: nil, threads: 1)
        #expect(parameters(fresh) != parameters(trained))
        #expect(parameters(try warmStarted(from: folder)) == parameters(trained))
    }

    @Test func aFileOfAnotherArchitectureIsRefusedNamingAgentTensorAndShapes() throws {
        let (_, folder) = try trainedFolder(episodes: 1)
        defer { try? FileManager.default.removeItem(at: folder.url) }
        // The paper's agent 4 is [8,8,8] relu and agent 3 [16,16,32] tanh: give agent 3 agent 4's file.
        try FileManager.default.removeItem(at: folder.policyURL(agent: 3))
        try FileManager.default.copyItem(at: folder.policyURL(agent: 4), to: folder.policyURL(agent: 3))
        #expect {
            _ = try warmStarted(from: folder)
        } throws: { error in
            let message = "\(error)"
            return message.contains("agent 3: ") && message.contains("agent-3.safetensors")
                && message.contains("tensor body.0.weight has shape [8, 4], expected [16, 4]")
        }
    }

    @Test func aFileChangedAfterTheRunStartedIsRefused() throws {
        let (_, folder) = try trainedFolder(episodes: 1)
        defer { try? FileManager.default.removeItem(at: folder.url) }
        var configuration = FederationTests.configuration(method: .nofed, episodes: 5)
        configuration.initialPolicies = try InitialPoliciesRecord(folder: folder.policiesURL, agentCount: 10)
        try FileManager.default.removeItem(at: folder.policyURL(agent: 2))
        // Any other bytes will do.
        try FileManager.default.copyItem(at: folder.policyURL(agent: 6), to: folder.policyURL(agent: 2))
        let training = try FederatedTraining(
            configuration: configuration, environment: .cartPole, publicStates: nil, threads: 1)
        #expect {
            try training.loadInitialPolicies(configuration.initialPolicies!)
        } throws: { "\($0)".contains("agent 2: ") && "\($0)".contains("has changed since the run started") }
    }
}
