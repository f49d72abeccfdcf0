#if Network
import Foundation
import Logging
import HPDFederation

#if canImport(Glibc)
import Glibc
import HPDWireFormat
#endif

/// A deliberate fault injected by `fedhpd join --inject-fault` (for tests of the server's defences).
public struct InjectedFault: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// A NaN probability.
        case nan
        /// A negative probability (rows still sum to 1).
        case negative
        /// Rows summing to 2.
        case unnormalised
        /// One state too few.
        case shape
        /// A shape that does not match the values.
        case mismatch
        /// A message larger than the server's limit.
        case oversize
        /// The upload arrives after the server's deadline.
        case straggle
        /// The client process kills itself (SIGKILL) right after reporting that episode.
        case crash
    }

    public var kind: Kind
    /// 0-based agent index (ignored by `crash`).
    public var agent: Int
    /// The event's episode (1-based): the fault hits loop 1, part 1 of that event (`crash`: after that episode).
    public var episode: Int

    /// Parses `KIND:AGENT@EPISODE` (agent 1-based) or `crash@EPISODE`.
    public init(parsing text: String) throws {
        let pieces = text.split(separator: "@", maxSplits: 1).map(String.init)
        guard pieces.count == 2, let episode = Int(pieces[1]), episode > 0 else {
            throw NetworkError.configuration("--inject-fault '\(text)': expected KIND:AGENT@EPISODE or crash@EPISODE")
        }
        let head = pieces[0].split(separator: ":").map(String.init)
        guard let kind = Kind(rawValue: head[0]) else {
            throw NetworkError.configuration(
                "--inject-fault '\(text)': unknown kind; use \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var agent = 0
        if kind != .crash {
            guard head.count == 2, let number = Int(head[1]), number > 0 else {
                throw NetworkError.configuration(
                    "--inject-fault '\(text)': give the agent, e.g. \(kind.rawValue):3@\(episode)")
            }
            agent = number - 1
        }
        self.kind = kind
        self.agent = agent
        self.episode = episode
    }
}

/// The client's testing hook: the faults `join --inject-fault` asks for, applied to uploads and after episodes.
/// Production runs carry none (`NetworkClientConfiguration.faultInjectionForTesting` is nil), and no other code
/// path knows the faults exist.
public struct FaultInjection: Sendable, Equatable {
    /// The faults, in the order given.
    public var faults: [InjectedFault]

    public init(faults: [InjectedFault]) {
        self.faults = faults
    }

    /// How one upload was tampered with.
    struct Tampering {
        /// Seconds to hold the upload back (a straggler).
        var delay = 0.0
        /// Whether the upload is deliberately broken (and so is not retried).
        var isDeliberate = false
    }

    /// Applies the upload faults aimed at `request` (agent, episode, loop 1, part 1) to it; `deadline` is the
    /// server's round deadline (a straggler waits past it).
    func tamper(_ request: inout Fedhpd_Network_V1_SubmitRequest, deadline: Double, logger: Logger) -> Tampering {
        var tampering = Tampering()
        let agent = Int(request.agentIndex)
        let episode = Int(request.episode)
        for fault in faults
        where fault.agent == agent && fault.episode == episode && request.loop == 1 && request.part == 1
            && fault.kind != .crash
        {
            logger.info(
                "injected fault: \(fault.kind.rawValue) for agent \(fault.agent + 1) at episode \(episode) loop 1 part 1"
            )
            if fault.kind == .straggle {
                tampering.delay = deadline + 1.5
            } else {
                Self.corrupt(&request.distribution, fault.kind)
            }
            tampering.isDeliberate = true
        }
        return tampering
    }

    /// Kills this process (SIGKILL) after `episode` when a `crash` fault names it; `flush` runs first, so the
    /// server has the episode's returns.
    func crashIfDue(afterEpisode episode: Int, logger: Logger, flush: () throws -> Void) rethrows {
        guard faults.contains(where: { $0.kind == .crash && $0.episode == episode }) else { return }
        try flush()
        logger.info("injected fault: killing this client (SIGKILL) after episode \(episode)")
        kill(getpid(), SIGKILL)
    }

    /// Damages an upload the way a buggy or hostile client might.
    static func corrupt(_ distribution: inout Fedhpd_Network_V1_ActionDistribution, _ kind: InjectedFault.Kind) {
        guard case .categorical(var categorical)? = distribution.distribution else { return }
        var matrix = categorical.probabilities
        let columns = Int(matrix.columns)
        switch kind {
        case .nan: matrix.values[0] = .nan
        case .negative:
            matrix.values[0] -= 0.75
            matrix.values[1] += 0.75
        case .unnormalised: matrix.values = matrix.values.map { $0 * 2 }
        case .shape:
            matrix.rows -= 1
            matrix.values.removeLast(columns)
        case .mismatch: matrix.rows += 1
        case .oversize: matrix.values += [Float](repeating: 0.5, count: 2_000_000)
        case .straggle, .crash: break
        }
        categorical.probabilities = matrix
        distribution.distribution = .categorical(categorical)
    }
}
#endif
