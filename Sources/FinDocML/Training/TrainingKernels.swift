/// The per-layer forward and backward functions of fine-tuning, llm.c style: each forward keeps what its backward
/// needs, each backward takes the output gradient and returns (or adds) the input gradient and adds parameter
/// gradients. Generic over the scalar so the Double gradient check runs this exact code.
///
/// Conventions: row-major `[rows, width]` activations; weights in PyTorch's `[out, in]` layout; parameter gradients
/// are always ADDED to (a worker's buffers start at zero per batch).
enum TrainingKernels {
    // MARK: - Linear layers with optional low-rank adapters

    /// `y = x·Wᵀ + b (+ s · (x·Aᵀ)·Bᵀ)`; with an adapter, `xa = x·Aᵀ` (`[rows, rank]`) is kept for backward.
    static func linearForward<S: TrainingScalar>(
        _ tensors: LinearTensors, parameters: EncoderParameters<S>, x: UnsafePointer<S>, rows: Int,
        xa: UnsafeMutablePointer<S>?, into y: UnsafeMutablePointer<S>
    ) {
        let n = tensors.outputs
        let k = tensors.inputs
        let bias = parameters[tensors.bias]
        for row in 0..<rows { (y + row * n).update(from: bias, count: n) }
        S.gemm(
            transposeA: false, transposeB: true, m: rows, n: n, k: k, alpha: 1, a: x, lda: k,
            b: parameters[tensors.weight], ldb: k, beta: 1, c: y, ldc: n)
        if let a = tensors.loraA, let b = tensors.loraB, let xa {
            let r = parameters.layout.loraRank
            S.gemm(
                transposeA: false, transposeB: true, m: rows, n: r, k: k, alpha: 1, a: x, lda: k,
                b: parameters[a], ldb: k, beta: 0, c: xa, ldc: r)
            S.gemm(
                transposeA: false, transposeB: true, m: rows, n: n, k: r, alpha: S(parameters.layout.loraScale),
                a: xa, lda: r, b: parameters[b], ldb: r, beta: 1, c: y, ldc: n)
        }
    }

    /// Backward of `linearForward`: adds `dW = dyᵀ·x` and `db = Σ dy` when the base layer trains, `dB = s·dyᵀ·xa`
    /// and `dA = (s·dy·B)ᵀ·x` for an adapter, and writes (`accumulate` false) or adds `dx = dy·W + (s·dy·B)·A`.
    /// Frozen base weights cost no `dW` product at all.
    static func linearBackward<S: TrainingScalar>(
        _ tensors: LinearTensors, parameters: EncoderParameters<S>, gradients: WorkerGradients<S>,
        x: UnsafePointer<S>, xa: UnsafePointer<S>?, dy: UnsafePointer<S>, rows: Int,
        dx: UnsafeMutablePointer<S>?, accumulate: Bool, scratch: UnsafeMutablePointer<S>
    ) {
        let n = tensors.outputs
        let k = tensors.inputs
        if let dW = gradients[tensors.weight] {
            S.gemm(
                transposeA: true, transposeB: false, m: n, n: k, k: rows, alpha: 1, a: dy, lda: n, b: x, ldb: k,
                beta: 1, c: dW, ldc: k)
        }
        if let db = gradients[tensors.bias] {
            for row in 0..<rows {
                let g = dy + row * n
                for j in 0..<n { db[j] += g[j] }
            }
        }
        if let dx {
            S.gemm(
                transposeA: false, transposeB: false, m: rows, n: k, k: n, alpha: 1, a: dy, lda: n,
                b: parameters[tensors.weight], ldb: k, beta: accumulate ? 1 : 0, c: dx, ldc: k)
        }
        if let a = tensors.loraA, let b = tensors.loraB, let xa {
            let r = parameters.layout.loraRank
            let s = S(parameters.layout.loraScale)
            if let dB = gradients[b] {
                S.gemm(
                    transposeA: true, transposeB: false, m: n, n: r, k: rows, alpha: s, a: dy, lda: n, b: xa, ldb: r,
                    beta: 1, c: dB, ldc: r)
            }
            // dxa = s · dy · B, [rows, r]
            let dxa = scratch
            S.gemm(
                transposeA: false, transposeB: false, m: rows, n: r, k: n, alpha: s, a: dy, lda: n,
                b: parameters[b], ldb: r, beta: 0, c: dxa, ldc: r)
            if let dA = gradients[a] {
                S.gemm(
                    transposeA: true, transposeB: false, m: r, n: k, k: rows, alpha: 1, a: dxa, lda: r, b: x, ldb: k,
                    beta: 1, c: dA, ldc: k)
            }
            if let dx {
                S.gemm(
                    transposeA: false, transposeB: false, m: rows, n: k, k: r, alpha: 1, a: dxa, lda: r,
                    b: parameters[a], ldb: k, beta: 1, c: dx, ldc: k)
            }
        }
    }

    // MARK: - LayerNorm

    /// `y = (x − μ)/σ · γ + β` per row, keeping μ and 1/σ per row for backward (`x` is kept by the caller).
    static func layerNormForward<S: TrainingScalar>(
        x: UnsafePointer<S>, rows: Int, width: Int, gamma: UnsafePointer<S>, beta: UnsafePointer<S>, epsilon: S,
        mean: UnsafeMutablePointer<S>, rstd: UnsafeMutablePointer<S>, into y: UnsafeMutablePointer<S>
    ) {
        let w = S(width)
        for row in 0..<rows {
            let v = x + row * width
            var sum: S = 0
            for i in 0..<width { sum += v[i] }
            let mu = sum / w
            var squares: S = 0
            for i in 0..<width {
                let d = v[i] - mu
                squares += d * d
            }
            let inverse = 1 / (squares / w + epsilon).squareRoot()
            mean[row] = mu
            rstd[row] = inverse
            let out = y + row * width
            for i in 0..<width { out[i] = (v[i] - mu) * inverse * gamma[i] + beta[i] }
        }
    }

    /// Backward of `layerNormForward`: writes `dx`, adds `dγ`, `dβ` when those train.
    static func layerNormBackward<S: TrainingScalar>(
        dy: UnsafePointer<S>, x: UnsafePointer<S>, mean: UnsafePointer<S>, rstd: UnsafePointer<S>, rows: Int,
        width: Int, gamma: UnsafePointer<S>, dGamma: UnsafeMutablePointer<S>?, dBeta: UnsafeMutablePointer<S>?,
        into dx: UnsafeMutablePointer<S>
    ) {
        let w = S(width)
        for row in 0..<rows {
            let g = dy + row * width
            let v = x + row * width
            let mu = mean[row]
            let inverse = rstd[row]
            // dx = rstd · (dx̂ − mean(dx̂) − x̂ · mean(dx̂ · x̂)), dx̂ = dy · γ
            var meanD: S = 0
            var meanDX: S = 0
            for i in 0..<width {
                let xhat = (v[i] - mu) * inverse
                let d = g[i] * gamma[i]
                meanD += d
                meanDX += d * xhat
            }
            meanD /= w
            meanDX /= w
            let out = dx + row * width
            for i in 0..<width {
                let xhat = (v[i] - mu) * inverse
                out[i] = inverse * (g[i] * gamma[i] - meanD - xhat * meanDX)
            }
            if let dGamma {
                for i in 0..<width { dGamma[i] += g[i] * (v[i] - mu) * inverse }
            }
            if let dBeta {
                for i in 0..<width { dBeta[i] += g[i] }
            }
        }
    }

    // MARK: - GELU (erf form)

    /// `y = x/2 · (1 + erf(x/√2))` into `y`, and the slope `Φ(x) + x·φ(x)` over `x` in place: backward needs only
    /// the slope, and computing it here shares the erf with the value.
    static func geluForward<S: TrainingScalar>(_ x: UnsafeMutablePointer<S>, count: Int, into y: UnsafeMutablePointer<S>) {
        let invSqrt2 = S(0.707_106_781_186_547_524_4)
        let invSqrt2Pi = S(0.398_942_280_401_432_677_9)
        for i in 0..<count {
            let v = x[i]
            let cdf = (1 + S.errorFunction(v * invSqrt2)) / 2
            y[i] = v * cdf
            x[i] = cdf + v * invSqrt2Pi * S.negativeExponential(-v * v / 2)
        }
    }

    /// `dx = dy · slope`, in place on `dy` (`slope` from `geluForward`).
    static func geluBackward<S: TrainingScalar>(slope: UnsafePointer<S>, count: Int, gradient: UnsafeMutablePointer<S>) {
        for i in 0..<count { gradient[i] *= slope[i] }
    }

    // MARK: - Dropout

    /// Draws an inverted-dropout mask of `count` factors (0 or 1/(1−p)) from `random`.
    static func drawMask<S: TrainingScalar>(
        _ mask: UnsafeMutablePointer<S>, count: Int, probability: Double, random: inout SplitMix64
    ) {
        let keep = S(1 / (1 - probability))
        for i in 0..<count { mask[i] = random.nextUnit() < probability ? 0 : keep }
    }

    /// `x *= mask`, elementwise.
    static func multiply<S: TrainingScalar>(_ x: UnsafeMutablePointer<S>, by mask: UnsafePointer<S>, count: Int) {
        for i in 0..<count { x[i] *= mask[i] }
    }

    // MARK: - Softmax cross-entropy

    /// Softmax of `logits` (`count` values) into `probabilities`; returns −log p[label] when `label` is valid.
    @discardableResult
    static func softmax<S: TrainingScalar>(
        _ logits: UnsafePointer<S>, count: Int, label: Int, into probabilities: UnsafeMutablePointer<S>
    ) -> S {
        var maximum = logits[0]
        for j in 1..<count { maximum = max(maximum, logits[j]) }
        var total: S = 0
        for j in 0..<count {
            let e = S.negativeExponential(logits[j] - maximum)  // argument ≤ 0: the vectorisable form
            probabilities[j] = e
            total += e
        }
        for j in 0..<count { probabilities[j] /= total }
        guard label >= 0, label < count else { return 0 }
        return -(logits[label] - maximum - S.logarithm(total))
    }
}

/// One worker's gradient buffers: a buffer for every trainable tensor, nil for frozen ones.
final class WorkerGradients<S: TrainingScalar>: @unchecked Sendable {
    let buffers: [TrainingBuffer<S>?]

    /// Zeroed buffers for the trainable tensors of `layout`.
    init(layout: EncoderParameterLayout) {
        buffers = (0..<layout.count).map { layout.trainable[$0] ? TrainingBuffer(count: layout.elementCount($0)) : nil }
    }

    /// Pointer to tensor `id`'s gradient, nil when it is frozen.
    @inline(__always)
    subscript(_ id: Int) -> UnsafeMutablePointer<S>? { buffers[id]?.pointer }

    /// Zeroes every buffer.
    func zero() { for buffer in buffers { buffer?.zero() } }
}
