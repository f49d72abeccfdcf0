internal import CBLASControl

/// The one file that calls the CBLASControl shim: CPU identity, OpenBLAS's kernel-set switch, and the self-check
/// (in process or in a forked child). Everything above works with Swift values.
enum BLASKernelControl {
    static func identifyCPU() -> CPUDescription {
        var info = fedhpd_cpu_info()
        fedhpd_cpu_identify(&info)
        let vendor = withUnsafeBytes(of: &info.vendor) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let brand = withUnsafeBytes(of: &info.brand) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let bits: [(Int, String)] = [
            (Int(FEDHPD_CPU_SSE3), "sse3"), (Int(FEDHPD_CPU_SSE42), "sse4.2"),
            (Int(FEDHPD_CPU_AVX), "avx"), (Int(FEDHPD_CPU_FMA), "fma"),
            (Int(FEDHPD_CPU_AVX2), "avx2"), (Int(FEDHPD_CPU_AVX512F), "avx512f"),
            (Int(FEDHPD_CPU_AVX512DQ), "avx512dq"), (Int(FEDHPD_CPU_AVX512CD), "avx512cd"),
            (Int(FEDHPD_CPU_AVX512BW), "avx512bw"), (Int(FEDHPD_CPU_AVX512VL), "avx512vl"),
            (Int(FEDHPD_CPU_AVX512BF16), "avx512bf16"),
        ]
        let features = bits.filter { Int(info.features) & $0.0 != 0 }.map(\.1)
        return CPUDescription(
            vendor: vendor, model: brand, family: Int(info.family), modelNumber: Int(info.model), features: features)
    }

    /// Whether OpenBLAS can switch kernel sets in this process (a DYNAMIC_ARCH build).
    static var canSwitch: Bool { fedhpd_blas_can_switch() == 1 }

    /// The kernel set OpenBLAS uses now.
    static var currentCore: String { String(cString: fedhpd_blas_core_name()) }

    /// Switches OpenBLAS to `core` in this process; true when that set is now in use. Callers make sure no thread is
    /// inside a BLAS call.
    static func use(_ core: String) -> Bool {
        fedhpd_blas_use_core(core) == 0
    }

    /// The self-check (every sgemm transpose pair and sgemv, odd and edge shapes, against double loops) run in this
    /// process on the current kernels.
    static func checkInProcess() -> BLASSelfCheckOutcome {
        var message = [CChar](repeating: 0, count: 512)
        let status = fedhpd_blas_self_check(&message, message.count)
        return status == 0 ? .passed : .wrongResults(Self.decodedText(message))
    }

    /// The self-check of `core` (nil: the current set) in a forked child, so that a kernel set that crashes or hangs
    /// cannot take this process down.
    static func probeInChild(_ core: String?, timeoutMilliseconds: Int = 5000) -> BLASSelfCheckOutcome {
        var message = [CChar](repeating: 0, count: 512)
        let status: Int32
        if let core {
            status = core.withCString {
                fedhpd_blas_probe_core($0, Int32(timeoutMilliseconds), &message, message.count)
            }
        } else {
            status = fedhpd_blas_probe_core(nil, Int32(timeoutMilliseconds), &message, message.count)
        }
        let text = Self.decodedText(message)
        switch Int(status) {
        case Int(FEDHPD_PROBE_PASSED): return .passed
        case Int(FEDHPD_PROBE_WRONG_RESULTS): return .wrongResults(text)
        case Int(FEDHPD_PROBE_TIMED_OUT): return .timedOut(text)
        case Int(FEDHPD_PROBE_CORE_REFUSED): return .refused(text)
        case Int(FEDHPD_PROBE_NOT_RUN): return .notRun(text)
        default: return .crashed(text)
        }
    }

    /// The UTF-8 text of a NUL-terminated C buffer (up to its first NUL).
    private static func decodedText(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
