// The calling thread's SSE floating-point mode, for fedhpd-bench's --flush-denormals experiment.
#include "CAllocationCounter.h"

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>

int fedhpd_bench_set_flush_denormals(int enabled) {
    // MXCSR bit 15 = flush-to-zero (FTZ), bit 6 = denormals-are-zero (DAZ).
    unsigned int mode = _mm_getcsr();
    mode = enabled ? (mode | 0x8040u) : (mode & ~0x8040u);
    _mm_setcsr(mode);
    return 1;
}
#else
int fedhpd_bench_set_flush_denormals(int enabled) {
    (void)enabled;
    return 0;
}
#endif
