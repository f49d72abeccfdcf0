// Fused kernels for the narrow fully connected layers of small policy networks (widths up to a few hundred), over
// a chunk of states at once: the forward pass with bias and activation, the input gradient with the previous
// layer's activation derivative, and the parameter gradients. Row-major float buffers, W is out × in (PyTorch's
// nn.Linear layout). Two variants: AVX2 + FMA (built with a per-function target attribute, so the package needs no
// compiler flags; call it only when the CPU and OS support AVX2 and FMA) and a portable one. No Swift API of its
// own; HPDTensor's SmallLayerKernels.swift is its only user.
//
// Summation order (what makes results reproducible): every output element is a sum over the inner dimension taken
// strictly in increasing index order, starting from the bias (forward), from 0 or the existing value (input
// gradient), or from 0 (parameter gradients, summed over rows in row order). AVX2 uses fused multiply-adds, the
// portable variant a multiply then an add, so the two variants differ in the last bits; each is deterministic and
// independent of how callers split work across threads.
#ifndef FEDHPD_CSMALLKERNELS_H
#define FEDHPD_CSMALLKERNELS_H

#include <stddef.h>

/// Which implementation runs.
enum {
    FEDHPD_SMALL_PORTABLE = 0, ///< plain C loops (the compiler's baseline vector width)
    FEDHPD_SMALL_AVX2 = 1,     ///< 256-bit AVX2 with FMA
};

/// The activation applied after the forward product, or whose derivative multiplies the input gradient.
enum {
    FEDHPD_ACTIVATION_IDENTITY = 0,
    FEDHPD_ACTIVATION_RELU = 1, ///< max(v, 0); derivative: ḡ where h > 0, else 0
    FEDHPD_ACTIVATION_TANH = 2, ///< the engine's rational tanh (Tensor.fastTanh); derivative: ḡ ⊙ (1 − h²)
};

/// Whether this build contains the AVX2 variant (x86-64 only). 1 or 0.
int fedhpd_small_has_avx2_variant(void);

/// The scratch floats that every call below needs for a layer with `in` inputs and `out` outputs.
size_t fedhpd_small_scratch_count(int in, int out);

/// y ← act(x·Wᵀ + b): x rows × in, W out × in, b [out], y rows × out.
void fedhpd_small_forward(int variant, int rows, int in, int out, const float *x, const float *w, const float *b,
                          int activation, float *y, float *scratch);

/// g ← (accumulate ? g : 0) + z·W, then, if `derivative` is not identity, g ← g ⊙ act′ computed from h (the
/// previous layer's output, rows × in): z rows × out, W out × in, g rows × in.
void fedhpd_small_input_gradient(int variant, int rows, int in, int out, const float *z, const float *w,
                                 int accumulate, int derivative, const float *h, float *g, float *scratch);

/// W̄ ← zᵀ·x (out × in) and b̄ ← Σ_rows z (out): z rows × out, x rows × in.
void fedhpd_small_parameter_gradients(int variant, int rows, int in, int out, const float *z, const float *x,
                                      float *weight_gradient, float *bias_gradient, float *scratch);

/// The engine's rational tanh on one value (the portable variant's; tests compare it with Swift's).
float fedhpd_small_tanh(float x);

#endif
