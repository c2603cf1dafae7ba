// findoc's small C kernels, each chosen at run time by CPU feature so the library is built without any -m flags and
// runs on any x86-64 (and elsewhere, portably):
// - an int8 matrix kernel, y = x · wᵀ in int32, for per-row / per-channel quantised linear layers (AVX-512 VNNI,
//   AVX2 or portable C);
// - SHA-256 block compression with the SHA extensions, used by FinDocCore.SHA256 when the CPU has them;
// - a control-byte count for the format sniffer;
// - the exponentials and their sum for a softmax (AVX2 + FMA or portable C, bit-identical), and its best k.
#ifndef FINDOC_KERNELS_H
#define FINDOC_KERNELS_H
#include <stddef.h>
#include <stdint.h>

/// y[r·n + o] = Σ_j x[r·k + j] · w[o·k + j] for r < rows, o < n. `w_sums[o]` = Σ_j w[o·k + j] (the VNNI path
/// computes with x + 128 as unsigned bytes and subtracts 128 · w_sums). k must be a multiple of 64.
void findoc_int8_gemm(const int8_t *x, const int8_t *w, const int32_t *w_sums, int32_t *y, int rows, int n, int k);

/// Which path findoc_int8_gemm takes on this CPU: 2 AVX-512 VNNI, 1 AVX2, 0 portable C.
int findoc_int8_kernel_kind(void);

/// Forces a path for tests (-1 restores automatic choice); a path the CPU lacks falls back to portable.
void findoc_int8_force_kernel(int kind);

/// SHA-256's 64 round constants (FIPS 180-4 §4.2.2), for both block functions.
const uint32_t *findoc_sha256_round_constants(void);

/// 1 when this CPU has the SHA extensions (with SSSE3 and SSE4.1) that findoc_sha256_compress_hw needs, else 0.
int findoc_sha256_hardware_available(void);

/// Compresses `blocks` consecutive 64-byte blocks at `data` (any alignment) into the SHA-256 state `state` (a..h in
/// host order). Call only when findoc_sha256_hardware_available() returns 1.
void findoc_sha256_compress_hw(uint32_t state[8], const uint8_t *data, size_t blocks);

/// How many of `count` bytes are C0 controls other than tab, LF, VT, FF and CR (below 0x09, or 0x0E–0x1F).
size_t findoc_count_control_bytes(const uint8_t *bytes, size_t count);

/// The index of the first of `count` bytes that a JSON string must escape (a quote, a backslash or a byte below
/// 0x20), or `count` when there is none.
size_t findoc_json_escape_index(const uint8_t *bytes, size_t count);

/// out[i] = e^((x[i] − peak) · scale) for i < n, returning their sum. About 2 ulp from the true exponential; results
/// below FLT_MIN are 0. The AVX2 and portable paths give the same bits.
float findoc_exp_sum(const float *x, float *out, size_t n, float peak, float scale);

/// Which path findoc_exp_sum takes on this CPU: 1 AVX2 with FMA, 0 portable C.
int findoc_exp_kernel_kind(void);

/// Forces a path for tests (-1 restores automatic choice); a path the CPU lacks falls back to portable.
void findoc_exp_force_kernel(int kind);

/// Writes the indices of the min(k, n) largest of x[0..<n] into `top`, largest first (ties: lower index first; NaN
/// never beats a number), and returns how many it wrote.
int findoc_top_k(const float *x, size_t n, int32_t *top, int k);
#endif
