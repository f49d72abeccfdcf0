// Shared between the portable and the AVX2 file of CSmallKernels (not part of the module's public header).
#ifndef FEDHPD_SMALLKERNELSINTERNAL_H
#define FEDHPD_SMALLKERNELSINTERNAL_H

#include "CSmallKernels.h"

/// Rows of the parameter-gradient reduction processed per block (their packed operand stays in L1/L2).
#define FEDHPD_SMALL_ROW_BLOCK 128

/// n rounded up to a multiple of 8 (one AVX2 vector of floats).
static inline int fedhpd_small_round8(int n) { return (n + 7) & ~7; }

#if defined(__x86_64__)
void fedhpd_small_forward_avx2(int rows, int in, int out, const float *x, const float *w, const float *b,
                               int activation, float *y, float *scratch);
void fedhpd_small_input_gradient_avx2(int rows, int in, int out, const float *z, const float *w, int accumulate,
                                      int derivative, const float *h, float *g, float *scratch);
void fedhpd_small_parameter_gradients_avx2(int rows, int in, int out, const float *z, const float *x,
                                           float *weight_gradient, float *bias_gradient, float *scratch);
#endif

#endif
