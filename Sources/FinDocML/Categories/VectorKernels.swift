/// `y += a · x` over `n` floats, eight lanes at a time.
///
/// Written with explicit `SIMD8` loads because the plain loop does not vectorise: the compiler cannot prove that
/// `x` and `y` do not overlap, so it kept one scalar multiply-add and a store per element (perf showed the model's
/// scoring 8× slower than this).
@inline(__always)
func axpy(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    var i = 0
    let scale = SIMD8<Float>(repeating: a)
    while i + 8 <= n {
        let xs = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
        let ys = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(y + i).storeBytes(of: ys + scale * xs, as: SIMD8<Float>.self)
        i += 8
    }
    while i < n {
        y[i] += a * x[i]
        i += 1
    }
}
