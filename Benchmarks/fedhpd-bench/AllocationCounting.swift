import CAllocationCounter

/// Heap allocations counted by the malloc hook in `CAllocationCounter` (every malloc, calloc, realloc and aligned
/// allocation of the process, from Swift, Foundation or C libraries alike).
enum AllocationCounting {
    /// The number of allocations `body` makes (all threads of the process).
    static func count(_ body: () -> Void) -> UInt64 {
        fedhpd_allocation_counter_reset()
        fedhpd_allocation_counter_enable()
        body()
        fedhpd_allocation_counter_disable()
        return fedhpd_allocation_counter_allocations()
    }

    /// Allocations per call of `call`, averaged over `calls` calls (run after warm-up).
    static func perCall(_ call: () -> Void, calls: Int = 10) -> Double {
        let total = count { for _ in 0..<calls { call() } }
        return Double(total) / Double(calls)
    }

    /// Whether the hook sees Swift's own allocations: a fresh 1000-element array must count at least once and a
    /// call that allocates nothing must count zero. If the hook did not interpose, every count would read zero.
    static func verifyHook() -> Bool {
        let arrayAllocations = count { blackHole(makeArray(count: 1000)) }
        let idleAllocations = count { blackHole(1 + 1) }
        return arrayAllocations >= 1 && idleAllocations == 0
    }

    @inline(never)
    private static func makeArray(count: Int) -> [Float] {
        [Float](repeating: 1, count: count)
    }
}
