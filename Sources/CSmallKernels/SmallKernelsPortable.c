// The portable variant of the small-layer kernels, the scratch size and the dispatch on the variant. Same summation
// order as the AVX2 variant (see CSmallKernels.h) with a separate multiply and add instead of a fused one.
#include "SmallKernelsInternal.h"

#include <string.h>

#pragma clang fp contract(off)

int fedhpd_small_has_avx2_variant(void) {
#if defined(__x86_64__)
    return 1;
#else
    return 0;
#endif
}

size_t fedhpd_small_scratch_count(int in, int out) {
    const size_t padded_out = (size_t)fedhpd_small_round8(out), padded_in = (size_t)fedhpd_small_round8(in);
    const size_t forward = (size_t)in * padded_out + padded_out;
    const size_t input = (size_t)out * padded_in;
    const int wide_out = out >= in;
    const size_t reduced = (size_t)(wide_out ? in : out), vector = wide_out ? padded_out : padded_in;
    const size_t parameters = reduced * vector + (size_t)FEDHPD_SMALL_ROW_BLOCK * vector + padded_out;
    size_t most = forward > input ? forward : input;
    if (parameters > most) most = parameters;
    return most + 8;
}

float fedhpd_small_tanh(float input) {
    const float limit = 7.90531110763549805f;
    float x = input;
    x = -limit >= x ? -limit : x; // Swift's max(input, −limit)
    x = limit < x ? limit : x;    // Swift's min(…, limit)
    const float x2 = x * x;
    float p = -2.76076847742355e-16f;
    p = p * x2 + 2.00018790482477e-13f;
    p = p * x2 - 8.60467152213735e-11f;
    p = p * x2 + 5.12229709037114e-08f;
    p = p * x2 + 1.48572235717979e-05f;
    p = p * x2 + 6.37261928875436e-04f;
    p = p * x2 + 4.89352455891786e-03f;
    p = p * x;
    float q = 1.19825839466702e-06f;
    q = q * x2 + 1.18534705686654e-04f;
    q = q * x2 + 2.26843463243900e-03f;
    q = q * x2 + 4.89352518554385e-03f;
    const float magnitude = input < 0 ? -input : input;
    return magnitude < 0.0004f ? input : p / q;
}

static inline float activate(float v, int activation) {
    switch (activation) {
    case FEDHPD_ACTIVATION_RELU: return 0 >= v ? 0 : v; // Swift's max(v, 0): +0 for ±0, NaN kept
    case FEDHPD_ACTIVATION_TANH: return fedhpd_small_tanh(v);
    default: return v;
    }
}

static inline float derive(float g, float h, int derivative) {
    switch (derivative) {
    case FEDHPD_ACTIVATION_RELU: return h > 0 ? g : 0;
    case FEDHPD_ACTIVATION_TANH: return g * (1 - h * h);
    default: return g;
    }
}

static void forward_portable(int rows, int in, int out, const float *x, const float *w, const float *b,
                             int activation, float *y, float *scratch) {
    const int padded = fedhpd_small_round8(out);
    float *transposed = scratch; // in × padded: Wᵀ, so the inner loop runs over contiguous outputs
    for (int p = 0; p < in; p++)
        for (int j = 0; j < out; j++) transposed[(size_t)p * padded + j] = w[(size_t)j * in + p];
    for (int r = 0; r < rows; r++) {
        float *row = y + (size_t)r * out;
        const float *input = x + (size_t)r * in;
        memcpy(row, b, sizeof(float) * (size_t)out);
        for (int p = 0; p < in; p++) {
            const float value = input[p];
            const float *weights = transposed + (size_t)p * padded;
            for (int j = 0; j < out; j++) row[j] = row[j] + value * weights[j];
        }
        for (int j = 0; j < out; j++) row[j] = activate(row[j], activation);
    }
}

static void input_gradient_portable(int rows, int in, int out, const float *z, const float *w, int accumulate,
                                    int derivative, const float *h, float *g) {
    for (int r = 0; r < rows; r++) {
        float *row = g + (size_t)r * in;
        if (!accumulate) memset(row, 0, sizeof(float) * (size_t)in);
        for (int j = 0; j < out; j++) {
            const float value = z[(size_t)r * out + j];
            const float *weights = w + (size_t)j * in;
            for (int k = 0; k < in; k++) row[k] = row[k] + value * weights[k];
        }
        if (derivative != FEDHPD_ACTIVATION_IDENTITY) {
            const float *output = h + (size_t)r * in;
            for (int k = 0; k < in; k++) row[k] = derive(row[k], output[k], derivative);
        }
    }
}

static void parameter_gradients_portable(int rows, int in, int out, const float *z, const float *x,
                                         float *weight_gradient, float *bias_gradient) {
    memset(weight_gradient, 0, sizeof(float) * (size_t)in * (size_t)out);
    memset(bias_gradient, 0, sizeof(float) * (size_t)out);
    for (int r = 0; r < rows; r++) {
        const float *input = x + (size_t)r * in;
        for (int j = 0; j < out; j++) {
            const float value = z[(size_t)r * out + j];
            float *weights = weight_gradient + (size_t)j * in;
            bias_gradient[j] = bias_gradient[j] + value;
            for (int i = 0; i < in; i++) weights[i] = weights[i] + value * input[i];
        }
    }
}

void fedhpd_small_forward(int variant, int rows, int in, int out, const float *x, const float *w, const float *b,
                          int activation, float *y, float *scratch) {
#if defined(__x86_64__)
    if (variant == FEDHPD_SMALL_AVX2) {
        fedhpd_small_forward_avx2(rows, in, out, x, w, b, activation, y, scratch);
        return;
    }
#endif
    forward_portable(rows, in, out, x, w, b, activation, y, scratch);
}

void fedhpd_small_input_gradient(int variant, int rows, int in, int out, const float *z, const float *w,
                                 int accumulate, int derivative, const float *h, float *g, float *scratch) {
#if defined(__x86_64__)
    if (variant == FEDHPD_SMALL_AVX2) {
        fedhpd_small_input_gradient_avx2(rows, in, out, z, w, accumulate, derivative, h, g, scratch);
        return;
    }
#endif
    (void)scratch;
    input_gradient_portable(rows, in, out, z, w, accumulate, derivative, h, g);
}

void fedhpd_small_parameter_gradients(int variant, int rows, int in, int out, const float *z, const float *x,
                                      float *weight_gradient, float *bias_gradient, float *scratch) {
#if defined(__x86_64__)
    if (variant == FEDHPD_SMALL_AVX2) {
        fedhpd_small_parameter_gradients_avx2(rows, in, out, z, x, weight_gradient, bias_gradient, scratch);
        return;
    }
#endif
    (void)scratch;
    parameter_gradients_portable(rows, in, out, z, x, weight_gradient, bias_gradient);
}
