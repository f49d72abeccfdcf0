// Counts heap allocations made through glibc's allocator, for fedhpd-bench (plus one floating-point mode switch).
//
// AllocationCounter.c defines malloc, calloc, realloc, free, posix_memalign, aligned_alloc, memalign, valloc and
// pvalloc. Linked into an executable, these definitions interpose on glibc's for the whole process (the Swift
// runtime, Foundation and OpenBLAS included); each forwards to glibc's own implementation (__libc_malloc, …) and,
// while counting is enabled, increments process-wide atomic counters. Counting costs one relaxed atomic load per
// call when disabled.
#ifndef FEDHPD_CALLOCATIONCOUNTER_H
#define FEDHPD_CALLOCATIONCOUNTER_H

#include <stdint.h>

/// Starts counting (counters keep their values; call fedhpd_allocation_counter_reset to clear them).
void fedhpd_allocation_counter_enable(void);

/// Stops counting.
void fedhpd_allocation_counter_disable(void);

/// Sets every counter to zero.
void fedhpd_allocation_counter_reset(void);

/// Allocations (malloc, calloc, realloc, and the aligned variants) counted since the last reset.
uint64_t fedhpd_allocation_counter_allocations(void);

/// Bytes requested by the counted allocations.
uint64_t fedhpd_allocation_counter_bytes(void);

/// free calls (with a non-null pointer) counted since the last reset.
uint64_t fedhpd_allocation_counter_frees(void);

/// Sets (1) or clears (0) flush-to-zero and denormals-are-zero for the calling thread's SSE arithmetic.
/// Returns 0 on architectures where this is not supported. (Benchmark experiment only: the engine itself does not
/// change the floating-point mode.)
int fedhpd_bench_set_flush_denormals(int enabled);

#endif
