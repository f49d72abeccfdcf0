internal import CMemory

/// How the process's allocator treats large blocks.
///
/// Fresh pages are expensive on virtual machines (first touch of a page the host has not backed costs ≈ 16 µs per
/// 4 KiB, measured on the development machines), and glibc by default returns large freed blocks to the system
/// (mmap for blocks ≥ 128 KiB, heap trimming above 128 KiB) — so a training loop that allocates and frees
/// megabyte-sized tensors pays first-touch costs on every step. `retainFreedMemory()` keeps freed memory in the
/// process for reuse: blocks up to 32 MiB come from the heap and the heap is never trimmed.
public enum MemoryPolicy {
    /// Keeps freed memory for reuse (idempotent; call before hot loops). Peak resident memory then stays at the
    /// high-water mark of the workload instead of shrinking between steps.
    public static func retainFreedMemory() {
        _ = fedhpd_retain_freed_memory()
    }
}
