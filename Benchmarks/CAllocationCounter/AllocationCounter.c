// A malloc-counting hook: glibc's allocator entry points redefined in the executable, forwarding to glibc's
// internal implementations and counting calls while enabled. See include/CAllocationCounter.h.
#include "CAllocationCounter.h"

#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

// glibc's own allocator, exported under these names (GLIBC_2.2.5).
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void __libc_free(void *pointer);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void *__libc_valloc(size_t size);
extern void *__libc_pvalloc(size_t size);

static atomic_int counting = 0;
static atomic_uint_fast64_t allocationCount = 0;
static atomic_uint_fast64_t byteCount = 0;
static atomic_uint_fast64_t freeCount = 0;

static inline void count_allocation(size_t size) {
    if (atomic_load_explicit(&counting, memory_order_relaxed)) {
        atomic_fetch_add_explicit(&allocationCount, 1, memory_order_relaxed);
        atomic_fetch_add_explicit(&byteCount, size, memory_order_relaxed);
    }
}

#define EXPORTED __attribute__((visibility("default"), used))

EXPORTED void *malloc(size_t size) {
    count_allocation(size);
    return __libc_malloc(size);
}

EXPORTED void *calloc(size_t count, size_t size) {
    count_allocation(count * size);
    return __libc_calloc(count, size);
}

EXPORTED void *realloc(void *pointer, size_t size) {
    count_allocation(size);
    return __libc_realloc(pointer, size);
}

EXPORTED void free(void *pointer) {
    if (pointer != NULL && atomic_load_explicit(&counting, memory_order_relaxed)) {
        atomic_fetch_add_explicit(&freeCount, 1, memory_order_relaxed);
    }
    __libc_free(pointer);
}

EXPORTED void *memalign(size_t alignment, size_t size) {
    count_allocation(size);
    return __libc_memalign(alignment, size);
}

EXPORTED void *aligned_alloc(size_t alignment, size_t size) {
    count_allocation(size);
    return __libc_memalign(alignment, size);
}

EXPORTED int posix_memalign(void **result, size_t alignment, size_t size) {
    if (alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
    count_allocation(size);
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL) return ENOMEM;
    *result = pointer;
    return 0;
}

EXPORTED void *valloc(size_t size) {
    count_allocation(size);
    return __libc_valloc(size);
}

EXPORTED void *pvalloc(size_t size) {
    count_allocation(size);
    return __libc_pvalloc(size);
}

void fedhpd_allocation_counter_enable(void) { atomic_store(&counting, 1); }

void fedhpd_allocation_counter_disable(void) { atomic_store(&counting, 0); }

void fedhpd_allocation_counter_reset(void) {
    atomic_store(&allocationCount, 0);
    atomic_store(&byteCount, 0);
    atomic_store(&freeCount, 0);
}

uint64_t fedhpd_allocation_counter_allocations(void) { return atomic_load(&allocationCount); }

uint64_t fedhpd_allocation_counter_bytes(void) { return atomic_load(&byteCount); }

uint64_t fedhpd_allocation_counter_frees(void) { return atomic_load(&freeCount); }
