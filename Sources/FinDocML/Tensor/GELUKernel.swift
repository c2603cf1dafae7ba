/// The exact (erf-based) GELU of BERT, `gelu(x) = x/2 · (1 + erf(x/√2))`, applied in place.
///
/// `erf` from libm is a call per element and the FFN applies it to 1,536 values per token per layer, which would
/// cost about as much as the matrix products; `erf` here is a rational approximation (the form Eigen and XLA use
/// for float), branch-free so the loop vectorises, and within 5e-7 of the exact value (`EncoderKernelTests` checks it
/// against libm's `erf`).
enum GELUKernel {
    /// Applies GELU to `count` values in place.
    static func apply(_ x: UnsafeMutablePointer<Float>, count: Int) {
        let invSqrt2: Float = 0.707_106_781_186_547_524_4
        for i in 0..<count {
            let v = x[i]
            x[i] = 0.5 * v * (1 + erf(v * invSqrt2))
        }
    }

    /// erf(x) for Float, |error| below 5e-7 (the result saturates to ±1 beyond |x| = 4).
    @inline(__always)
    static func erf(_ input: Float) -> Float {
        let x = min(max(input, -4), 4)
        let x2 = x * x
        var p: Float = -2.726_142_258_013_06e-10
        p = p * x2 + 2.770_681_424_959_02e-08
        p = p * x2 + -2.101_024_020_825_08e-06
        p = p * x2 + -5.692_506_394_623_46e-05
        p = p * x2 + -7.349_906_303_268_55e-04
        p = p * x2 + -2.954_599_808_540_25e-03
        p = p * x2 + -1.609_603_332_624_15e-02
        p *= x
        var q: Float = -1.456_607_184_649_96e-05
        q = q * x2 + -2.133_740_552_789_05e-04
        q = q * x2 + -1.682_826_974_382_03e-03
        q = q * x2 + -7.373_329_167_204_68e-03
        q = q * x2 + -1.426_473_905_141_89e-02
        return p / q
    }
}
