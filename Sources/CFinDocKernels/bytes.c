// Byte scans for the format sniffer and the JSON writer. See include/FinDocKernels.h.
//
// SSE2 (part of every x86-64 CPU) sixteen bytes at a time; a profile of 1,000 invoices had the plain byte loop
// (Swift or C, which the compiler did not vectorise) at about nine instructions a byte. Portable C elsewhere and
// for the tail; tests compare with a byte loop.
#include "FinDocKernels.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static inline int is_control(uint8_t b) { return b < 0x09 || (b >= 0x0E && b < 0x20); }

size_t findoc_count_control_bytes(const uint8_t *bytes, size_t count) {
    size_t controls = 0;
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i eight = _mm_set1_epi8(8), fourteen = _mm_set1_epi8(14), seventeen = _mm_set1_epi8(17);
    while (i + 16 <= count) {
        // Per-lane counts in bytes, flushed before they can wrap (at most 255 blocks).
        __m128i lanes = _mm_setzero_si128();
        for (int block = 0; block < 255 && i + 16 <= count; block++, i += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(bytes + i));
            // Unsigned b ≤ 8, and unsigned (b − 14) ≤ 17 (14…31), as "min equals the value".
            __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(v, eight), v);
            __m128i shifted = _mm_sub_epi8(v, fourteen);
            __m128i high = _mm_cmpeq_epi8(_mm_min_epu8(shifted, seventeen), shifted);
            // A match is 0xFF (−1): subtracting it adds one.
            lanes = _mm_sub_epi8(lanes, _mm_or_si128(low, high));
        }
        __m128i sums = _mm_sad_epu8(lanes, _mm_setzero_si128());
        controls += (size_t)_mm_cvtsi128_si32(sums) + (size_t)_mm_cvtsi128_si32(_mm_srli_si128(sums, 8));
    }
#endif
    for (; i < count; i++) controls += is_control(bytes[i]);
    return controls;
}

static inline int needs_json_escape(uint8_t b) { return b < 0x20 || b == 0x22 || b == 0x5C; }

size_t findoc_json_escape_index(const uint8_t *bytes, size_t count) {
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8(0x22), backslash = _mm_set1_epi8(0x5C), limit = _mm_set1_epi8(0x1F);
    for (; i + 16 <= count; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(bytes + i));
        // Unsigned b ≤ 0x1F as "min equals the value".
        __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, limit), v);
        __m128i hit = _mm_or_si128(control, _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
        int mask = _mm_movemask_epi8(hit);
        if (mask != 0) return i + (size_t)__builtin_ctz((unsigned)mask);
    }
#endif
    for (; i < count; i++) {
        if (needs_json_escape(bytes[i])) return i;
    }
    return count;
}
