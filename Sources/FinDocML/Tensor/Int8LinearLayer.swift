import CFinDocKernels

/// A linear layer with int8 weights, one scale per output channel, run on int8 activations quantised per row.
///
/// `y[r, o] = sx[r] · sw[o] · Σ_j qx[r, j] · qw[o, j] + bias[o]`, where `qw = round(w / sw)` with
/// `sw[o] = max_j |w[o, j]| / 127` and likewise per row of the input. Symmetric quantisation keeps zero exact, and
/// the integer products run in `CFinDocKernels` (AVX-512 VNNI, AVX2 or portable C, chosen at run time).
struct Int8LinearLayer: Sendable {
    let inputs: Int
    let outputs: Int
    let weights: [Int8]
    let scales: [Float]
    let sums: [Int32]
    let bias: [Float]

    /// Quantises a `[outputs, inputs]` float weight (PyTorch layout).
    init(weight: [Float], bias: [Float], outputs: Int, inputs: Int) {
        self.inputs = inputs
        self.outputs = outputs
        self.bias = bias
        var quantized = [Int8](repeating: 0, count: outputs * inputs)
        var scales = [Float](repeating: 1, count: outputs)
        var sums = [Int32](repeating: 0, count: outputs)
        for o in 0..<outputs {
            let row = weight[(o * inputs)..<((o + 1) * inputs)]
            let largest = row.reduce(0) { max($0, abs($1)) }
            let scale = largest > 0 ? largest / 127 : 1
            scales[o] = scale
            var sum: Int32 = 0
            for (j, value) in row.enumerated() {
                // Int8(exactly:) also turns a NaN weight of a corrupt file into 0 instead of trapping.
                let q = Int8(exactly: (value / scale).rounded()) ?? 0
                quantized[o * inputs + j] = q
                sum += Int32(q)
            }
            sums[o] = sum
        }
        weights = quantized
        self.scales = scales
        self.sums = sums
    }

    /// `y[rows × outputs] = x[rows × inputs] · Wᵀ + bias`, through int8.
    func apply(x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
        guard rows > 0 else { return }
        let qx = UnsafeMutablePointer<Int8>.allocate(capacity: rows * inputs)
        let rowScales = UnsafeMutablePointer<Float>.allocate(capacity: rows)
        let acc = UnsafeMutablePointer<Int32>.allocate(capacity: rows * outputs)
        defer {
            qx.deallocate()
            rowScales.deallocate()
            acc.deallocate()
        }
        for r in 0..<rows {
            let v = x + r * inputs
            var largest: Float = 0
            for j in 0..<inputs { largest = max(largest, abs(v[j])) }
            let scale = largest > 0 ? largest / 127 : 1
            rowScales[r] = scale
            let inverse = 1 / scale
            let q = qx + r * inputs
            for j in 0..<inputs { q[j] = Int8(exactly: (v[j] * inverse).rounded()) ?? 0 }
        }
        weights.withUnsafeBufferPointer { w in
            sums.withUnsafeBufferPointer { s in
                findoc_int8_gemm(qx, w.baseAddress, s.baseAddress, acc, Int32(rows), Int32(outputs), Int32(inputs))
            }
        }
        scales.withUnsafeBufferPointer { sw in
            bias.withUnsafeBufferPointer { b in
                for r in 0..<rows {
                    let sx = rowScales[r]
                    let out = y + r * outputs
                    let a = acc + r * outputs
                    for o in 0..<outputs { out[o] = Float(a[o]) * (sx * sw[o]) + b[o] }
                }
            }
        }
    }
}
