// The two kernels of a softmax decision: the exponentials with their sum, and the best k. See include/FinDocKernels.h.
//
// Why not expf: the category model scores 115 labels per item, and a callgrind profile of prediction put libm's
// scalar expf (about 25 instructions a call, never vectorised) at 11% of all instructions. This is the classic
// range reduction x = n·ln2 + r with a degree-6 polynomial for e^r (the Cephes single-precision coefficients,
// relative error under 1e-7 against double-precision exp), eight lanes at a time with AVX2 and FMA.
//
// Both paths run the same float operations in the same order (fused multiply-adds included, and the same lane
// layout for the sum), so they return the same bits; tests compare them.
#include "FinDocKernels.h"

#include <math.h>
#include <string.h>

// No contraction of a·b + c into a fused multiply-add behind our back: the two paths must round alike.
#pragma STDC FP_CONTRACT OFF

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define FINDOC_X86 1
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

// Below ln(FLT_MIN) the result would be subnormal; it is returned as 0 (against a sum of at least 1 it is nothing).
#define EXP_LOW (-87.33654f)
#define EXP_HIGH (88.37626f)
#define LOG2E 1.44269504088896341f
#define LN2_HI 0.693359375f
#define LN2_LO (-2.12194440e-4f)
#define P0 1.9875691500e-4f
#define P1 1.3981999507e-3f
#define P2 8.3334519073e-3f
#define P3 4.1665795894e-2f
#define P4 1.6666665459e-1f
#define P5 5.0000001201e-1f

static int forced_kind = -1;

// Tests force a path while other threads may be classifying: relaxed atomics keep that free of data races (both
// paths give the same bits, so which one a racing caller takes does not matter).
void findoc_exp_force_kernel(int kind) { __atomic_store_n(&forced_kind, kind, __ATOMIC_RELAXED); }

// What this CPU supports: 1 AVX2 with FMA, 0 otherwise.
static int detect(void) {
#if FINDOC_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 1;
#endif
    return 0;
}

int findoc_exp_kernel_kind(void) {
    int detected = detect();
    int forced = __atomic_load_n(&forced_kind, __ATOMIC_RELAXED);
    if (forced >= 0) return forced <= detected ? forced : 0;
    return detected;
}

// One lane, exactly as the AVX2 path computes it.
static inline float exp_lane(float x) {
    // As _mm256_max_ps / _mm256_min_ps pick (the second operand when the comparison fails, so NaN becomes EXP_LOW).
    float t = x > EXP_LOW ? x : EXP_LOW;
    t = t < EXP_HIGH ? t : EXP_HIGH;
    float n = nearbyintf(t * LOG2E);
    float r = fmaf(n, -LN2_HI, t);
    r = fmaf(n, -LN2_LO, r);
    float p = fmaf(P0, r, P1);
    p = fmaf(p, r, P2);
    p = fmaf(p, r, P3);
    p = fmaf(p, r, P4);
    p = fmaf(p, r, P5);
    float r2 = r * r;
    float y = fmaf(p, r2, r) + 1.0f;
    uint32_t bits = (uint32_t)((int32_t)n + 127) << 23;
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    y = y * scale;
    return x < EXP_LOW ? 0.0f : y;
}

// The lanes' partial sums folded as the AVX2 path folds them: halves, then pairs, then the last two.
static inline float fold8(const float a[8]) {
    float b0 = a[0] + a[4], b1 = a[1] + a[5], b2 = a[2] + a[6], b3 = a[3] + a[7];
    return (b0 + b2) + (b1 + b3);
}

// The lanes' sum folded, then the last n − i (fewer than eight) values one by one: the ending both paths share.
static inline float finish(const float lanes[8], const float *x, float *out, size_t i, size_t n, float peak,
                           float scale) {
    float sum = fold8(lanes);
    for (; i < n; i++) {
        float e = exp_lane((x[i] - peak) * scale);
        out[i] = e;
        sum += e;
    }
    return sum;
}

static float exp_sum_portable(const float *x, float *out, size_t n, float peak, float scale) {
    float lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        for (int l = 0; l < 8; l++) {
            float e = exp_lane((x[i + l] - peak) * scale);
            out[i + l] = e;
            lanes[l] += e;
        }
    }
    return finish(lanes, x, out, i, n, peak, scale);
}

#if FINDOC_X86
__attribute__((target("avx2,fma"))) static float exp_sum_avx2(const float *x, float *out, size_t n, float peak,
                                                                float scale) {
    const __m256 low = _mm256_set1_ps(EXP_LOW), high = _mm256_set1_ps(EXP_HIGH);
    const __m256 vpeak = _mm256_set1_ps(peak), vscale = _mm256_set1_ps(scale);
    __m256 lanes = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 v = _mm256_mul_ps(_mm256_sub_ps(_mm256_loadu_ps(x + i), vpeak), vscale);
        // max/min with the operand order that keeps the comparisons of exp_lane (x itself when x is in range).
        __m256 t = _mm256_min_ps(_mm256_max_ps(v, low), high);
        __m256 m = _mm256_round_ps(_mm256_mul_ps(t, _mm256_set1_ps(LOG2E)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        __m256 r = _mm256_fmadd_ps(m, _mm256_set1_ps(-LN2_HI), t);
        r = _mm256_fmadd_ps(m, _mm256_set1_ps(-LN2_LO), r);
        __m256 p = _mm256_fmadd_ps(_mm256_set1_ps(P0), r, _mm256_set1_ps(P1));
        p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(P2));
        p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(P3));
        p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(P4));
        p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(P5));
        __m256 r2 = _mm256_mul_ps(r, r);
        __m256 y = _mm256_add_ps(_mm256_fmadd_ps(p, r2, r), _mm256_set1_ps(1.0f));
        __m256i bits = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(m), _mm256_set1_epi32(127)), 23);
        y = _mm256_mul_ps(y, _mm256_castsi256_ps(bits));
        y = _mm256_andnot_ps(_mm256_cmp_ps(v, low, _CMP_LT_OQ), y);
        _mm256_storeu_ps(out + i, y);
        lanes = _mm256_add_ps(lanes, y);
    }
    float a[8];
    _mm256_storeu_ps(a, lanes);
    return finish(a, x, out, i, n, peak, scale);
}
#endif

float findoc_exp_sum(const float *x, float *out, size_t n, float peak, float scale) {
#if FINDOC_X86
    // Detected once; callers run on several threads, hence the atomics (a racing first call just detects twice).
    static int detected = -1;
    int kind = __atomic_load_n(&detected, __ATOMIC_RELAXED);
    int forced = __atomic_load_n(&forced_kind, __ATOMIC_RELAXED);
    if (kind < 0) {
        kind = detect();
        __atomic_store_n(&detected, kind, __ATOMIC_RELAXED);
    }
    if (forced >= 0) kind = forced <= kind ? forced : 0;
    if (kind == 1) return exp_sum_avx2(x, out, n, peak, scale);
#endif
    return exp_sum_portable(x, out, n, peak, scale);
}

// Puts x[i] into its place in top[0..<places] when it beats the last place; returns the new last place's value.
static inline float top_k_consider(const float *x, size_t i, int32_t *top, int places, float floor) {
    if (!(floor < x[i])) return floor;
    int at = places - 1;
    while (at > 0 && x[top[at - 1]] < x[i]) {
        top[at] = top[at - 1];
        at--;
    }
    top[at] = (int32_t)i;
    return x[top[places - 1]];
}

int findoc_top_k(const float *x, size_t n, int32_t *top, int k) {
    int places = k < 0 ? 0 : ((size_t)k < n ? k : (int)n);
    if (places == 0) return 0;
    // The first `places` values by insertion, then each later one that beats the last place. Strict comparisons
    // keep the lower index first among ties.
    for (int i = 0; i < places; i++) {
        int at = i;
        while (at > 0 && x[top[at - 1]] < x[i]) {
            top[at] = top[at - 1];
            at--;
        }
        top[at] = i;
    }
    float floor = x[top[places - 1]];
    size_t i = (size_t)places;
#if defined(__SSE2__)
    // Most values lose to the last place: four at a time are compared with it, and only a block holding a winner is
    // walked one by one (NaN compares false, as in the scalar test).
    for (; i + 4 <= n; i += 4) {
        if (_mm_movemask_ps(_mm_cmplt_ps(_mm_set1_ps(floor), _mm_loadu_ps(x + i))) == 0) continue;
        for (size_t j = i; j < i + 4; j++) floor = top_k_consider(x, j, top, places, floor);
    }
#endif
    for (; i < n; i++) floor = top_k_consider(x, i, top, places, floor);
    return places;
}
