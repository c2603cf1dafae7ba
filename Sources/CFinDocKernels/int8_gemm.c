// int8 GEMM with runtime CPU dispatch. See include/FinDocKernels.h.
//
// The paths compute exactly the same integers (int32 accumulation cannot overflow for k ≤ 2^17 with |values| ≤ 127),
// so tests compare them bit for bit.
#include "FinDocKernels.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define FINDOC_X86 1
#endif

static int forced_kind = -1;

void findoc_int8_force_kernel(int kind) { forced_kind = kind; }

static int detected_kind(void) {
#if FINDOC_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vnni"))
        return 2;
    if (__builtin_cpu_supports("avx2")) return 1;
#endif
    return 0;
}

int findoc_int8_kernel_kind(void) {
    int detected = detected_kind();
    if (forced_kind >= 0) return forced_kind <= detected ? forced_kind : 0;
    return detected;
}

// Portable C: four outputs at a time so each x value is loaded once per four products.
static void gemm_portable(const int8_t *x, const int8_t *w, int32_t *y, int rows, int n, int k) {
    for (int r = 0; r < rows; r++) {
        const int8_t *xr = x + (size_t)r * k;
        int o = 0;
        for (; o + 4 <= n; o += 4) {
            const int8_t *w0 = w + (size_t)o * k, *w1 = w0 + k, *w2 = w1 + k, *w3 = w2 + k;
            int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
            for (int j = 0; j < k; j++) {
                int32_t v = xr[j];
                a0 += v * w0[j];
                a1 += v * w1[j];
                a2 += v * w2[j];
                a3 += v * w3[j];
            }
            int32_t *yr = y + (size_t)r * n + o;
            yr[0] = a0; yr[1] = a1; yr[2] = a2; yr[3] = a3;
        }
        for (; o < n; o++) {
            const int8_t *wo = w + (size_t)o * k;
            int32_t a = 0;
            for (int j = 0; j < k; j++) a += (int32_t)xr[j] * wo[j];
            y[(size_t)r * n + o] = a;
        }
    }
}

#if FINDOC_X86
// AVX2: sign-extend 16 bytes to 16-bit lanes, multiply-add pairs into 32-bit lanes (no saturation possible).
__attribute__((target("avx2"))) static inline int32_t hsum256(__m256i v) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
    return _mm_cvtsi128_si32(s);
}

__attribute__((target("avx2"))) static void gemm_avx2(const int8_t *x, const int8_t *w, int32_t *y, int rows, int n,
                                                      int k) {
    for (int o = 0; o < n; o += 4) {
        int count = n - o < 4 ? n - o : 4;
        for (int r = 0; r < rows; r++) {
            const int8_t *xr = x + (size_t)r * k;
            __m256i acc[4] = {_mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256(),
                              _mm256_setzero_si256()};
            for (int j = 0; j < k; j += 16) {
                __m256i xv = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(xr + j)));
                for (int q = 0; q < count; q++) {
                    __m256i wv =
                        _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(w + (size_t)(o + q) * k + j)));
                    acc[q] = _mm256_add_epi32(acc[q], _mm256_madd_epi16(xv, wv));
                }
            }
            for (int q = 0; q < count; q++) y[(size_t)r * n + o + q] = hsum256(acc[q]);
        }
    }
}

// AVX-512 VNNI: vpdpbusd multiplies unsigned by signed bytes, so x is shifted by +128 into unsigned range and
// 128 · Σw is subtracted afterwards.
__attribute__((target("avx512f,avx512bw,avx512vnni"))) static void gemm_vnni(const int8_t *x, const int8_t *w,
                                                                             const int32_t *w_sums, int32_t *y,
                                                                             int rows, int n, int k) {
    uint8_t *xu = (uint8_t *)malloc((size_t)rows * k);
    if (!xu) {
        gemm_portable(x, w, y, rows, n, k);
        return;
    }
    const __m512i bias = _mm512_set1_epi8((char)0x80);
    for (size_t i = 0; i < (size_t)rows * k; i += 64) {
        __m512i v = _mm512_loadu_si512((const void *)(x + i));
        _mm512_storeu_si512((void *)(xu + i), _mm512_xor_si512(v, bias));  // x + 128 as unsigned
    }
    for (int o = 0; o < n; o += 4) {
        int count = n - o < 4 ? n - o : 4;
        for (int r = 0; r < rows; r++) {
            const uint8_t *xr = xu + (size_t)r * k;
            __m512i acc[4] = {_mm512_setzero_si512(), _mm512_setzero_si512(), _mm512_setzero_si512(),
                              _mm512_setzero_si512()};
            for (int j = 0; j < k; j += 64) {
                __m512i xv = _mm512_loadu_si512((const void *)(xr + j));
                for (int q = 0; q < count; q++) {
                    __m512i wv = _mm512_loadu_si512((const void *)(w + (size_t)(o + q) * k + j));
                    acc[q] = _mm512_dpbusd_epi32(acc[q], xv, wv);
                }
            }
            for (int q = 0; q < count; q++)
                y[(size_t)r * n + o + q] = _mm512_reduce_add_epi32(acc[q]) - 128 * w_sums[o + q];
        }
    }
    free(xu);
}
#endif

void findoc_int8_gemm(const int8_t *x, const int8_t *w, const int32_t *w_sums, int32_t *y, int rows, int n, int k) {
    if (rows <= 0 || n <= 0) return;
#if FINDOC_X86
    switch (findoc_int8_kernel_kind()) {
    case 2: gemm_vnni(x, w, w_sums, y, rows, n, k); return;
    case 1: gemm_avx2(x, w, y, rows, n, k); return;
    default: break;
    }
#endif
    (void)w_sums;
    gemm_portable(x, w, y, rows, n, k);
}
