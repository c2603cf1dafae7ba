// OpenBLAS's CBLAS interface (Debian libopenblas-dev; pkg-config "openblas" adds its include folder).
#ifndef FINDOC_COPENBLAS_SHIM_H
#define FINDOC_COPENBLAS_SHIM_H
#include <cblas.h>

// OpenBLAS extensions, declared in its cblas.h; repeated here only as documentation of what FinDocML uses:
// openblas_set_num_threads(int), openblas_get_num_threads(void).
#endif
