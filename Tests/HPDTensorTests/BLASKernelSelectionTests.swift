import Foundation
import HPDTensor
import Testing

/// The engine's choice of OpenBLAS kernel set: verified, the best the CPU supports, upgraded from a generic set,
/// pinned on request, and refusing what the CPU cannot run. Switching kernels while other tests compute would be
/// unsafe, so every test that switches runs in a child process (Swift Testing's exit tests).
@Suite struct BLASKernelSelectionTests {
    /// A plain triple loop in Double: the reference every switched kernel set must match.
    static func matchesReferenceProduct(m: Int, n: Int, k: Int) -> Bool {
        var generator = RandomGenerator(seed: 7)
        let a = Tensor.uniform([m, k], low: -1, high: 1, generator: &generator)
        let b = Tensor.uniform([k, n], low: -1, high: 1, generator: &generator)
        let product = Tensor.matmul(a, b)
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k { sum += Double(a[i, p]) * Double(b[p, j]) }
                if abs(Double(product[i, j]) - sum) > 1e-4 { return false }
            }
        }
        return true
    }

    @Test func theKernelSetInUsePassedTheSelfCheckAndIsAsGoodAsTheCPUAllows() {
        let status = LinearAlgebraLibrary.kernelStatus
        #expect(status.verified, "\(status.summary) \(status.notes)")
        #expect(
            status.selectionMilliseconds > 0 && status.selectionMilliseconds < 1000, "\(status.selectionMilliseconds)")
        #expect(status.core == LinearAlgebraLibrary.kernelStatus.core)
        if ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil
            && ProcessInfo.processInfo.environment[LinearAlgebraLibrary.kernelPinVariable] == nil
        {
            // Only a set that failed its self-check (said in the notes) may leave the CPU's best unused.
            #expect(!status.isBelowCapability || !status.notes.isEmpty, "\(status.summary)")
        }
        if let start = ProcessInfo.processInfo.environment["FEDHPD_BLAS_START_CORE"],
            ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil
        {
            // CI's second pass: the choice started from `start` and must have moved to the CPU's best set.
            #expect(status.openBLASCore.lowercased() == start.lowercased(), "\(status.summary)")
            #expect(status.core.lowercased() == status.bestCore.lowercased(), "\(status.summary)")
        }
        #expect(Self.matchesReferenceProduct(m: 37, n: 29, k: 301))
    }

    @Test func cpuFeaturesAgreeWithTheKernelsCPUFlags() throws {
        let text = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flagsLine = try #require(text.split(separator: "\n").first { $0.hasPrefix("flags") })
        let flags = Set(flagsLine.split(separator: ":")[1].split(separator: " ").map(String.init))
        let names = [
            "sse3": "pni", "sse4.2": "sse4_2", "avx": "avx", "fma": "fma", "avx2": "avx2",
            "avx512f": "avx512f", "avx512dq": "avx512dq", "avx512cd": "avx512cd", "avx512bw": "avx512bw",
            "avx512vl": "avx512vl", "avx512bf16": "avx512_bf16",
        ]
        let features = LinearAlgebraLibrary.cpu.features
        for (ours, kernels) in names {
            #expect(features.contains(ours) == flags.contains(kernels), "\(ours) vs /proc/cpuinfo \(kernels)")
        }
        #expect(!LinearAlgebraLibrary.cpu.model.isEmpty)
    }

    @Test func theBestSetFollowsTheCPUFeatures() {
        let avx512 = CPUDescription(
            vendor: "GenuineIntel", model: "test", family: 6, modelNumber: 207,
            features: [
                "sse3", "sse4.2", "avx", "fma", "avx2", "avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl",
            ])
        let avx2 = CPUDescription(
            vendor: "AuthenticAMD", model: "test", family: 25, modelNumber: 1,
            features: ["sse3", "sse4.2", "avx", "fma", "avx2"])
        let old = CPUDescription(vendor: "GenuineIntel", model: "test", family: 6, modelNumber: 15, features: ["sse3"])
        #expect(BLASKernelSet.best(for: avx512).name == "SkylakeX")
        #expect(BLASKernelSet.best(for: avx2).name == "Haswell")
        #expect(BLASKernelSet.best(for: old).name == "Prescott")
        #expect(BLASKernelSet.capability(ofOpenBLASCore: "Zen") == BLASKernelSet.capability(ofOpenBLASCore: "haswell"))
        #expect(
            BLASKernelSet.capability(ofOpenBLASCore: "Prescott") < BLASKernelSet.capability(ofOpenBLASCore: "SkylakeX"))
    }

    @Test func startingFromGenericKernelsTheEngineUpgradesToTheBestVerifiedSet() async {
        await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
            let status = try? LinearAlgebraLibrary.reselectKernels(startingFrom: "Prescott")
            func fail(_ message: String) -> Never {
                FileHandle.standardError.write(Data((message + "\n").utf8))
                exit(1)
            }
            guard let status else { fail("no status: this OpenBLAS cannot switch kernel sets") }
            guard status.openBLASCore == "Prescott", status.verified else { fail("\(status)") }
            let best = BLASKernelSet.best(for: LinearAlgebraLibrary.cpu)
            guard status.notes.isEmpty else { fail("fell back: \(status.notes)") }
            guard status.core.lowercased() == best.name.lowercased() else { fail("chose \(status.core), best \(best)") }
            guard best.name == "Prescott" || status.origin == .upgraded else { fail("origin \(status.origin)") }
            guard Self.matchesReferenceProduct(m: 65, n: 33, k: 257) else { fail("wrong product after the upgrade") }
        }
    }

    @Test func aPinnedSetIsUsedAndUnknownOrUnsupportedNamesAreRefused() async {
        await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
            func fail(_ message: String) -> Never {
                FileHandle.standardError.write(Data((message + "\n").utf8))
                exit(1)
            }
            do {
                try LinearAlgebraLibrary.useKernels("Pentium4000")
                fail("an unknown name was accepted")
            } catch let error {
                guard case BLASKernelError.unknownKernelSet = error, "\(error)".contains("Haswell") else {
                    fail("\(error)")
                }
            }
            let cpu = LinearAlgebraLibrary.cpu
            for set in BLASKernelSet.ladder where !cpu.supports(set.requiredFeatures) {
                do {
                    try LinearAlgebraLibrary.useKernels(set.name)
                    fail("\(set.name) was accepted on a CPU without \(set.requiredFeatures)")
                } catch let error {
                    guard case BLASKernelError.unsupportedByCPU = error else { fail("\(error)") }
                }
            }
            guard let status = try? LinearAlgebraLibrary.useKernels("prescott"), status.core == "Prescott",
                status.origin == .pinned, status.verified, LinearAlgebraLibrary.kernelStatus.core == "Prescott"
            else { fail("pinning Prescott failed: \(LinearAlgebraLibrary.kernelStatus)") }
            guard Self.matchesReferenceProduct(m: 20, n: 21, k: 22) else { fail("wrong product after pinning") }
        }
    }

    @Test func kernelsTheCPUCannotRunFailTheSelfCheckInTheProbeChildNotHere() async {
        // Forking while another test's multi-threaded BLAS call is in flight is unsafe (OpenBLAS shuts its thread
        // pool down at fork), so this runs in a process of its own too.
        await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
            let cpu = LinearAlgebraLibrary.cpu
            var failures: [String] = []
            for set in BLASKernelSet.ladder {
                let outcome = LinearAlgebraLibrary.selfCheck(set.name)
                if cpu.supports(set.requiredFeatures) != outcome.passed {
                    failures.append("\(set.name) (needs \(set.requiredFeatures)): \(outcome.explanation)")
                }
            }
            // This process is still alive and computing correctly.
            if !Self.matchesReferenceProduct(m: 8, n: 9, k: 10) { failures.append("wrong product afterwards") }
            if !failures.isEmpty {
                FileHandle.standardError.write(Data(failures.joined(separator: "\n").utf8))
                exit(1)
            }
        }
    }
}
