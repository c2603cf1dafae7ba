import COpenBLAS
import Foundation

/// The scalar the fine-tuning core computes in: `Float` for training, `Double` for the finite-difference gradient
/// check (in single precision a central difference loses about half the digits, too few to check a gradient).
///
/// The core is generic over it so that exactly the code that trains is the code that is checked; every matrix
/// product dispatches to `cblas_sgemm` or `cblas_dgemm`.
protocol TrainingScalar: BinaryFloatingPoint, Sendable {
    /// `c[m×n] = alpha · op(a) · op(b) + beta · c`, row-major; `op` transposes when asked. `a` is `[m×k]` (or
    /// `[k×m]` transposed), `b` is `[k×n]` (or `[n×k]` transposed).
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Self,
        a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int, beta: Self,
        c: UnsafeMutablePointer<Self>, ldc: Int)
    /// e^x.
    static func exponential(_ x: Self) -> Self
    /// ln x.
    static func logarithm(_ x: Self) -> Self
    /// The error function (GELU's erf form).
    static func errorFunction(_ x: Self) -> Self
}

extension Float: TrainingScalar {
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }
    static func exponential(_ x: Float) -> Float { Foundation.exp(x) }
    static func logarithm(_ x: Float) -> Float { Foundation.log(x) }
    // The inference kernel's vectorisable approximation (|error| < 5e-7), so training and inference agree.
    static func errorFunction(_ x: Float) -> Float { GELUKernel.erf(x) }
}

extension Double: TrainingScalar {
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
        a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int, beta: Double,
        c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        cblas_dgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }
    static func exponential(_ x: Double) -> Double { Foundation.exp(x) }
    static func logarithm(_ x: Double) -> Double { Foundation.log(x) }
    static func errorFunction(_ x: Double) -> Double { Foundation.erf(x) }
}

/// A fixed-size buffer of scalars owned by one worker thread (activations, scratch, per-thread gradients).
///
/// A class around a raw allocation rather than an array so the per-layer functions pass plain pointers, with no
/// exclusivity checks or copy-on-write in the hot loops. Never shared between threads while written.
final class TrainingBuffer<S: TrainingScalar> {
    /// The first element.
    let pointer: UnsafeMutablePointer<S>
    /// Element count.
    let count: Int

    /// `count` zeros.
    init(count: Int) {
        self.count = count
        pointer = UnsafeMutablePointer<S>.allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    /// A copy of `values`.
    convenience init(_ values: [S]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { pointer.update(from: base, count: values.count) }
        }
    }

    deinit { pointer.deallocate() }

    /// Sets every element to zero.
    func zero() { pointer.update(repeating: 0, count: count) }

    /// The elements as an array.
    var array: [S] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}

/// Dropout masks and adapter initialisation draw from the package's `SplitMix64` (same numbers on every platform).
extension SplitMix64 {
    /// A uniform double in [0, 1).
    mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// The stream for one example of one mini-batch: the batch seed and the example's index mixed, so an example's
    /// dropout does not depend on which worker runs it or on its neighbours.
    static func forExample(_ index: Int, batchSeed: UInt64) -> SplitMix64 {
        var mixer = SplitMix64(seed: batchSeed ^ (UInt64(truncatingIfNeeded: index) &* 0xD6E8_FEB8_6659_FD93))
        return SplitMix64(seed: mixer.next())
    }
}
