/// Layer normalisation over the last dimension: `y = (x − mean) / sqrt(var + eps) · gamma + beta`, in place.
///
/// Mean and (biased) variance are taken in two passes with eight independent partial sums, which the optimiser
/// keeps in vector registers; a single running sum could not be vectorised without reassociating floating point.
enum LayerNormKernel {
    /// Normalises each of `rows` rows of `width` values of `x` in place.
    static func apply(
        _ x: UnsafeMutablePointer<Float>, rows: Int, width: Int,
        gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, epsilon: Float
    ) {
        for row in 0..<rows {
            let v = x + row * width
            let mean = VectorSum.sum(v, count: width) / Float(width)
            let variance = VectorSum.sumOfSquaredDeviations(v, count: width, mean: mean) / Float(width)
            let scale = 1 / (variance + epsilon).squareRoot()
            for i in 0..<width {
                v[i] = (v[i] - mean) * scale * gamma[i] + beta[i]
            }
        }
    }

    /// `x += residual` elementwise, then normalises: the "Add & Norm" step of a transformer layer.
    static func addAndNormalize(
        _ x: UnsafeMutablePointer<Float>, residual: UnsafePointer<Float>, rows: Int, width: Int,
        gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, epsilon: Float
    ) {
        let count = rows * width
        for i in 0..<count { x[i] += residual[i] }
        apply(x, rows: rows, width: width, gamma: gamma, beta: beta, epsilon: epsilon)
    }
}

/// Sums with eight partial accumulators (vectorisable without changing results between runs).
enum VectorSum {
    /// Σ v[i].
    @inline(__always)
    static func sum(_ v: UnsafePointer<Float>, count: Int) -> Float {
        var partial = SIMD8<Float>(repeating: 0)
        var i = 0
        while i + 8 <= count {
            partial += UnsafeRawPointer(v + i).loadUnaligned(as: SIMD8<Float>.self)
            i += 8
        }
        var total = partial.sum()
        while i < count {
            total += v[i]
            i += 1
        }
        return total
    }

    /// Σ (v[i] − mean)².
    @inline(__always)
    static func sumOfSquaredDeviations(_ v: UnsafePointer<Float>, count: Int, mean: Float) -> Float {
        var partial = SIMD8<Float>(repeating: 0)
        let center = SIMD8<Float>(repeating: mean)
        var i = 0
        while i + 8 <= count {
            let d = UnsafeRawPointer(v + i).loadUnaligned(as: SIMD8<Float>.self) - center
            partial += d * d
            i += 8
        }
        var total = partial.sum()
        while i < count {
            let d = v[i] - mean
            total += d * d
            i += 1
        }
        return total
    }

    /// Σ v[i]².
    @inline(__always)
    static func sumOfSquares(_ v: UnsafePointer<Float>, count: Int) -> Float {
        sumOfSquaredDeviations(v, count: count, mean: 0)
    }
}
