#ifndef FEDHPD_C_FUZZER_DRIVER_H
#define FEDHPD_C_FUZZER_DRIVER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's entry point for programs with their own `main` (compiler-rt, `FuzzerInterface.h`). It is defined by
/// the fuzzer runtime that `-sanitize=fuzzer` links, so only `scripts/fuzz.sh` builds call it; this header only
/// declares it.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
