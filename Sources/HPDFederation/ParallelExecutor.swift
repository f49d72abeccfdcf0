import Dispatch
import Foundation
import HPDTensor
import Synchronization

/// Runs independent jobs (one per agent) on up to `threadCount` threads. Each job writes only its own result slot,
/// so results never depend on scheduling; with one thread everything runs inline on the caller.
public final class ParallelExecutor: Sendable {
    /// The maximum number of concurrent jobs.
    public let threadCount: Int

    /// An executor running at most `threadCount` jobs at once (values below 1 mean 1). It sets BLAS to one thread
    /// (process-wide): the jobs are the parallelism, and a product computed by one BLAS thread rounds the same
    /// whatever else runs — OpenBLAS's multi-threaded kernels may sum in another order, so a result that must be
    /// identical for any `threadCount` needs this.
    public init(threadCount: Int) {
        self.threadCount = max(1, threadCount)
        LinearAlgebraLibrary.threadCount = 1
    }

    /// The number of cores of this machine.
    public static var coreCount: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// `body(index)` for every index in 0..<count, results in index order.
    public func map<Result>(_ count: Int, _ body: (Int) -> Result) -> [Result] {
        if threadCount == 1 || count <= 1 { return (0..<count).map(body) }
        let slots = ResultSlots<Result>(count: count)
        let next = Mutex(0)
        withoutActuallyEscaping(body) { body in
            // `nonisolated(unsafe)`: `body` runs for distinct indices at once by this type's contract — each call
            // touches only its own job's state (one agent) and the shared read-only inputs, and `concurrentPerform`
            // returns only after every call has finished.
            nonisolated(unsafe) let body = body
            DispatchQueue.concurrentPerform(iterations: min(threadCount, count)) { _ in
                while true {
                    let index = next.withLock { value in
                        defer { value += 1 }
                        return value
                    }
                    if index >= count { return }
                    slots.store(body(index), at: index)
                }
            }
        }
        return slots.values()
    }
}

/// Result storage written from several threads, each to a distinct index.
///
/// `@unchecked Sendable`: the slots are a fixed buffer allocated once; `store` writes only slot `index` and each index
/// is handed to exactly one job (`map`'s locked counter), and `values` is called after `concurrentPerform` has
/// returned, so no slot is written twice or read while written.
private final class ResultSlots<Value>: @unchecked Sendable {
    private let storage: UnsafeMutableBufferPointer<Value?>

    init(count: Int) {
        storage = .allocate(capacity: count)
        storage.initialize(repeating: nil)
    }

    deinit {
        storage.deinitialize()
        storage.deallocate()
    }

    func store(_ value: Value, at index: Int) { storage[index] = value }

    func values() -> [Value] { storage.map { $0! } }
}

extension ParallelExecutor {
    /// The local phase of one system episode, for every trainer (in process and the gRPC client): every agent plays
    /// one episode and takes one local update, one job per agent; the reports come back in agent order.
    public func trainOneEpisode(_ agents: [any LocalLearningAgent]) -> [EpisodeReport] {
        map(agents.count) { agents[$0].trainOneEpisode() }
    }
}
