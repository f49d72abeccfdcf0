/// The performance targets of the benchmark issue, checked against a comparison:
///
/// 1. batch-1 inference ≥ 50× PyTorch for architectures ≤ 70K multiply-adds per state (≥ 5× for LunarLander
///    [512,512] tanh), with zero heap allocations per call;
/// 2. reinforce and distill at batch 2500 ≥ 1.2× PyTorch for every architecture;
/// 3. ≥ 70 % of the sgemm roofline for LunarLander's [512,512], [256,256] and [128,128,256] at batches ≥ 2500;
/// 4. end-to-end FedHPD CartPole ≥ 30× the PyTorch per-step loop (episodes/s; env steps/s shown alongside).
struct TargetReport {
    let rows: [ComparedCase]
    let runPairs: [EndToEndComparison.Pair]

    static let largeLunarLanderArchitectures = ["[512,512] tanh", "[256,256] tanh", "[128,128,256] relu"]

    func print() {
        Swift.print("\n# targets")
        inferenceTarget()
        trainingTarget()
        rooflineTarget()
        endToEndTarget()
    }

    private func status(_ met: Bool) -> String { met ? "met   " : "MISSED" }

    /// When our matrix products alone (roofline fraction × median) already exceed the time the target allows
    /// (torch median ÷ required ratio), the target cannot be met without faster GEMM/GEMV: say so.
    private func bound(_ row: ComparedCase, required: Double) -> String {
        guard let fraction = row.ours.rooflineFraction else { return "" }
        let productsAlone = fraction * row.ours.medianMicroseconds
        let allowed = row.reference.medianMicroseconds / required
        let detail =
            "products alone \(formatted(productsAlone, decimals: 2)) µs, target allows \(formatted(allowed, decimals: 2)) µs"
        return productsAlone > allowed ? " — GEMM-bound: \(detail)" : " — overhead-bound: \(detail)"
    }

    private func inferenceTarget() {
        let cases = rows.filter { $0.ours.mode == "inference" && $0.ours.batch == 1 }
        guard !cases.isEmpty else { return }
        var failures: [String] = []
        for row in cases {
            let isLargest = row.ours.set == "lunarlander" && row.ours.architecture == "[512,512] tanh"
            let small = (row.ours.multiplyAddsPerState ?? Int.max) <= 70_000
            guard isLargest || small else { continue }
            let required = isLargest ? 5.0 : 50.0
            if row.speedRatio < required {
                failures.append(
                    "\(row.ours.set) \(row.ours.architecture) \(formatted(row.speedRatio, decimals: 1))× < \(Int(required))×\(bound(row, required: required))"
                )
            }
        }
        let allocating = cases.filter { ($0.ours.allocations ?? 1) != 0 }
        let ratios = cases.map(\.speedRatio)
        Swift.print(
            "\(status(failures.isEmpty)) batch-1 inference ≥ 50× (≥ 5× LL [512,512]): ratios \(formatted(ratios.min(), decimals: 1))×…\(formatted(ratios.max(), decimals: 1))×"
        )
        for failure in failures { Swift.print("         \(failure)") }
        Swift.print(
            "\(status(allocating.isEmpty)) batch-1 inference allocation-free: \(cases.count - allocating.count)/\(cases.count) cases at 0 allocations"
        )
        for row in allocating {
            Swift.print(
                "         \(row.ours.set) \(row.ours.architecture): \(formatted(row.ours.allocations, decimals: 1))")
        }
    }

    private func trainingTarget() {
        for mode in ["reinforce", "distill"] {
            let cases = rows.filter { $0.ours.mode == mode && $0.ours.batch == 2500 }
            guard !cases.isEmpty else { continue }
            let failures = cases.filter { $0.speedRatio < 1.2 }
            Swift.print(
                "\(status(failures.isEmpty)) \(mode) at 2500 ≥ 1.2×: \(cases.count - failures.count)/\(cases.count) architectures, worst \(formatted(cases.map(\.speedRatio).min(), decimals: 2))×"
            )
            for row in failures {
                Swift.print(
                    "         \(row.ours.set) \(row.ours.architecture) \(formatted(row.speedRatio, decimals: 2))×\(bound(row, required: 1.2))"
                )
            }
        }
    }

    private func rooflineTarget() {
        let cases = rows.filter {
            $0.ours.set == "lunarlander" && $0.ours.batch >= 2500
                && Self.largeLunarLanderArchitectures.contains($0.ours.architecture)
        }
        guard !cases.isEmpty else { return }
        let failures = cases.filter { ($0.ours.rooflineFraction ?? 0) < 0.7 }
        Swift.print(
            "\(status(failures.isEmpty)) ≥ 70 % sgemm roofline, LL [512,512] [256,256] [128,128,256] at ≥ 2500: \(cases.count - failures.count)/\(cases.count) cases"
        )
        for row in failures {
            Swift.print(
                "         \(row.ours.architecture) \(row.ours.batch) \(row.ours.mode): \(formatted(row.ours.rooflineFraction, decimals: 3))"
            )
        }
    }

    private func endToEndTarget() {
        for (ours, reference) in runPairs where ours.set == "cartpole" && !(reference.method ?? "").contains("batched")
        {
            let ratio = ours.episodesPerSecond / reference.episodesPerSecond
            let stepRatio = (ours.environmentStepsPerSecond ?? .nan) / (reference.environmentStepsPerSecond ?? .nan)
            let note =
                ours.episodes == reference.episodes
                ? "" : " (episode counts differ: \(ours.episodes) vs \(reference.episodes))"
            Swift.print(
                "\(status(ratio >= 30)) end-to-end CartPole ≥ 30× vs \(reference.method ?? "torch") (threads \(ours.threads ?? 1)): \(formatted(ratio, decimals: 1))× episodes/s, \(formatted(stepRatio, decimals: 1))× env steps/s\(note)"
            )
        }
    }
}
