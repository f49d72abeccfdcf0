#if Network
import Foundation
import Logging
import HPDFederation
import HPDNN
import HPDRL

/// `fedhpd join`: hosts some agents, trains them locally and takes part in every distillation event.
public enum NetworkClient {
    public struct Report: Sendable {
        /// The server's run folder.
        public var runFolder: String
        /// What the server recorded as excluded.
        public var exclusions: [String]
        /// Parts where one of this client's agents did not digest (rejected, late, no quorum).
        public var missedDigestions: Int
    }

    public static func run(_ configuration: NetworkClientConfiguration, logger: Logger) throws -> Report {
        guard !configuration.agents.isEmpty else { throw NetworkError.configuration("no agents to host") }
        // Build the agents first: agent k exactly as `fedhpd train` builds it.
        var agents: [ReinforceAgent] = []
        for (index, specification) in configuration.agents {
            agents.append(
                try FederatedTraining.makeAgent(
                    index: index, specification: specification, environment: configuration.environment,
                    runSeed: configuration.runSeed))
        }
        let connection = try Connection(configuration: configuration, logger: logger)
        defer { connection.close() }
        let report = try Session(configuration: configuration, connection: connection, agents: agents, logger: logger)
            .run()
        if let root = configuration.policiesRoot {
            let folder = RunFolder(
                url: root.appendingPathComponent(URL(fileURLWithPath: report.runFolder).lastPathComponent))
            for (agent, hosted) in zip(agents, configuration.agents) {
                try SavedPolicy(
                    policy: agent.learner.policy, environment: configuration.environment.id,
                    actionSpace: configuration.environment.actionSpace, runSeed: configuration.runSeed,
                    agentIndex: hosted.index + 1,
                    episodesTrained: agent.learner.episodesPlayed
                ).write(to: folder.policyURL(agent: hosted.index + 1))
            }
        }
        // The run is complete and the policies are kept: the client's checkpoints have served their purpose.
        if let root = configuration.checkpointRoot {
            let folder = ClientCheckpoint.folder(root: root, agentIndices: configuration.agents.map(\.index))
            try? FileManager.default.removeItem(at: folder.url)
        }
        return report
    }
}
#endif
