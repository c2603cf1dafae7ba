// findoc's int8 matrix kernel: y = x · wᵀ in int32, for per-row / per-channel quantised linear layers.
// One entry point; the implementation picks AVX-512 VNNI, AVX2 or portable C at run time (__builtin_cpu_supports),
// so the library is built without any -m flags and runs on any x86-64 (and elsewhere, portably).
#ifndef FINDOC_KERNELS_H
#define FINDOC_KERNELS_H
#include <stdint.h>

/// y[r·n + o] = Σ_j x[r·k + j] · w[o·k + j] for r < rows, o < n. `w_sums[o]` = Σ_j w[o·k + j] (the VNNI path
/// computes with x + 128 as unsigned bytes and subtracts 128 · w_sums). k must be a multiple of 64.
void findoc_int8_gemm(const int8_t *x, const int8_t *w, const int32_t *w_sums, int32_t *y, int rows, int n, int k);

/// Which path findoc_int8_gemm takes on this CPU: 2 AVX-512 VNNI, 1 AVX2, 0 portable C.
int findoc_int8_kernel_kind(void);

/// Forces a path for tests (-1 restores automatic choice); a path the CPU lacks falls back to portable.
void findoc_int8_force_kernel(int kind);
#endif
