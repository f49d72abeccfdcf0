#if Network
import Foundation
import Logging
import GRPCCore
import GRPCNIOTransportHTTP2
import HPDFederation
import HPDWireFormat

/// One gRPC client with deadlines, the token, and retries with backoff while the server is unreachable.
///
/// `@unchecked Sendable`: every stored property is a `let` of a Sendable value or of a thread-safe object (the gRPC
/// client, the log), so sharing it between tasks is safe.
final class Connection: @unchecked Sendable {
    let client: GRPCClient<HTTP2ClientTransport.Posix>
    let federation: Fedhpd_Network_V1_Federation.Client<HTTP2ClientTransport.Posix>
    let metadata: Metadata
    let address: String
    let logger: Logger
    let configuration: NetworkClientConfiguration
    private let runner: Task<Void, Never>

    init(configuration: NetworkClientConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        address = "\(configuration.host):\(configuration.port)"
        let security: HTTP2ClientTransport.Posix.TransportSecurity
        if configuration.tls || configuration.tlsTrustRoots != nil {
            security = .tls { tls in
                if let roots = configuration.tlsTrustRoots {
                    tls.trustRoots = .certificates([.file(path: roots, format: .pem)])
                }
            }
        } else {
            security = .plaintext
        }
        let host = configuration.host == "localhost" ? "127.0.0.1" : configuration.host
        let isIPv4 = host.split(separator: ".").count == 4 && host.allSatisfy { $0.isNumber || $0 == "." }
        let transport: HTTP2ClientTransport.Posix
        let config = HTTP2ClientTransport.Posix.Config.defaults { config in
            // Reconnect quickly: the client's own retry loop bounds how long it keeps trying.
            config.backoff = .init(initial: .milliseconds(200), max: .seconds(2), multiplier: 1.6, jitter: 0.2)
        }
        if isIPv4 {
            transport = try HTTP2ClientTransport.Posix(
                target: .ipv4(address: host, port: configuration.port), transportSecurity: security, config: config)
        } else if host.contains(":") {
            transport = try HTTP2ClientTransport.Posix(
                target: .ipv6(address: host, port: configuration.port), transportSecurity: security, config: config)
        } else {
            transport = try HTTP2ClientTransport.Posix(
                target: .dns(host: host, port: configuration.port), transportSecurity: security, config: config)
        }
        client = GRPCClient(transport: transport)
        federation = Fedhpd_Network_V1_Federation.Client(wrapping: client)
        metadata = configuration.token.map { ["authorization": "Bearer \($0)"] } ?? [:]
        let client = self.client
        runner = Task.detached { try? await client.runConnections() }
    }

    func close() {
        client.beginGracefulShutdown()
    }

    func options(timeout: Double) -> CallOptions {
        var options = CallOptions.defaults
        options.timeout = .milliseconds(Int64(timeout * 1000))
        options.waitForReady = false
        options.maxResponseMessageBytes = configuration.maxMessageBytes
        return options
    }

    /// Runs `body` until it succeeds; an unreachable server is retried with backoff (0.2 s growing ×1.6 to 2 s) for up
    /// to `window` seconds (0: not retried), counted from the first failure (`firstContact`: from the first attempt).
    /// A deadline hit by a long wait (`timeout` ≥ 30 s: Finish, Submit) means the server is still waiting for slower
    /// clients: the call is made again, after logging `stillWaiting` (a default note when nil). The one retry loop
    /// of every call the client makes.
    @discardableResult
    func call<T: Sendable>(
        _ name: String, timeout: Double, window: Double, firstContact: Bool = false, stillWaiting: String? = nil,
        _ body:
            @escaping @Sendable (Fedhpd_Network_V1_Federation.Client<HTTP2ClientTransport.Posix>, Metadata, CallOptions)
            async throws -> T
    ) throws -> T {
        try blockingAsync {
            try await self.callAsync(
                name, timeout: timeout, window: window, firstContact: firstContact, stillWaiting: stillWaiting, body)
        }
    }

    /// `call`, from async code.
    @discardableResult
    func callAsync<T: Sendable>(
        _ name: String, timeout: Double, window: Double, firstContact: Bool = false, stillWaiting: String? = nil,
        _ body:
            @escaping @Sendable (Fedhpd_Network_V1_Federation.Client<HTTP2ClientTransport.Posix>, Metadata, CallOptions)
            async throws -> T
    ) async throws -> T {
        let options = options(timeout: timeout)
        var start = now()
        var delay = 0.2
        var attempts = 0
        while true {
            do {
                let result = try await body(federation, metadata, options)
                if attempts > 0 {
                    logger.info(
                        firstContact ? "connected to \(address)" : "\(name): the server at \(address) answers again")
                }
                return result
            } catch let error as RPCError where error.code == .deadlineExceeded && timeout >= 30 {
                let note =
                    stillWaiting.map {
                        "\($0): no answer within \(seconds(timeout)) — the server is still waiting for other agents; asking again"
                    }
                    ?? "\(name): no answer within \(seconds(timeout)) — the server is still waiting for other clients; asking again"
                logger.info("\(note)")
            } catch let error as RPCError where error.code == .unavailable || error.code == .deadlineExceeded {
                if attempts == 0 && !firstContact { start = now() }
                attempts += 1
                let waited = now() - start
                if waited + delay > window {
                    throw NetworkError.serverLost(
                        firstContact
                            ? "no server at \(address): \(attempts) attempts over \(seconds(waited.rounded())) failed (\(error.message)). Is `fedhpd serve` running there (with TLS: join --tls or --tls-ca)?"
                            : "lost the server at \(address): \(name) failed \(attempts) times over \(seconds(waited.rounded())) (\(error.message)); giving up"
                    )
                }
                if attempts == 1 {
                    logger.info(
                        firstContact
                            ? "no server at \(address) yet (\(error.message)); retrying for up to \(seconds(window))"
                            : "\(name): the server at \(address) does not answer (\(error.message)); retrying for up to \(seconds(window))"
                    )
                }
                try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
                delay = min(delay * 1.6, 2)
            } catch let error as RPCError where error.code == .unauthenticated {
                throw NetworkError.refused("the server at \(address) refused this client: \(error.message)")
            }
        }
    }
}
#endif
