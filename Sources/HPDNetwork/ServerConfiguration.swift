#if Network
import Foundation
import HPDFederation

/// Everything `fedhpd serve` needs: the run (the same `FederationConfiguration` as `fedhpd train` writes), the public
/// state set, where to listen, and the fault-tolerance and security settings.
public struct NetworkServerConfiguration: Sendable {
    /// The run: environment, interval, episodes, seed, loops, part size, the roster of agents (for config.json and
    /// summary.json; the server never builds or sees the agents themselves) and the public state record.
    public var run: FederationConfiguration
    public var environment: EnvironmentSpecification
    public var publicStates: PublicStateSet
    /// Where the run folder goes.
    public var folder: RunFolder
    /// The address to listen on (an IPv4 or IPv6 literal; `localhost` means 127.0.0.1).
    public var host = "127.0.0.1"
    /// The port (0: any free port; see `portFile`).
    public var port = 50051
    /// A file to write the bound port to once listening (for scripts and tests).
    public var portFile: String?
    /// How long to wait for every expected agent to register before giving up.
    public var registrationTimeout = 600.0
    /// How long a sync point (a part of a distillation event, the end of the run) waits for stragglers once it is
    /// due; then it goes on with the agents that answered.
    public var deadline = 60.0
    /// A part is aggregated only if at least this many agents' distributions were accepted; otherwise nobody
    /// digests it (recorded).
    public var quorum = 1
    /// A client that has not called (heartbeats included) for this long is treated as lost.
    public var heartbeatTimeout = 15.0
    /// The largest request the server accepts (bytes). A larger upload is refused with the reason (recorded as the
    /// agent's exclusion from that part) as long as it stays within `transportLimit`.
    public var maxMessageBytes = 4 * 1024 * 1024
    /// What the transport reads at all: 4 × `maxMessageBytes`; beyond it the stream is reset unread (`RESOURCE_EXHAUSTED`).
    public var transportLimit: Int {
        maxMessageBytes.multipliedReportingOverflow(by: 4).overflow ? Int.max : maxMessageBytes * 4
    }
    /// If set, every call must carry `authorization: Bearer <token>`.
    public var token: String?
    /// PEM certificate chain and private key: serve over TLS.
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?
    /// Continue the run in `folder` from its journal (`fedhpd serve --resume`): sessions, returns, losses and closed
    /// rounds as the killed server acknowledged them, on the port it listened on.
    public var resume = false
    /// How the server aggregates (agent-index order).
    public var aggregation: AggregationStrategy = ArithmeticMean()
    /// Thresholds for summary.json ("episodes to threshold").
    public var thresholds: [Double] { environment.thresholds }

    public init(
        run: FederationConfiguration, environment: EnvironmentSpecification, publicStates: PublicStateSet,
        folder: RunFolder
    ) {
        self.run = run
        self.environment = environment
        self.publicStates = publicStates
        self.folder = folder
    }

    /// The number of agents the run waits for.
    public var agentsExpected: Int { run.agents.count }

    /// Checks the settings, naming the offending one.
    public func validate() throws {
        try run.validate()
        guard run.method != .dpa || (try? environment.makeEnvironment(0)) != nil else {
            throw NetworkError.configuration(
                "DPA-FedRL's server steps its own environment of the task, and this server cannot build \(environment.id)"
            )
        }
        guard publicStates.states.columns == environment.observationSize else {
            throw NetworkError.configuration(
                "public states have \(publicStates.states.columns) columns, \(environment.id) observations have \(environment.observationSize)"
            )
        }
        guard quorum >= 1 && quorum <= agentsExpected else {
            throw NetworkError.configuration("--quorum must be in 1...\(agentsExpected), got \(quorum)")
        }
        guard deadline > 0, registrationTimeout > 0, heartbeatTimeout > 0 else {
            throw NetworkError.configuration("deadlines and timeouts must be positive")
        }
        guard maxMessageBytes >= 64 * 1024 else {
            throw NetworkError.configuration("--max-message-bytes must be at least 65536")
        }
        guard (tlsCertificatePath == nil) == (tlsKeyPath == nil) else {
            throw NetworkError.configuration("TLS needs both --tls-cert and --tls-key")
        }
        guard (0...65_535).contains(port) else { throw NetworkError.configuration("--port must be in 0...65535") }
    }
}

/// Errors of the network layer, with messages a user can act on.
public enum NetworkError: Error, CustomStringConvertible {
    case configuration(String)
    /// The run could not complete (agents missing, every client lost…).
    case runFailed(String)
    /// The client lost (or never reached) the server.
    case serverLost(String)
    /// The server refused the client (token, registration…).
    case refused(String)

    public var description: String {
        switch self {
        case .configuration(let message), .runFailed(let message), .serverLost(let message), .refused(let message):
            return message
        }
    }
}
#endif
