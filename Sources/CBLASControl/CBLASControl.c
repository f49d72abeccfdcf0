#define _GNU_SOURCE
#include "CBLASControl.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

// OpenBLAS's CBLAS entry points (declared here rather than through cblas.h so this target needs no include path;
// the enums are plain ints in the C ABI: RowMajor 101, NoTrans 111, Trans 112).
void cblas_sgemm(int order, int transpose_a, int transpose_b, int m, int n, int k, float alpha, const float *a,
                 int lda, const float *b, int ldb, float beta, float *c, int ldc);
void cblas_sgemv(int order, int transpose, int m, int n, float alpha, const float *a, int lda, const float *x,
                 int incx, float beta, float *y, int incy);
char *openblas_get_corename(void);
void openblas_set_num_threads(int num_threads);

enum { ROW_MAJOR = 101, NO_TRANSPOSE = 111, TRANSPOSE = 112 };

// MARK: - CPU identity

#if defined(__x86_64__) || defined(__i386__)
static unsigned long long read_xcr0(void) {
    unsigned int eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((unsigned long long)edx << 32) | eax;
}
#endif

void fedhpd_cpu_identify(fedhpd_cpu_info *info) {
    memset(info, 0, sizeof *info);
#if defined(__x86_64__) || defined(__i386__)
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(0, &eax, &ebx, &ecx, &edx)) return;
    unsigned int max_leaf = eax;
    memcpy(info->vendor, &ebx, 4);
    memcpy(info->vendor + 4, &edx, 4);
    memcpy(info->vendor + 8, &ecx, 4);

    __get_cpuid(1, &eax, &ebx, &ecx, &edx);
    int base_family = (eax >> 8) & 0xf, base_model = (eax >> 4) & 0xf;
    int extended_family = (eax >> 20) & 0xff, extended_model = (eax >> 16) & 0xf;
    info->family = base_family == 0xf ? base_family + extended_family : base_family;
    info->model = (base_family == 0x6 || base_family == 0xf) ? (extended_model << 4) + base_model : base_model;

    int os_saves_avx = 0, os_saves_avx512 = 0;
    if (ecx & (1u << 27)) {  // OSXSAVE: the OS enabled XGETBV
        unsigned long long xcr0 = read_xcr0();
        os_saves_avx = (xcr0 & 0x6) == 0x6;         // XMM and YMM state
        os_saves_avx512 = (xcr0 & 0xe6) == 0xe6;    // + opmask, ZMM_Hi256, Hi16_ZMM
    }
    if (ecx & 1u) info->features |= FEDHPD_CPU_SSE3;
    if (ecx & (1u << 20)) info->features |= FEDHPD_CPU_SSE42;
    if (os_saves_avx && (ecx & (1u << 28))) info->features |= FEDHPD_CPU_AVX;
    if (os_saves_avx && (ecx & (1u << 12))) info->features |= FEDHPD_CPU_FMA;

    if (max_leaf >= 7) {
        __get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx);
        if (os_saves_avx && (ebx & (1u << 5))) info->features |= FEDHPD_CPU_AVX2;
        if (os_saves_avx512) {
            if (ebx & (1u << 16)) info->features |= FEDHPD_CPU_AVX512F;
            if (ebx & (1u << 17)) info->features |= FEDHPD_CPU_AVX512DQ;
            if (ebx & (1u << 28)) info->features |= FEDHPD_CPU_AVX512CD;
            if (ebx & (1u << 30)) info->features |= FEDHPD_CPU_AVX512BW;
            if (ebx & (1u << 31)) info->features |= FEDHPD_CPU_AVX512VL;
            __get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx);
            if (eax & (1u << 5)) info->features |= FEDHPD_CPU_AVX512BF16;
        }
    }

    __get_cpuid(0x80000000, &eax, &ebx, &ecx, &edx);
    if (eax >= 0x80000004) {
        unsigned int words[12];
        for (unsigned int leaf = 0; leaf < 3; leaf++) {
            __get_cpuid(0x80000002 + leaf, &words[4 * leaf], &words[4 * leaf + 1], &words[4 * leaf + 2],
                        &words[4 * leaf + 3]);
        }
        memcpy(info->brand, words, 48);
        info->brand[48] = 0;
        // Trim the padding some processors put around the brand string.
        char *start = info->brand;
        while (*start == ' ') start++;
        memmove(info->brand, start, strlen(start) + 1);
        size_t length = strlen(info->brand);
        while (length > 0 && info->brand[length - 1] == ' ') info->brand[--length] = 0;
    }
#endif
}

// MARK: - Switching OpenBLAS's kernel set

typedef void (*dynamic_function)(void);

static dynamic_function lookup(const char *name) {
    return (dynamic_function)dlsym(RTLD_DEFAULT, name);
}

int fedhpd_blas_can_switch(void) {
    return lookup("gotoblas_dynamic_init") != NULL && lookup("gotoblas_dynamic_quit") != NULL;
}

const char *fedhpd_blas_core_name(void) {
    const char *name = openblas_get_corename();
    return name ? name : "unknown";
}

int fedhpd_blas_use_core(const char *core) {
    dynamic_function initialise = lookup("gotoblas_dynamic_init");
    dynamic_function quit = lookup("gotoblas_dynamic_quit");
    if (!initialise || !quit) return -1;
    // gotoblas_dynamic_init reads OPENBLAS_CORETYPE (driver/others/dynamic.c); set it only for this call.
    const char *previous = getenv("OPENBLAS_CORETYPE");
    char *saved = previous ? strdup(previous) : NULL;
    setenv("OPENBLAS_CORETYPE", core, 1);
    quit();        // gotoblas = NULL
    initialise();  // gotoblas = the forced table; its init() sets the blocking parameters
    if (saved) {
        setenv("OPENBLAS_CORETYPE", saved, 1);
        free(saved);
    } else {
        unsetenv("OPENBLAS_CORETYPE");
    }
    return strcasecmp(fedhpd_blas_core_name(), core) == 0 ? 0 : -2;
}

// MARK: - Self-check

/// Deterministic values in [-1, 1) (a linear congruential generator; the check needs variety, not quality).
static void fill(float *values, size_t count, uint32_t seed) {
    uint32_t state = seed * 2654435761u + 1;
    for (size_t i = 0; i < count; i++) {
        state = state * 1664525u + 1013904223u;
        values[i] = (float)((state >> 8) * (1.0 / 8388608.0)) - 1.0f;
    }
}

/// C = alpha op(A) op(B) + beta C (row-major) against a double loop; tolerance 4·(k+2)·ε_float times the sum of the
/// magnitudes that enter each entry. Returns 0 when every entry is within it.
static int check_gemm(int transpose_a, int transpose_b, int m, int n, int k, float alpha, float beta, char *message,
                      size_t message_length) {
    size_t a_count = (size_t)m * k, b_count = (size_t)k * n, c_count = (size_t)m * n;
    float *a = malloc((a_count + 1) * sizeof(float)), *b = malloc((b_count + 1) * sizeof(float));
    float *c = malloc((c_count + 1) * sizeof(float)), *c0 = malloc((c_count + 1) * sizeof(float));
    int failed = 0;
    if (!a || !b || !c || !c0) {
        snprintf(message, message_length, "out of memory");
        failed = 1;
        goto done;
    }
    fill(a, a_count, (uint32_t)(m * 31 + k));
    fill(b, b_count, (uint32_t)(k * 17 + n));
    fill(c0, c_count, (uint32_t)(m + n + k));
    memcpy(c, c0, c_count * sizeof(float));
    int lda = transpose_a ? m : k, ldb = transpose_b ? k : n;
    cblas_sgemm(ROW_MAJOR, transpose_a ? TRANSPOSE : NO_TRANSPOSE, transpose_b ? TRANSPOSE : NO_TRANSPOSE, m, n, k,
                alpha, a, lda, b, ldb, beta, c, n);
    for (int i = 0; i < m && !failed; i++) {
        for (int j = 0; j < n; j++) {
            double sum = 0, magnitude = 0;
            for (int p = 0; p < k; p++) {
                double x = transpose_a ? a[(size_t)p * m + i] : a[(size_t)i * k + p];
                double y = transpose_b ? b[(size_t)j * k + p] : b[(size_t)p * n + j];
                sum += x * y;
                magnitude += fabs(x * y);
            }
            double expected = alpha * sum + beta * (double)c0[(size_t)i * n + j];
            double bound = 4.0 * (k + 2) * 1.1920929e-7 * (fabs(alpha) * magnitude + fabs(beta * c0[(size_t)i * n + j]))
                           + 1e-30;
            double got = c[(size_t)i * n + j];
            if (!(fabs(got - expected) <= bound)) {  // also catches NaN
                snprintf(message, message_length,
                         "sgemm %s%s m=%d n=%d k=%d alpha=%g beta=%g: C[%d,%d] = %.9g, expected %.9g (tolerance %.3g)",
                         transpose_a ? "T" : "N", transpose_b ? "T" : "N", m, n, k, alpha, beta, i, j, got, expected,
                         bound);
                failed = 1;
                break;
            }
        }
    }
done:
    free(a);
    free(b);
    free(c);
    free(c0);
    return failed;
}

/// y = alpha op(A) x + beta y for a row-major rows × columns A, against a double loop.
static int check_gemv(int transpose, int rows, int columns, float alpha, float beta, char *message,
                      size_t message_length) {
    int out = transpose ? columns : rows, in = transpose ? rows : columns;
    float *a = malloc(((size_t)rows * columns + 1) * sizeof(float));
    float *x = malloc((in + 1) * sizeof(float)), *y = malloc((out + 1) * sizeof(float));
    float *y0 = malloc((out + 1) * sizeof(float));
    int failed = 0;
    if (!a || !x || !y || !y0) {
        snprintf(message, message_length, "out of memory");
        failed = 1;
        goto done;
    }
    fill(a, (size_t)rows * columns, (uint32_t)(rows * 7 + columns));
    fill(x, in, (uint32_t)in);
    fill(y0, out, (uint32_t)(out + 3));
    memcpy(y, y0, out * sizeof(float));
    cblas_sgemv(ROW_MAJOR, transpose ? TRANSPOSE : NO_TRANSPOSE, rows, columns, alpha, a, columns, x, 1, beta, y, 1);
    for (int i = 0; i < out; i++) {
        double sum = 0, magnitude = 0;
        for (int p = 0; p < in; p++) {
            double w = transpose ? a[(size_t)p * columns + i] : a[(size_t)i * columns + p];
            sum += w * x[p];
            magnitude += fabs(w * x[p]);
        }
        double expected = alpha * sum + beta * (double)y0[i];
        double bound = 4.0 * (in + 2) * 1.1920929e-7 * (fabs(alpha) * magnitude + fabs(beta * y0[i])) + 1e-30;
        if (!(fabs(y[i] - expected) <= bound)) {
            snprintf(message, message_length,
                     "sgemv %s rows=%d columns=%d alpha=%g beta=%g: y[%d] = %.9g, expected %.9g (tolerance %.3g)",
                     transpose ? "T" : "N", rows, columns, alpha, beta, i, y[i], expected, bound);
            failed = 1;
            break;
        }
    }
done:
    free(a);
    free(x);
    free(y);
    free(y0);
    return failed;
}

int fedhpd_blas_self_check(char *message, size_t message_length) {
    // (m, n, k): scalars, single rows and columns, odd sizes around the kernels' register blocks (4, 8, 16, 24, 32
    // rows or columns), k past one cache block (Q = 256–384 floats), and shapes like the policies' (300 × 64 · 64 × 2).
    static const int shapes[][3] = {
        {1, 1, 1},    {1, 7, 3},    {7, 1, 13},  {7, 13, 5},  {2, 2, 300},  {17, 33, 65},
        {32, 32, 32}, {65, 33, 31}, {130, 3, 67}, {9, 10, 520}, {300, 2, 64}, {40, 41, 39},
    };
    static const float scales[][2] = {{1, 0}, {0.5f, -1.25f}};
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        for (int transposes = 0; transposes < 4; transposes++) {
            const float *scale = scales[(s + transposes) % 2];
            if (check_gemm(transposes & 1, transposes >> 1, shapes[s][0], shapes[s][1], shapes[s][2], scale[0],
                           scale[1], message, message_length))
                return 1;
        }
    }
    static const int vectors[][2] = {{1, 1}, {7, 13}, {300, 37}, {37, 300}, {128, 4}, {4, 512}};
    for (size_t v = 0; v < sizeof vectors / sizeof vectors[0]; v++) {
        for (int transpose = 0; transpose < 2; transpose++) {
            const float *scale = scales[(v + transpose) % 2];
            if (check_gemv(transpose, vectors[v][0], vectors[v][1], scale[0], scale[1], message, message_length))
                return 1;
        }
    }
    if (message_length > 0) message[0] = 0;
    return 0;
}

// MARK: - Probe in a child process

static double now_milliseconds(void) {
    struct timespec time;
    clock_gettime(CLOCK_MONOTONIC, &time);
    return time.tv_sec * 1e3 + time.tv_nsec * 1e-6;
}

int fedhpd_blas_probe_core(const char *core, int timeout_ms, char *message, size_t message_length) {
    if (message_length > 0) message[0] = 0;
    int channel[2];
    if (pipe(channel) != 0) {
        snprintf(message, message_length, "pipe failed: %s", strerror(errno));
        return FEDHPD_PROBE_NOT_RUN;
    }
    pid_t child = fork();
    if (child < 0) {
        snprintf(message, message_length, "fork failed: %s", strerror(errno));
        close(channel[0]);
        close(channel[1]);
        return FEDHPD_PROBE_NOT_RUN;
    }
    if (child == 0) {
        close(channel[0]);
        // Die quietly on a bad instruction or access: the parent reads the signal from the exit status. (The Swift
        // runtime's crash handler would otherwise print a backtrace of this throw-away child.)
        static const int fatal_signals[] = {SIGILL, SIGSEGV, SIGBUS, SIGFPE, SIGABRT, SIGTRAP};
        for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++) signal(fatal_signals[i], SIG_DFL);
        int null_device = open("/dev/null", O_WRONLY);
        if (null_device >= 0) dup2(null_device, STDERR_FILENO);
        char text[512] = {0};
        int status = 0;
        openblas_set_num_threads(1);  // the check's shapes are small; a thread pool would only cost start-up time
        if (core && fedhpd_blas_use_core(core) != 0) {
            snprintf(text, sizeof text, "OpenBLAS did not accept the kernel set %s (it chose %s)", core,
                     fedhpd_blas_core_name());
            status = FEDHPD_PROBE_CORE_REFUSED;
        } else if (fedhpd_blas_self_check(text, sizeof text) != 0) {
            status = FEDHPD_PROBE_WRONG_RESULTS;
        }
        ssize_t written = write(channel[1], text, strlen(text));
        (void)written;
        _exit(status);
    }
    close(channel[1]);
    char text[512];
    size_t length = 0;
    double deadline = now_milliseconds() + timeout_ms;
    int timed_out = 0;
    for (;;) {
        int remaining = (int)(deadline - now_milliseconds());
        if (remaining <= 0) {
            timed_out = 1;
            break;
        }
        struct pollfd descriptor = {.fd = channel[0], .events = POLLIN};
        int ready = poll(&descriptor, 1, remaining);
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) {
            timed_out = ready == 0;
            break;
        }
        ssize_t count = read(channel[0], text + length, sizeof text - 1 - length);
        if (count < 0 && errno == EINTR) continue;
        if (count <= 0) break;  // end of file: the child is done
        length += (size_t)count;
        if (length >= sizeof text - 1) break;
    }
    text[length] = 0;
    close(channel[0]);
    if (timed_out) kill(child, SIGKILL);
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (timed_out) {
        snprintf(message, message_length, "the self-check did not finish within %d ms", timeout_ms);
        return FEDHPD_PROBE_TIMED_OUT;
    }
    if (WIFSIGNALED(status)) {
        snprintf(message, message_length, "the self-check crashed (signal %d, %s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
        return FEDHPD_PROBE_CRASHED;
    }
    snprintf(message, message_length, "%s", text);
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : FEDHPD_PROBE_CRASHED;
    return code <= FEDHPD_PROBE_CORE_REFUSED ? code : FEDHPD_PROBE_CRASHED;
}
