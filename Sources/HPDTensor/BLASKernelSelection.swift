import Dispatch
import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The engine's choice of OpenBLAS kernel set, made once at the first BLAS call of the process.
///
/// Debian's OpenBLAS (a DYNAMIC_ARCH build) picks kernels from the CPU's family and model, and falls back to generic
/// SSE3 kernels (Prescott) on CPUs newer than itself — 4–5× slower sgemm on an AVX-512 Xeon. So, at first use:
/// 1. `OPENBLAS_CORETYPE` set in the environment → respected as it is (only verified and reported).
/// 2. `FEDHPD_BLAS_CORE` set → that set is pinned (if the CPU supports it and it passes the self-check).
/// 3. Otherwise: if OpenBLAS's choice is below the best set the CPU supports (AVX-512 F/DQ/CD/BW/VL → SkylakeX,
///    AVX2 + FMA → Haswell, AVX → Sandybridge), the best set is tried; candidates are tried best first and the
///    first that passes the self-check **in a forked child** is switched to in this process, so a kernel set that
///    computes wrong results, crashes (SIGILL, SIGSEGV) or hangs cannot take the process down.
///
/// The switch re-runs OpenBLAS's own dynamic initialisation (`gotoblas_dynamic_quit`, `OPENBLAS_CORETYPE` set for
/// the call, `gotoblas_dynamic_init`; see OpenBLAS's driver/others/dynamic.c). It is safe while no thread is inside a
/// BLAS call: the thread pool's workers call through the `gotoblas` table afresh on every job and cache nothing of
/// it, and the work buffers are sized at build time for every kernel set of a DYNAMIC_ARCH build. The first
/// choice happens under a once-guard before the engine's first BLAS call; later switches (`useKernels`) are the
/// caller's to serialise with BLAS work.
enum BLASKernelSelection {
    /// The environment variable that pins a kernel set for library users (the executables' `--blas-core`).
    static let pinVariable = "FEDHPD_BLAS_CORE"
    /// The environment variable that makes the choice start from another set, as if OpenBLAS had picked it at load
    /// (e.g. `Prescott`): exercises the upgrade path on any machine (CI runs the numerical tests this way).
    static let startVariable = "FEDHPD_BLAS_START_CORE"

    private static let status = Mutex<BLASKernelStatus?>(nil)

    /// Evaluated once, before the first BLAS call (every entry point of BLAS.swift and LAPACK.swift touches it).
    static let isReady: Bool = {
        let start = DispatchTime.now().uptimeNanoseconds
        var chosen = chooseAtStart()
        chosen.selectionMilliseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        record(chosen)
        return true
    }()

    /// Makes `chosen` the current status and logs each of its notes once, as a warning
    /// (`BLAS kernels: <note>`) through `LinearAlgebraLibrary.logger`.
    private static func record(_ chosen: BLASKernelStatus) {
        status.withLock { $0 = chosen }
        for note in chosen.notes { LinearAlgebraLibrary.logger.warning("BLAS kernels: \(note)") }
    }

    /// The current status (choosing first if nothing has touched BLAS yet).
    static var current: BLASKernelStatus {
        _ = isReady
        return status.withLock { $0! }
    }

    private static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let text = String(cString: value).trimmingCharacters(in: .whitespaces)
        return text.isEmpty ? nil : text
    }

    private static func chooseAtStart() -> BLASKernelStatus {
        if environment("OPENBLAS_CORETYPE") == nil, let start = environment(startVariable) {
            _ = BLASKernelControl.use(start)
        }
        let openBLASCore = BLASKernelControl.currentCore
        let best = BLASKernelSet.best(for: CPUDescription.current).name
        if let forced = environment("OPENBLAS_CORETYPE") {
            let outcome = verifyCurrent()
            var notes: [String] = []
            if !outcome.passed {
                notes.append(
                    "OPENBLAS_CORETYPE=\(forced) (kernel set \(openBLASCore)) failed the self-check: "
                        + "\(outcome.explanation); unset OPENBLAS_CORETYPE to let FedHPD choose a working set")
            }
            return BLASKernelStatus(
                core: openBLASCore, openBLASCore: openBLASCore, bestCore: best, origin: .environment,
                verified: outcome.passed, notes: notes)
        }
        var notes: [String] = []
        if let pin = environment(pinVariable) {
            do {
                return try pinned(pin, openBLASCore: openBLASCore)
            } catch {
                notes.append("\(pinVariable)=\(pin) not used: \(error); choosing automatically")
            }
        }
        var chosen = automatic(openBLASCore: openBLASCore)
        chosen.notes = notes + chosen.notes
        return chosen
    }

    /// Verifies the current set in a child (in process if this system cannot fork).
    private static func verifyCurrent() -> BLASSelfCheckOutcome {
        let outcome = BLASKernelControl.probeInChild(nil)
        if case .notRun = outcome { return BLASKernelControl.checkInProcess() }
        return outcome
    }

    /// Candidates best first, starting at OpenBLAS's choice when that is already as good as the CPU's best; the
    /// first that passes the self-check wins.
    static func automatic(openBLASCore: String) -> BLASKernelStatus {
        let cpu = CPUDescription.current
        let best = BLASKernelSet.best(for: cpu)
        let openBLASCapability = BLASKernelSet.capability(ofOpenBLASCore: openBLASCore)
        guard BLASKernelControl.canSwitch else {
            let outcome = BLASKernelControl.checkInProcess()
            var notes = ["this OpenBLAS cannot switch kernel sets (not a DYNAMIC_ARCH build)"]
            if !outcome.passed { notes.append("\(openBLASCore) failed the self-check: \(outcome.explanation)") }
            return BLASKernelStatus(
                core: openBLASCore, openBLASCore: openBLASCore, bestCore: best.name, origin: .openBLAS,
                verified: outcome.passed, notes: notes)
        }
        var candidates: [String] = openBLASCapability >= best.capability ? [openBLASCore] : []
        for set in BLASKernelSet.fallBacks(for: cpu, atMost: best.capability)
        where !candidates.contains(where: { $0.lowercased() == set.name.lowercased() }) {
            candidates.append(set.name)
        }
        var notes: [String] = []
        for candidate in candidates {
            let isCurrent = candidate == BLASKernelControl.currentCore
            let outcome = BLASKernelControl.probeInChild(isCurrent ? nil : candidate)
            if case .notRun(let reason) = outcome {
                // No child process here: keep OpenBLAS's choice, checked in process.
                let check = BLASKernelControl.checkInProcess()
                notes.append("kernel probe could not run (\(reason)); kept OpenBLAS's \(openBLASCore)")
                return BLASKernelStatus(
                    core: openBLASCore, openBLASCore: openBLASCore, bestCore: best.name, origin: .openBLAS,
                    verified: check.passed, notes: notes)
            }
            guard outcome.passed else {
                notes.append("kernel set \(candidate) failed its self-check: \(outcome.explanation); falling back")
                continue
            }
            if !isCurrent, !BLASKernelControl.use(candidate) {
                notes.append("OpenBLAS refused to switch to \(candidate); falling back")
                continue
            }
            let capability = BLASKernelSet.capability(ofOpenBLASCore: candidate)
            let origin: BLASKernelStatus.Origin =
                candidate == openBLASCore
                ? .openBLAS
                : notes.isEmpty && capability > openBLASCapability
                    ? .upgraded : .fellBack
            return BLASKernelStatus(
                core: candidate, openBLASCore: openBLASCore, bestCore: best.name, origin: origin, verified: true,
                notes: notes)
        }
        notes.append("no kernel set passed the self-check; results of this process are not trustworthy")
        return BLASKernelStatus(
            core: BLASKernelControl.currentCore, openBLASCore: openBLASCore, bestCore: best.name, origin: .fellBack,
            verified: false, notes: notes)
    }

    /// The ladder's set called `name`, if this CPU has every instruction it needs; otherwise the error naming what is
    /// unknown or missing.
    private static func supportedSet(_ name: String) throws(BLASKernelError) -> BLASKernelSet {
        let cpu = CPUDescription.current
        guard let set = BLASKernelSet.named(name) else {
            throw .unknownKernelSet(name, known: BLASKernelSet.ladder.map(\.name))
        }
        let missing = set.requiredFeatures.filter { !cpu.features.contains($0) }
        guard missing.isEmpty else {
            throw .unsupportedByCPU(
                set.name, missing: missing, cpu: cpu.summary, best: BLASKernelSet.best(for: cpu).name)
        }
        return set
    }

    /// Switches to `name` after checking that the CPU supports it and that it passes the self-check in a child.
    static func pinned(_ name: String, openBLASCore: String) throws(BLASKernelError) -> BLASKernelStatus {
        let cpu = CPUDescription.current
        let set = try supportedSet(name)
        guard BLASKernelControl.canSwitch else { throw .cannotSwitch }
        let isCurrent = set.name.lowercased() == BLASKernelControl.currentCore.lowercased()
        let outcome = BLASKernelControl.probeInChild(isCurrent ? nil : set.name)
        switch outcome {
        case .passed, .notRun: break
        default: throw .failedSelfCheck(set.name, outcome.explanation)
        }
        guard isCurrent || BLASKernelControl.use(set.name) else { throw .cannotSwitch }
        return BLASKernelStatus(
            core: set.name, openBLASCore: openBLASCore, bestCore: BLASKernelSet.best(for: cpu).name, origin: .pinned,
            verified: outcome.passed || BLASKernelControl.checkInProcess().passed, notes: [])
    }

    /// Pins `name` for the rest of the process (see `LinearAlgebraLibrary.useKernels`).
    static func pin(_ name: String) throws(BLASKernelError) -> BLASKernelStatus {
        let before = current
        if before.origin == .environment, before.core.lowercased() != name.lowercased() {
            throw .conflictsWithEnvironment(requested: name, environment: before.core)
        }
        let chosen = try pinned(name, openBLASCore: before.openBLASCore)
        record(chosen)
        return chosen
    }

    /// Runs `body` with the kernel set `name` (checked like a pin), then returns to the set in use before; the status
    /// does not change. For measuring another set side by side (`fedhpd info`, the benchmark).
    static func temporarily<Result>(_ name: String, _ body: () throws -> Result) throws -> Result {
        let before = current
        let set = try supportedSet(name)
        if set.name.lowercased() == before.core.lowercased() { return try body() }
        let outcome = BLASKernelControl.probeInChild(set.name)
        guard outcome.passed else { throw BLASKernelError.failedSelfCheck(set.name, outcome.explanation) }
        guard BLASKernelControl.use(set.name) else { throw BLASKernelError.cannotSwitch }
        defer { _ = BLASKernelControl.use(before.core) }
        return try body()
    }

    /// Switches to `start` as if OpenBLAS had chosen it, then runs the automatic choice again (testing the upgrade
    /// path on any machine).
    static func reselect(startingFrom start: String) throws(BLASKernelError) -> BLASKernelStatus {
        _ = isReady
        guard BLASKernelControl.canSwitch else { throw .cannotSwitch }
        guard BLASKernelControl.use(start) else {
            throw .unknownKernelSet(start, known: BLASKernelSet.ladder.map(\.name))
        }
        let chosen = automatic(openBLASCore: start)
        record(chosen)
        return chosen
    }
}

/// Why a requested kernel set cannot be used.
public enum BLASKernelError: Error, Equatable, CustomStringConvertible {
    case unknownKernelSet(String, known: [String])
    case unsupportedByCPU(String, missing: [String], cpu: String, best: String)
    case failedSelfCheck(String, String)
    case cannotSwitch
    case conflictsWithEnvironment(requested: String, environment: String)

    public var description: String {
        switch self {
        case .unknownKernelSet(let name, let known):
            return "unknown BLAS kernel set '\(name)'; choose one of \(known.joined(separator: ", "))"
        case .unsupportedByCPU(let name, let missing, let cpu, let best):
            return "this CPU cannot run the \(name) kernels (it lacks \(missing.joined(separator: ", "))): \(cpu); "
                + "the best set it supports is \(best)"
        case .failedSelfCheck(let name, let reason):
            return "the \(name) kernels failed the self-check: \(reason)"
        case .cannotSwitch:
            return "this OpenBLAS cannot switch kernel sets in process (not a DYNAMIC_ARCH build)"
        case .conflictsWithEnvironment(let requested, let environment):
            return "OPENBLAS_CORETYPE selects \(environment) in the environment; it conflicts with the requested "
                + "\(requested) (unset OPENBLAS_CORETYPE or request \(environment))"
        }
    }
}
