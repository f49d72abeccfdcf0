#if Network
import Foundation
import HPDFederation
import HPDRL

/// Everything `fedhpd join` needs.
public struct NetworkClientConfiguration: Sendable {
    /// `host:port` of the server.
    public var host: String
    public var port: Int
    public var environment: EnvironmentSpecification
    /// The hosted agents: 0-based index in the run's roster and specification.
    public var agents: [(index: Int, specification: AgentSpecification)]
    /// The run seed: agent k's streams derive from (seed, k), wherever it is hosted.
    public var runSeed: UInt64
    /// A name for the server's logs.
    public var name: String
    /// Worker threads for the hosted agents (results do not depend on it).
    public var threads = 2
    public var token: String?
    /// Use TLS; `tlsTrustRoots` is a PEM file of CA certificates (the system's roots otherwise).
    public var tls = false
    public var tlsTrustRoots: String?
    /// How long the first connection is retried (a client may start before the server).
    public var connectTimeout = 60.0
    /// How long a lost server is retried before the client gives up.
    public var retryTimeout = 60.0
    /// The largest message the client accepts (bytes).
    public var maxMessageBytes = 64 * 1024 * 1024
    /// Testing hook: deliberate misbehaviour for tests of the server's defences (`join --inject-fault`); nil in
    /// every real run.
    public var faultInjectionForTesting: FaultInjection?
    /// Hosted agents (0-based roster indices) that upload `ActionDistribution.confidentlyWrong()` instead of their
    /// honest distributions — a remote adversary, for robustness experiments (`fedhpd join --adversarial`).
    public var adversarialAgents: Set<Int> = []
    /// Where the hosted agents' trained policies are kept: `<root>/<the server's run folder name>/policies/
    /// agent-<k>.safetensors` (nil: not kept). Weights never leave the client.
    public var policiesRoot: URL?
    /// Where the client keeps its own checkpoints (`<root>/client-checkpoints/agents-<k>-…/`; nil: none), written
    /// after every `checkpointEvery`-th episode and the last one.
    public var checkpointRoot: URL?
    /// Episodes between checkpoints (0: none).
    public var checkpointEvery = 1
    /// Continue from the newest checkpoint under `checkpointRoot` instead of registering: the agents' state is
    /// restored and the client re-attaches to the session the server gave it (`fedhpd join --resume`).
    public var resume = false
    /// If set, the `ServedTask.fingerprint` of the only run this client joins: a server running another configuration
    /// refuses it (`fedhpd join --run-fingerprint`; `fedhpd serve` logs its fingerprint).
    public var configurationFingerprint: String?

    public init(
        host: String, port: Int, environment: EnvironmentSpecification,
        agents: [(index: Int, specification: AgentSpecification)],
        runSeed: UInt64, name: String
    ) {
        self.host = host
        self.port = port
        self.environment = environment
        self.agents = agents
        self.runSeed = runSeed
        self.name = name
    }
}
#endif
