import HPDTensor

/// What a run's numbers were computed on, recorded in `timings.json` (and the kernel set in every checkpoint):
/// results are bit-identical for a given BLAS kernel set only, and speed depends on the CPU and the kernels.
public struct MachineRecord: Sendable, Codable, Equatable {
    /// The OpenBLAS kernel set in use (e.g. "Haswell") and why (`BLASKernelStatus.Origin`).
    public var blasCore: String
    public var blasCoreOrigin: String
    /// The best kernel set this CPU supports.
    public var bestBLASCore: String
    /// The CPU's brand string and SIMD features.
    public var cpuModel: String
    public var cpuFeatures: [String]
    /// sgemm 1024³ on one core with the kernels in use, GFLOP/s (best of 3).
    public var sgemmGigaflopsOneThread: Double
    /// The small-layer kernels in use (`SmallLayerKernels.summary`, e.g. "automatic (avx2)"); nil in records written
    /// before they existed. Results are bit-identical only for the same BLAS kernel set and this.
    public var smallLayerKernels: String?

    /// This process's machine, measured once (≈ 0.1 s for the sgemm timing).
    public static let current: MachineRecord = {
        let status = LinearAlgebraLibrary.kernelStatus
        let cpu = LinearAlgebraLibrary.cpu
        return MachineRecord(
            blasCore: status.core, blasCoreOrigin: status.origin.rawValue, bestBLASCore: status.bestCore,
            cpuModel: cpu.model, cpuFeatures: cpu.features,
            sgemmGigaflopsOneThread: (MatrixProductRate.sgemmGigaflops(size: 1024, threads: 1, repetitions: 3) * 10)
                .rounded() / 10,
            smallLayerKernels: SmallLayerKernels.summary)
    }()
}
