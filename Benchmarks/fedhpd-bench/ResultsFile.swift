import Foundation

/// The JSON written by `--json` (the same `meta` / `records` schema as `torch_kernels.py`, plus `end_to_end`).
struct ResultsFile: Codable {
    var meta: Meta
    var records: [KernelRecord]
    var endToEnd: [EndToEndRecord]?

    enum CodingKeys: String, CodingKey {
        case meta, records
        case endToEnd = "end_to_end"
    }

    /// The machine and library a run measured.
    struct Meta: Codable {
        var cpu: String?
        /// LinearAlgebraLibrary.description for Swift runs; torch files call this `library`.
        var blas: String?
        var library: String?
        /// BLAS threads of the kernel timings.
        var threads: Int?
        var date: String?
        /// The engine's git revision (`git describe --always --dirty`) when run inside its repository.
        var engineRevision: String?
        /// The 1-minute load average at the start (the machine is shared; timings are noisier when it is high).
        var loadAverage: Double?
        var budgetSecondsPerCase: Double?
        var quick: Bool?
        var filter: String?
        var allocationHookVerified: Bool?
        /// The OpenBLAS kernel set of the run and the best one this CPU supports.
        var blasCore: String?
        var bestCore: String?
        var cpuModel: String?
        var cpuFeatures: [String]?
        /// sgemm 1024³ GFLOP/s keyed by thread count ("1", "2"): with the run's kernels and with the best set, in the
        /// same run. The all-core rate is the higher of OpenBLAS's multi-threaded sgemm and the sum of concurrent
        /// single-threaded sgemms.
        var sgemmGflops: [String: Double]?
        var bestCoreSgemmGflops: [String: Double]?
        /// `--small-kernels` and the best variant of this CPU, e.g. "automatic (avx2)"; absent before the kernels.
        var smallKernels: String?
        var notes: String?

        enum CodingKeys: String, CodingKey {
            case cpu, blas, library, threads, date, quick, filter, notes
            case budgetSecondsPerCase = "budget_s_per_case"
            case allocationHookVerified = "allocation_hook_verified"
            case engineRevision = "engine_revision"
            case loadAverage = "load_average"
            case blasCore = "blas_core"
            case bestCore = "best_core"
            case cpuModel = "cpu_model"
            case cpuFeatures = "cpu_features"
            case sgemmGflops = "sgemm_gflops"
            case bestCoreSgemmGflops = "best_core_sgemm_gflops"
            case smallKernels = "small_kernels"
        }
    }

    /// Reads a results file (ours or torch_kernels.py's).
    static func load(from path: String) throws -> ResultsFile {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try JSONDecoder().decode(ResultsFile.self, from: data)
    }

    /// Writes the file (overwriting), creating its folder.
    func write(to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]
        try encoder.encode(self).write(to: url)
    }
}

/// One timed case: (set, architecture, batch, mode, threads) is the key `compare` joins on.
struct KernelRecord: Codable {
    var set: String
    /// PolicyArchitecture.summary, e.g. `[128] relu` or `[64,128] tanh,relu`.
    var architecture: String
    var batch: Int
    var mode: String
    var threads: Int
    var medianMicroseconds: Double
    var minimumMicroseconds: Double
    /// Matrix-product GFLOP/s at the median time.
    var gigaflops: Double?
    /// Median time of the same GEMMs alone ÷ median time of the mode.
    var rooflineFraction: Double?
    /// Heap allocations per call (nil in torch files).
    var allocations: Double?
    /// Multiply-adds of one forward pass for one state (Swift files only).
    var multiplyAddsPerState: Int?

    enum CodingKeys: String, CodingKey {
        case set, architecture, batch, mode, threads
        case medianMicroseconds = "median_us"
        case minimumMicroseconds = "min_us"
        case gigaflops = "gflops"
        case rooflineFraction = "roofline_fraction"
        case allocations
        case multiplyAddsPerState = "multiply_adds_per_state"
    }

    /// The join key of `compare`.
    var key: String { "\(set)|\(architecture)|\(batch)|\(mode)|\(threads)" }
}

/// One end-to-end FedHPD run (keys as in `torch_fedhpd_loop.py`'s JSON, plus set, threads and allocations).
struct EndToEndRecord: Codable {
    var set: String?
    var method: String?
    /// Worker threads running the agents (BLAS runs single-threaded inside each).
    var threads: Int?
    var publicStates: String?
    var episodes: Int
    var distillationEvents: Int?
    var environmentSteps: Int?
    var totalSeconds: Double
    var episodesPerSecond: Double
    var environmentStepsPerSecond: Double?
    /// Rollout and update time summed over agents (exceeds the wall time with several threads).
    var rolloutSeconds: Double?
    var updateSeconds: Double?
    /// Wall time of the local phase (rollouts + updates of all agents).
    var localSeconds: Double?
    var distillationSeconds: Double?
    var otherSeconds: Double?
    var distillationEventMilliseconds: Double?
    var systemRewardLastTen: Double?
    var allocationsPerEnvironmentStep: Double?
    /// The matrix-product GFLOP of one distillation event: loops × 3 × 2 × (multiply-adds per state summed over the
    /// agents) × public states (extraction forward 1×, digestion backward 2×).
    var eventGigaflop: Double?
    /// Mean wall milliseconds of the events after the first (the first also builds workspaces).
    var eventMillisecondsAfterFirst: Double?
    /// The sgemm 1024³ rate used for the limit: GFLOP/s at this record's thread count, measured in the same run.
    var sgemmGigaflops: Double?
    /// event_gflop ÷ sgemm_gflops ÷ (event_ms_after_first / 1000): 1 means the event ran at the machine's GEMM rate.
    var eventLimitFraction: Double?

    enum CodingKeys: String, CodingKey {
        case set, method, threads, episodes
        case publicStates = "public_states"
        case distillationEvents = "distillation_events"
        case environmentSteps = "env_steps"
        case totalSeconds = "total_s"
        case episodesPerSecond = "episodes_per_s"
        case environmentStepsPerSecond = "env_steps_per_s"
        case rolloutSeconds = "rollout_s"
        case updateSeconds = "update_s"
        case localSeconds = "local_s"
        case distillationSeconds = "distill_s"
        case otherSeconds = "other_s"
        case distillationEventMilliseconds = "distill_event_ms"
        case systemRewardLastTen = "system_reward_last10"
        case allocationsPerEnvironmentStep = "allocations_per_env_step"
        case eventGigaflop = "event_gflop"
        case eventMillisecondsAfterFirst = "event_ms_after_first"
        case sgemmGigaflops = "sgemm_gflops_at_threads"
        case eventLimitFraction = "event_limit_fraction"
    }
}

/// `torch_fedhpd_loop.py`'s JSON: one end-to-end run at the top level, its thread count in `meta`.
struct TorchLoopFile: Codable {
    struct Meta: Codable {
        var threads: Int?
        var variant: String?
        var publicStates: String?

        enum CodingKeys: String, CodingKey {
            case threads, variant
            case publicStates = "public_states"
        }
    }

    var meta: Meta
}
