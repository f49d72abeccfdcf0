// The AVX2 + FMA variant of the small-layer kernels. Every function carries target("avx2,fma"), so the rest of the
// package stays baseline x86-64 and this code runs only when HPDTensor has checked the CPU (cpuid + xgetbv).
//
// All three kernels are one register-tiled product C = A·B: a tile of up to 4 rows of C × 16 columns lives in 8
// registers; for each inner index p it loads one (zero-padded, packed) row of B and broadcasts one element of A
// per tile row, then fuses the epilogue (bias and activation, or the activation derivative) into the store.
// Each element's sum runs over p in increasing order with one fused multiply-add per term.
#include "SmallKernelsInternal.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include <stdint.h>
#include <string.h>

#pragma clang fp contract(off)

#define KERNEL static inline __attribute__((always_inline, target("avx2,fma")))
#define ENTRY __attribute__((target("avx2,fma")))

static const int32_t lane_table[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};

/// The first `count` (1…7) lanes.
KERNEL __m256i lanes(int count) { return _mm256_loadu_si256((const __m256i *)(lane_table + 8 - count)); }

/// `count` floats from `source` (all 8 when count ≥ 8, zeros beyond count).
KERNEL __m256 load_lanes(const float *source, int count) {
    if (count >= 8) return _mm256_loadu_ps(source);
    if (count <= 0) return _mm256_setzero_ps();
    return _mm256_maskload_ps(source, lanes(count));
}

KERNEL void store_lanes(float *target, __m256 value, int count) {
    if (count >= 8) _mm256_storeu_ps(target, value);
    else if (count > 0) _mm256_maskstore_ps(target, lanes(count), value);
}

/// Tensor.fastTanh on 8 lanes, operation for operation (clamp, two polynomials without fused multiply-adds, the
/// quotient, the identity below 0.0004), so it matches the Swift function bit for bit.
KERNEL __m256 tanh8(__m256 input) {
    const __m256 limit = _mm256_set1_ps(7.90531110763549805f);
    const __m256 x = _mm256_min_ps(limit, _mm256_max_ps(_mm256_set1_ps(-7.90531110763549805f), input));
    const __m256 x2 = _mm256_mul_ps(x, x);
    __m256 p = _mm256_set1_ps(-2.76076847742355e-16f);
    p = _mm256_add_ps(_mm256_mul_ps(p, x2), _mm256_set1_ps(2.00018790482477e-13f));
    p = _mm256_sub_ps(_mm256_mul_ps(p, x2), _mm256_set1_ps(8.60467152213735e-11f));
    p = _mm256_add_ps(_mm256_mul_ps(p, x2), _mm256_set1_ps(5.12229709037114e-08f));
    p = _mm256_add_ps(_mm256_mul_ps(p, x2), _mm256_set1_ps(1.48572235717979e-05f));
    p = _mm256_add_ps(_mm256_mul_ps(p, x2), _mm256_set1_ps(6.37261928875436e-04f));
    p = _mm256_add_ps(_mm256_mul_ps(p, x2), _mm256_set1_ps(4.89352455891786e-03f));
    p = _mm256_mul_ps(p, x);
    __m256 q = _mm256_set1_ps(1.19825839466702e-06f);
    q = _mm256_add_ps(_mm256_mul_ps(q, x2), _mm256_set1_ps(1.18534705686654e-04f));
    q = _mm256_add_ps(_mm256_mul_ps(q, x2), _mm256_set1_ps(2.26843463243900e-03f));
    q = _mm256_add_ps(_mm256_mul_ps(q, x2), _mm256_set1_ps(4.89352518554385e-03f));
    const __m256 magnitude = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), input);
    const __m256 tiny = _mm256_cmp_ps(magnitude, _mm256_set1_ps(0.0004f), _CMP_LT_OQ);
    return _mm256_blendv_ps(_mm256_div_ps(p, q), input, tiny);
}

KERNEL __m256 activate(__m256 value, int activation) {
    if (activation == FEDHPD_ACTIVATION_RELU) {
        const __m256 zero = _mm256_setzero_ps(); // Swift's max(v, 0): 0 where 0 ≥ v, v otherwise (NaN kept)
        return _mm256_blendv_ps(value, zero, _mm256_cmp_ps(zero, value, _CMP_GE_OQ));
    }
    if (activation == FEDHPD_ACTIVATION_TANH) return tanh8(value);
    return value;
}

KERNEL __m256 derive(__m256 gradient, __m256 output, int derivative) {
    if (derivative == FEDHPD_ACTIVATION_RELU)
        return _mm256_and_ps(_mm256_cmp_ps(output, _mm256_setzero_ps(), _CMP_GT_OQ), gradient);
    if (derivative == FEDHPD_ACTIVATION_TANH)
        return _mm256_mul_ps(gradient, _mm256_sub_ps(_mm256_set1_ps(1), _mm256_mul_ps(output, output)));
    return gradient;
}

/// acc[r][v] += Σ_p A(r, p)·B(p, 8v…8v+7) for p in 0..<depth, A(r, p) = a[r·a_row + p·a_inner], B rows `b_row` apart.
KERNEL void multiply_tile(const int tile_rows, const int vectors, int depth, const float *a, size_t a_row,
                          size_t a_inner, const float *b, size_t b_row, __m256 acc[4][2]) {
    for (int p = 0; p < depth; p++) {
        __m256 right[2];
        for (int v = 0; v < vectors; v++) right[v] = _mm256_loadu_ps(b + (size_t)p * b_row + 8 * v);
        for (int r = 0; r < tile_rows; r++) {
            const __m256 left = _mm256_broadcast_ss(a + r * a_row + (size_t)p * a_inner);
            for (int v = 0; v < vectors; v++) acc[r][v] = _mm256_fmadd_ps(left, right[v], acc[r][v]);
        }
    }
}

// MARK: forward, y = act(x·Wᵀ + b)

KERNEL void forward_tile(const int tile_rows, const int vectors, int in, int out, int padded, int column,
                         const float *x, const float *transposed, const float *bias, int activation, float *y) {
    __m256 acc[4][2];
    for (int r = 0; r < tile_rows; r++)
        for (int v = 0; v < vectors; v++) acc[r][v] = _mm256_loadu_ps(bias + column + 8 * v);
    multiply_tile(tile_rows, vectors, in, x, (size_t)in, 1, transposed + column, (size_t)padded, acc);
    for (int r = 0; r < tile_rows; r++)
        for (int v = 0; v < vectors; v++)
            store_lanes(y + (size_t)r * out + column + 8 * v, activate(acc[r][v], activation), out - column - 8 * v);
}

KERNEL void forward_rows(const int tile_rows, int in, int out, int padded, const float *x, const float *transposed,
                         const float *bias, int activation, float *y) {
    int column = 0;
    for (; column + 16 <= padded; column += 16)
        forward_tile(tile_rows, 2, in, out, padded, column, x, transposed, bias, activation, y);
    if (column < padded) forward_tile(tile_rows, 1, in, out, padded, column, x, transposed, bias, activation, y);
}

ENTRY void fedhpd_small_forward_avx2(int rows, int in, int out, const float *x, const float *w, const float *b,
                                     int activation, float *y, float *scratch) {
    const int padded = fedhpd_small_round8(out);
    float *transposed = scratch, *bias = scratch + (size_t)in * padded; // Wᵀ and b, zero-padded to `padded`
    for (int p = 0; p < in; p++)
        for (int j = 0; j < padded; j++) transposed[(size_t)p * padded + j] = j < out ? w[(size_t)j * in + p] : 0;
    for (int j = 0; j < padded; j++) bias[j] = j < out ? b[j] : 0;
    int r = 0;
    for (; r + 4 <= rows; r += 4)
        forward_rows(4, in, out, padded, x + (size_t)r * in, transposed, bias, activation, y + (size_t)r * out);
    for (; r < rows; r++)
        forward_rows(1, in, out, padded, x + (size_t)r * in, transposed, bias, activation, y + (size_t)r * out);
}

// MARK: input gradient, g = (accumulate ? g : 0) + z·W, then ⊙ act′(h)

KERNEL void input_tile(const int tile_rows, const int vectors, int in, int out, int padded, int column,
                       const float *z, const float *weights, int accumulate, int derivative, const float *h,
                       float *g) {
    __m256 acc[4][2];
    for (int r = 0; r < tile_rows; r++)
        for (int v = 0; v < vectors; v++)
            acc[r][v] = accumulate ? load_lanes(g + (size_t)r * in + column + 8 * v, in - column - 8 * v)
                                   : _mm256_setzero_ps();
    multiply_tile(tile_rows, vectors, out, z, (size_t)out, 1, weights + column, (size_t)padded, acc);
    for (int r = 0; r < tile_rows; r++)
        for (int v = 0; v < vectors; v++) {
            const int count = in - column - 8 * v;
            __m256 value = acc[r][v];
            if (derivative != FEDHPD_ACTIVATION_IDENTITY)
                value = derive(value, load_lanes(h + (size_t)r * in + column + 8 * v, count), derivative);
            store_lanes(g + (size_t)r * in + column + 8 * v, value, count);
        }
}

KERNEL void input_rows(const int tile_rows, int in, int out, int padded, const float *z, const float *weights,
                       int accumulate, int derivative, const float *h, float *g) {
    int column = 0;
    for (; column + 16 <= padded; column += 16)
        input_tile(tile_rows, 2, in, out, padded, column, z, weights, accumulate, derivative, h, g);
    if (column < padded)
        input_tile(tile_rows, 1, in, out, padded, column, z, weights, accumulate, derivative, h, g);
}

ENTRY void fedhpd_small_input_gradient_avx2(int rows, int in, int out, const float *z, const float *w,
                                            int accumulate, int derivative, const float *h, float *g,
                                            float *scratch) {
    const int padded = fedhpd_small_round8(in);
    float *weights = scratch; // W, rows zero-padded to `padded`
    for (int j = 0; j < out; j++)
        for (int k = 0; k < padded; k++) weights[(size_t)j * padded + k] = k < in ? w[(size_t)j * in + k] : 0;
    int r = 0;
    for (; r + 4 <= rows; r += 4) {
        const size_t offset = (size_t)r * in;
        input_rows(4, in, out, padded, z + (size_t)r * out, weights, accumulate, derivative, h + offset, g + offset);
    }
    for (; r < rows; r++) {
        const size_t offset = (size_t)r * in;
        input_rows(1, in, out, padded, z + (size_t)r * out, weights, accumulate, derivative, h + offset, g + offset);
    }
}

// MARK: parameter gradients, W̄ = zᵀ·x and b̄ = Σ_rows z

/// Adds Σ over `depth` rows of A(r, p)·B(p, ·) to the accumulator tile at acc_rows (rows `padded` apart).
KERNEL void reduce_tile(const int tile_rows, const int vectors, int depth, const float *a, size_t a_stride,
                        const float *block, int padded, float *accumulator) {
    __m256 acc[4][2];
    for (int r = 0; r < tile_rows; r++)
        for (int v = 0; v < vectors; v++) acc[r][v] = _mm256_loadu_ps(accumulator + (size_t)r * padded + 8 * v);
    multiply_tile(tile_rows, vectors, depth, a, 1, a_stride, block, (size_t)padded, acc);
    for (int r = 0; r < tile_rows; r++)
        for (int v = 0; v < vectors; v++) _mm256_storeu_ps(accumulator + (size_t)r * padded + 8 * v, acc[r][v]);
}

KERNEL void reduce_rows(const int tile_rows, int depth, const float *a, size_t a_stride, const float *block,
                        int padded, float *accumulator) {
    int column = 0;
    for (; column + 16 <= padded; column += 16)
        reduce_tile(tile_rows, 2, depth, a, a_stride, block + column, padded, accumulator + column);
    if (column < padded) reduce_tile(tile_rows, 1, depth, a, a_stride, block + column, padded, accumulator + column);
}

ENTRY void fedhpd_small_parameter_gradients_avx2(int rows, int in, int out, const float *z, const float *x,
                                                 float *weight_gradient, float *bias_gradient, float *scratch) {
    // Vectorise over the wider of the two sides: C = W̄ᵀ (in × out) when out ≥ in, else C = W̄ (out × in).
    const int wide_out = out >= in;
    const int reduced = wide_out ? in : out, width = wide_out ? out : in, padded = fedhpd_small_round8(width);
    const float *a = wide_out ? x : z, *b = wide_out ? z : x;
    float *accumulator = scratch;                                   // reduced × padded
    float *block = accumulator + (size_t)reduced * padded;          // ROW_BLOCK × padded: rows of B, zero-padded
    float *bias = block + (size_t)FEDHPD_SMALL_ROW_BLOCK * padded; // out
    memset(accumulator, 0, sizeof(float) * (size_t)reduced * padded);
    memset(bias, 0, sizeof(float) * (size_t)out);
    for (int first = 0; first < rows; first += FEDHPD_SMALL_ROW_BLOCK) {
        const int depth = rows - first < FEDHPD_SMALL_ROW_BLOCK ? rows - first : FEDHPD_SMALL_ROW_BLOCK;
        for (int p = 0; p < depth; p++) {
            const float *source = b + (size_t)(first + p) * width;
            float *target = block + (size_t)p * padded;
            memcpy(target, source, sizeof(float) * (size_t)width);
            for (int j = width; j < padded; j++) target[j] = 0;
            const float *gradient = z + (size_t)(first + p) * out;
            for (int j = 0; j < out; j++) bias[j] = bias[j] + gradient[j];
        }
        const float *rows_of_a = a + (size_t)first * reduced;
        int i = 0;
        for (; i + 4 <= reduced; i += 4)
            reduce_rows(4, depth, rows_of_a + i, (size_t)reduced, block, padded, accumulator + (size_t)i * padded);
        for (; i < reduced; i++)
            reduce_rows(1, depth, rows_of_a + i, (size_t)reduced, block, padded, accumulator + (size_t)i * padded);
    }
    for (int j = 0; j < out; j++)
        for (int i = 0; i < in; i++)
            weight_gradient[(size_t)j * in + i] =
                wide_out ? accumulator[(size_t)i * padded + j] : accumulator[(size_t)j * padded + i];
    memcpy(bias_gradient, bias, sizeof(float) * (size_t)out);
}

#endif
