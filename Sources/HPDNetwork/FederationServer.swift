#if Network
import Dispatch
import Foundation
import Logging
import GRPCCore
import GRPCNIOTransportHTTP2
import HPDFederation
import HPDWireFormat

/// The gRPC service: a thin layer over the coordinator.
struct FederationService: Fedhpd_Network_V1_Federation.SimpleServiceProtocol {
    let coordinator: FederationCoordinator

    func register(
        request: Fedhpd_Network_V1_RegisterRequest, context: ServerContext
    ) async throws -> Fedhpd_Network_V1_RegisterResponse {
        try await coordinator.register(request, peer: context.remotePeer)
    }

    func waitForStart(
        request: Fedhpd_Network_V1_WaitForStartRequest, context: ServerContext
    ) async throws -> Fedhpd_Network_V1_WaitForStartResponse {
        // Holds the call for up to 5 s so that clients learn about the start promptly without a busy poll.
        var response = Fedhpd_Network_V1_WaitForStartResponse()
        let limit = now() + 5
        while true {
            let status = try await coordinator.waitForStartStatus(request.sessionID)
            if status.started || now() >= limit {
                response.started = status.started
                response.missingAgents = status.missing.map(UInt32.init)
                return response
            }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
    }

    func getPublicStates(
        request: Fedhpd_Network_V1_PublicStatesRequest, context: ServerContext
    ) async throws -> Fedhpd_Network_V1_PublicStatesResponse {
        try await coordinator.publicStates(request.sessionID)
    }

    func report(
        request: Fedhpd_Network_V1_ReportRequest, context: ServerContext
    ) async throws -> Fedhpd_Network_V1_ReportResponse {
        try await coordinator.report(request)
        return Fedhpd_Network_V1_ReportResponse()
    }

    func submit(
        request: Fedhpd_Network_V1_SubmitRequest, context: ServerContext
    ) async throws -> Fedhpd_Network_V1_SubmitResponse {
        // Measured here so that an oversized upload is refused with the reason (and recorded), not dropped silently.
        let size = (try? request.serializedBytes() as [UInt8])?.count ?? 0
        let result = try await coordinator.submit(request, size: size)
        var response = Fedhpd_Network_V1_SubmitResponse()
        switch result {
        case .included(let consensus, let contributors):
            response.outcome = .included
            response.consensus = WireFormat.distribution(consensus)
            response.contributors = UInt32(contributors)
        case .late(let note):
            response.outcome = .late
            response.note = note
        case .noQuorum(let note):
            response.outcome = .noQuorum
            response.note = note
        }
        return response
    }

    func finish(
        request: Fedhpd_Network_V1_FinishRequest, context: ServerContext
    ) async throws -> Fedhpd_Network_V1_FinishResponse {
        switch await coordinator.finish(request.sessionID) {
        case .success(let outcome):
            var response = Fedhpd_Network_V1_FinishResponse()
            response.runFolder = outcome.folder.path
            response.exclusions = outcome.exclusions
            return response
        case .failure(let error):
            throw RPCError(code: .aborted, message: error.description)
        }
    }

    func getRoundStates(
        request: Fedhpd_Network_V1_RoundStatesRequest, context: ServerContext
    ) async throws -> Fedhpd_Network_V1_RoundStatesResponse {
        var response = Fedhpd_Network_V1_RoundStatesResponse()
        response.states = WireFormat.matrix(try await coordinator.roundStates(request))
        return response
    }

    func heartbeat(
        request: Fedhpd_Network_V1_HeartbeatRequest, context: ServerContext
    ) async throws -> Fedhpd_Network_V1_HeartbeatResponse {
        try await coordinator.heartbeat(request.sessionID)
        return Fedhpd_Network_V1_HeartbeatResponse()
    }
}

/// Refuses every call that does not carry `authorization: Bearer <token>`.
struct TokenInterceptor: ServerInterceptor {
    let expected: [UInt8]
    let logger: Logger

    init(token: String, logger: Logger) {
        expected = Array("Bearer \(token)".utf8)
        self.logger = logger
    }

    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>, context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        let given =
            request.metadata[stringValues: "authorization"].first(where: { _ in true }).map { Array($0.utf8) } ?? []
        // Constant-time comparison (for equal lengths).
        var difference = given.count == expected.count ? 0 : 1
        for (index, byte) in expected.enumerated() {
            difference |= Int(byte ^ (index < given.count ? given[index] : 0))
        }
        guard difference == 0 else {
            logger.info(
                "refused a call to \(context.descriptor.method) from \(context.remotePeer): \(given.isEmpty ? "no token" : "wrong token")"
            )
            throw RPCError(
                code: .unauthenticated,
                message: "this federation needs a token (fedhpd join --token …); the one given is missing or wrong")
        }
        return try await next(request, context)
    }
}

/// `fedhpd serve`: listens, coordinates the run to its end and writes the run folder.
public enum NetworkServer {
    /// What the CLI prints at the end.
    public struct Report: Sendable {
        public var folder: URL
        public var exclusions: [String]
        public var events: Int
        public var wallSeconds: Double
        public var distillationSeconds: Double
    }

    /// Runs the server until the run is over; throws `NetworkError.runFailed` when it could not complete. Its events
    /// go to `logger` (and to the run folder's server.log).
    public static func run(_ configuration: NetworkServerConfiguration, logger: Logger) throws -> Report {
        try configuration.validate()
        return try blockingAsync { try await serve(configuration, logger: logger) }
    }

    static func serve(_ configuration: NetworkServerConfiguration, logger given: Logger) async throws -> Report {
        var configuration = configuration
        // A resumed server replays its journal and listens where the clients last reached it.
        let replayed = configuration.resume ? try ServerJournal.read(folder: configuration.folder) : []
        if let launch = replayed.last(where: { $0.launch != nil })?.launch { configuration.port = launch.port }
        let journal = try ServerJournal(folder: configuration.folder, resuming: configuration.resume)
        let coordinator = FederationCoordinator(configuration: configuration, logger: given, journal: journal)
        // Every server message, the transport's included, also goes to server.log.
        let logger = coordinator.logger
        if configuration.resume {
            if let launch = replayed.last(where: { $0.launch != nil })?.launch,
                launch.fingerprint != coordinator.fingerprint
            {
                throw NetworkError.configuration(
                    "--resume: the journal belongs to configuration \(launch.fingerprint), the saved launch gives "
                        + "\(coordinator.fingerprint)")
            }
            try await coordinator.replay(replayed)
        }
        let address: GRPCNIOTransportCore.SocketAddress
        let host = configuration.host == "localhost" ? "127.0.0.1" : configuration.host
        address =
            host.contains(":")
            ? .ipv6(host: host, port: configuration.port) : .ipv4(host: host, port: configuration.port)
        let security: HTTP2ServerTransport.Posix.TransportSecurity
        if let certificate = configuration.tlsCertificatePath, let key = configuration.tlsKeyPath {
            security = .tls(
                certificateChain: [.file(path: certificate, format: .pem)], privateKey: .file(path: key, format: .pem))
        } else {
            security = .plaintext
        }
        let transport = HTTP2ServerTransport.Posix(
            address: address, transportSecurity: security,
            config: .defaults { $0.rpc.maxRequestPayloadSize = configuration.transportLimit })
        let interceptors: [any ServerInterceptor] =
            configuration.token.map { [TokenInterceptor(token: $0, logger: logger)] } ?? []
        let server = GRPCServer(
            transport: transport, services: [FederationService(coordinator: coordinator)], interceptors: interceptors)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            let bound: GRPCNIOTransportCore.SocketAddress
            do { bound = try await transport.listeningAddress } catch {
                group.cancelAll()
                throw NetworkError.configuration("cannot listen on \(host):\(configuration.port): \(error)")
            }
            let port = bound.ipv4?.port ?? bound.ipv6?.port ?? configuration.port
            await coordinator.record(
                ServerJournal.Entry(launch: .init(port: port, fingerprint: coordinator.fingerprint)))
            logger.info(
                Logger.Message(
                    stringLiteral:
                        "listening on \(host):\(port)\(configuration.tlsCertificatePath != nil ? " (TLS)" : "")"
                        + "\(configuration.token != nil ? ", token required" : "") — \(configuration.environment.id), "
                        + "\(configuration.agentsExpected) agents expected, configuration \(coordinator.fingerprint), "
                        + "deadline \(seconds(configuration.deadline)), quorum \(configuration.quorum)"))
            if configuration.token == nil && !(host.hasPrefix("127.") || host == "::1") {
                logger.warning("listening beyond loopback without --token: anyone who reaches this port can join")
            }
            if let portFile = configuration.portFile {
                try? "\(port)\n".write(toFile: portFile, atomically: true, encoding: .utf8)
            }
            group.addTask {
                while true {
                    try await Task.sleep(nanoseconds: 250_000_000)
                    await coordinator.tick()
                    if await coordinator.outcome != nil { return }
                }
            }
            let outcome = await coordinator.waitForOutcome()
            // Release the clients: answer every pending Finish (done by the coordinator), then give live clients a
            // moment to collect theirs before the transport closes.
            let grace = now() + min(configuration.deadline, 5)
            while now() < grace, await !coordinator.everyLiveClientReleased {
                try await Task.sleep(nanoseconds: 50_000_000)
            }
            try await Task.sleep(nanoseconds: 200_000_000)
            server.beginGracefulShutdown()
            try await group.waitForAll()
            if let failure = outcome.failure { throw NetworkError.runFailed(failure) }
            return Report(
                folder: outcome.folder, exclusions: outcome.exclusions, events: outcome.events,
                wallSeconds: outcome.wallSeconds,
                distillationSeconds: outcome.distillationSeconds)
        }
    }
}

/// Runs async work from synchronous code (the CLI's commands are synchronous) and waits for it.
func blockingAsync<T>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = ResultBox<T>()
    let semaphore = DispatchSemaphore(value: 0)
    Task.detached {
        do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
        semaphore.signal()
    }
    semaphore.wait()
    return try box.result!.get()
}
#endif

#if Network
/// The result slot of `blockingAsync`.
///
/// `@unchecked Sendable`: `result` is written once by the detached task before it signals the semaphore, and read
/// by the waiting caller only after `semaphore.wait()` returns, which orders the write before the read.
final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, Error>?
}
#endif
