import HPDNN

/// The three per-agent compute kernels of FedHPD, as timed by `torch_kernels.py`.
enum KernelMode: String, CaseIterable, Codable {
    /// Forward without a tape → π(·|s) (categorical) or (μ, σ) (Gaussian). At batch 1, the allocation-free
    /// rollout path that also samples an action (`sample(_:generator:)`).
    case inference
    /// Zero gradients, forward on the tape and backward of the REINFORCE loss Σ −log π(a|s)·Ĝ.
    case reinforce
    /// One distillation step: zero gradients, forward, KL to a fixed consensus, backward, Adam (AdamW) update.
    case distill

    /// Whether the mode back-propagates (its roofline includes the backward GEMMs).
    var hasBackward: Bool { self != .inference }

    /// Matrix-product FLOPs of one call: forward F = Σ 2·m·n·k over every linear layer (heads included); backward
    /// counts 2F (weight and input gradients of every layer). The same convention as `torch_kernels.py`.
    func floatingPointOperations(architecture: PolicyArchitecture, batch: Int) -> Double {
        let forward = 2 * Double(batch) * Double(architecture.multiplyAddsPerState)
        return hasBackward ? 3 * forward : forward
    }
}
