import COpenBLAS

/// Row-major single-precision matrix products through OpenBLAS `cblas_sgemm`.
///
/// Every dense layer of the encoder is `Y = X · Wᵀ (+ bias)` with PyTorch's `[out, in]` weight layout, which BLAS
/// reads transposed in place, so no weight is ever copied or re-laid out.
enum BLASMatrixMultiply {
    /// `c[m×n] = alpha · a[m×k] · op(b) + beta · c`, where `op(b)` is `b[k×n]` or, with `transposeB`, `b[n×k]ᵀ`.
    ///
    /// `lda`, `ldb`, `ldc` are row strides in elements, so strided views (one head's columns of a fused
    /// Q/K/V matrix) need no copy.
    @inline(__always)
    static func multiply(
        m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int, transposeB: Bool,
        beta: Float = 0,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }

    /// `y[rows×out] = x[rows×in] · weight[out×in]ᵀ + bias`: a linear layer in PyTorch's layout.
    static func linear(
        x: UnsafePointer<Float>, rows: Int, inputs: Int,
        weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, outputs: Int,
        into y: UnsafeMutablePointer<Float>
    ) {
        // Start from the bias in every row so the product accumulates onto it (beta = 1): one pass fewer.
        for row in 0..<rows {
            (y + row * outputs).update(from: bias, count: outputs)
        }
        multiply(
            m: rows, n: outputs, k: inputs, a: x, lda: inputs, b: weight, ldb: inputs, transposeB: true, beta: 1,
            c: y, ldc: outputs)
    }

    /// Sets the number of OpenBLAS threads for the products that follow (process-wide; the encoder sets it per call,
    /// see `MiniLMEncoder`).
    static func setThreadCount(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }
}
