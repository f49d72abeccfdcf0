// What HPDTensor's BLAS kernel choice needs from C: the CPU's identity and SIMD features (cpuid, xgetbv), switching
// OpenBLAS's DYNAMIC_ARCH kernel set in process, and a self-check of the kernels that can run in a forked child so
// that a kernel set that crashes cannot take the caller down. No Swift API of its own; HPDTensor's
// BLASKernelControl.swift is its only user.
#ifndef FEDHPD_CBLASCONTROL_H
#define FEDHPD_CBLASCONTROL_H

#include <stddef.h>

/// CPU feature bits reported by `fedhpd_cpu_identify` (only set when the OS also saves the register state).
enum {
    FEDHPD_CPU_SSE3 = 1 << 0,
    FEDHPD_CPU_SSE42 = 1 << 1,
    FEDHPD_CPU_AVX = 1 << 2,
    FEDHPD_CPU_FMA = 1 << 3,
    FEDHPD_CPU_AVX2 = 1 << 4,
    FEDHPD_CPU_AVX512F = 1 << 5,
    FEDHPD_CPU_AVX512DQ = 1 << 6,
    FEDHPD_CPU_AVX512CD = 1 << 7,
    FEDHPD_CPU_AVX512BW = 1 << 8,
    FEDHPD_CPU_AVX512VL = 1 << 9,
    FEDHPD_CPU_AVX512BF16 = 1 << 10,
};

/// The processor as cpuid describes it.
typedef struct {
    char vendor[16];   ///< e.g. "GenuineIntel", "AuthenticAMD"
    char brand[64];    ///< the brand string, e.g. "Intel(R) Xeon(R) Platinum 8488C"
    int family;        ///< display family (base + extended)
    int model;         ///< display model (extended model folded in)
    unsigned features; ///< FEDHPD_CPU_* bits
} fedhpd_cpu_info;

/// Fills `info` (all zero on processors other than x86-64).
void fedhpd_cpu_identify(fedhpd_cpu_info *info);

/// Whether this OpenBLAS can switch kernel sets in process (a DYNAMIC_ARCH build exporting gotoblas_dynamic_init
/// and gotoblas_dynamic_quit). 1 or 0.
int fedhpd_blas_can_switch(void);

/// OpenBLAS's current kernel set ("Haswell", "SkylakeX", "Prescott", …), or "unknown".
const char *fedhpd_blas_core_name(void);

/// Switches OpenBLAS to the kernel set `core` (a name OpenBLAS's OPENBLAS_CORETYPE accepts) by re-running its
/// dynamic initialisation with the variable set for the duration of the call (the environment is restored after).
/// Must not run while any thread is inside a BLAS call. Returns 0 when the named set is now in use, -1 when this
/// OpenBLAS cannot switch, -2 when OpenBLAS did not accept the name (its own choice is then in use).
int fedhpd_blas_use_core(const char *core);

/// Runs sgemm with every transpose pair and sgemv both ways, on odd and edge shapes, against plain loops in double.
/// Returns 0 when every result is within a tight tolerance; otherwise 1 and a description in `message`.
int fedhpd_blas_self_check(char *message, size_t message_length);

/// Outcome of `fedhpd_blas_probe_core`.
enum {
    FEDHPD_PROBE_PASSED = 0,
    FEDHPD_PROBE_WRONG_RESULTS = 1,
    FEDHPD_PROBE_CRASHED = 2,
    FEDHPD_PROBE_TIMED_OUT = 3,
    FEDHPD_PROBE_NOT_RUN = 4,
    FEDHPD_PROBE_CORE_REFUSED = 5,
};

/// In a forked child: switches to `core` (NULL = keep the current set), runs `fedhpd_blas_self_check`, and reports.
/// The parent is untouched whatever the kernels do (wrong results, SIGILL, SIGSEGV, a hang past `timeout_ms`).
/// Returns a FEDHPD_PROBE_* value with a description in `message`.
int fedhpd_blas_probe_core(const char *core, int timeout_ms, char *message, size_t message_length);

#endif
