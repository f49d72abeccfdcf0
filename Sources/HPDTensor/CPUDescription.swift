/// The processor the engine runs on, as `cpuid` reports it: who made it, its model, and the SIMD instruction sets
/// that both the CPU and the operating system support (AVX state is only counted when the OS saves it).
public struct CPUDescription: Sendable, Equatable, Codable {
    /// The vendor string, e.g. "GenuineIntel" or "AuthenticAMD" (empty on processors other than x86-64).
    public var vendor: String
    /// The brand string, e.g. "AMD EPYC 7B13" or "Intel(R) Xeon(R) Platinum 8488C".
    public var model: String
    /// The display family (AMD Zen 3/4: 25, Zen 5: 26; Intel Core/Xeon: 6).
    public var family: Int
    /// The display model within the family.
    public var modelNumber: Int
    /// SIMD features in increasing order of capability: "sse3", "sse4.2", "avx", "fma", "avx2", "avx512f",
    /// "avx512dq", "avx512cd", "avx512bw", "avx512vl", "avx512bf16".
    public var features: [String]

    public init(vendor: String, model: String, family: Int, modelNumber: Int, features: [String]) {
        self.vendor = vendor
        self.model = model
        self.family = family
        self.modelNumber = modelNumber
        self.features = features
    }

    /// Whether the CPU (and OS) support every feature in `required`.
    public func supports(_ required: [String]) -> Bool {
        required.allSatisfy(features.contains)
    }

    /// One line for logs: "AMD EPYC 7B13 (AuthenticAMD family 25 model 1; avx2 fma …)".
    public var summary: String {
        "\(model.isEmpty ? "unknown CPU" : model) (\(vendor) family \(family) model \(modelNumber); "
            + "\(features.isEmpty ? "no SIMD features detected" : features.joined(separator: " ")))"
    }

    /// This machine's processor.
    public static let current: CPUDescription = BLASKernelControl.identifyCPU()
}
