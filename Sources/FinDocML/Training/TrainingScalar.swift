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
    /// e^x for x ≤ 0 (the Gaussian density in GELU's slope), allowed to be a faster approximation.
    static func negativeExponential(_ x: Self) -> Self
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
    // libm's expf is a call per element, which kept the GELU loop scalar (a tenth of a training step in a profile).
    // This branch-free, trap-free form vectorises: e^x = 2^k · e^r with k = round(x·log₂e) (read off the low bits
    // of x·log₂e + 1.5·2²³), |r| ≤ ln2/2, and a degree-6 Taylor polynomial for e^r (relative error below 3e-7);
    // inputs below −87 flush to e^−87 ≈ 1.6e-38.
    @inline(__always)
    static func negativeExponential(_ input: Float) -> Float {
        let x = max(min(input, 0), -87)
        let shifted = x * 1.442_695_04 + 12_582_912
        let k = shifted - 12_582_912
        let r = x - k * 0.693_145_751_953_125 - k * 1.428_606_765_330_187e-6
        var p: Float = 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        return p * Float(bitPattern: (shifted.bitPattern &- 0x4B40_0000 &+ 127) &<< 23)
    }
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
    static func negativeExponential(_ x: Double) -> Double { Foundation.exp(x) }
}

/// A fixed-size buffer of scalars used by one worker thread (activations, scratch, per-thread gradients).
///
/// A class around raw memory rather than an array so the per-layer functions pass plain pointers, with no
/// exclusivity checks or copy-on-write in the hot loops. Never shared between threads while written. Either it owns
/// its allocation, or it is a slice of a `TrainingArena` and valid until that arena's next `reset`.
final class TrainingBuffer<S: TrainingScalar> {
    /// The first element.
    let pointer: UnsafeMutablePointer<S>
    /// Element count.
    let count: Int
    private let owned: Bool

    /// `count` zeros in a new allocation.
    init(count: Int) {
        self.count = count
        pointer = UnsafeMutablePointer<S>.allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
        owned = true
    }

    /// A slice of an arena (already zeroed by it).
    fileprivate init(slice: UnsafeMutablePointer<S>, count: Int) {
        pointer = slice
        self.count = count
        owned = false
    }

    /// A copy of `values`.
    convenience init(_ values: [S]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { pointer.update(from: base, count: values.count) }
        }
    }

    deinit { if owned { pointer.deallocate() } }

    /// Sets every element to zero.
    func zero() { pointer.update(repeating: 0, count: count) }

    /// The elements as an array.
    var array: [S] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}

/// One worker's memory for activations and scratch, kept from batch to batch.
///
/// A training step needs on the order of 100 MB of activations; allocating them afresh per batch made the kernel
/// map and zero new pages every time (about a tenth of a step's time in a profile). The arena hands out zeroed
/// slices of one allocation; when a batch needs more than it holds, the excess is allocated separately and the
/// arena grows to fit at the next `reset`.
final class TrainingArena<S: TrainingScalar>: @unchecked Sendable {
    private var storage: UnsafeMutablePointer<S>
    private var capacity: Int
    private var used = 0
    private var wanted = 0

    /// An empty arena (it sizes itself on first use).
    init() {
        capacity = 0
        storage = UnsafeMutablePointer<S>.allocate(capacity: 1)
    }

    deinit { storage.deallocate() }

    /// Forgets every slice handed out (they must no longer be used) and grows to the last batch's need.
    func reset() {
        if wanted > capacity {
            storage.deallocate()
            capacity = wanted + wanted / 8
            storage = UnsafeMutablePointer<S>.allocate(capacity: capacity)
            storage.initialize(repeating: 0, count: capacity)
        }
        used = 0
        wanted = 0
    }

    /// `count` zeros, from the arena when it has room.
    func buffer(_ count: Int) -> TrainingBuffer<S> {
        // Round slices to 16 elements (64 bytes for Float) so every slice starts on a cache line.
        let size = (max(count, 1) + 15) & ~15
        wanted += size
        guard used + size <= capacity else { return TrainingBuffer(count: count) }
        let slice = storage + used
        used += size
        slice.update(repeating: 0, count: count)
        return TrainingBuffer(slice: slice, count: count)
    }
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
