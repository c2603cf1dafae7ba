import Foundation

/// Row-wise softmax in place, numerically stable (the row maximum is subtracted before `exp`).
enum SoftmaxKernel {
    /// Softmax over the first `valid` entries of each of `rows` rows (row stride `stride`); entries from `valid`
    /// to `stride` are set to zero, as a padding mask of −∞ would make them.
    static func apply(_ x: UnsafeMutablePointer<Float>, rows: Int, valid: Int, stride: Int) {
        for row in 0..<rows {
            let v = x + row * stride
            var maximum = -Float.infinity
            for j in 0..<valid { maximum = max(maximum, v[j]) }
            var total: Float = 0
            for j in 0..<valid {
                let e = Foundation.exp(v[j] - maximum)
                v[j] = e
                total += e
            }
            let inverse = 1 / total
            for j in 0..<valid { v[j] *= inverse }
            for j in valid..<max(valid, stride) { v[j] = 0 }
        }
    }
}
