/// One forward pass of the encoder over a group of sequences packed end to end, without padding.
///
/// Every layer but attention works token by token, so the group's tokens are stacked into one `[tokens, hidden]`
/// matrix and each dense layer is a single `cblas_sgemm`; attention runs per sequence on its own rows, so a
/// short sentence never pays for a long neighbour's padding. Results at real tokens equal those of a padded batch
/// with an attention mask (masked keys get probability 0, and padded rows influence nothing else).
///
/// Not thread-safe by itself: each worker thread runs its own pass over its own group.
struct MiniLMForwardPass {
    let config: MiniLMConfig
    let weights: MiniLMWeights
    /// When set, the four linear layers of every transformer layer run in int8 (attention products stay float).
    let quantized: [MiniLMQuantizedLayer]?

    /// Writes the last hidden state of every token of `sequences` (valid token ids, checked by the caller) into
    /// `output`, sequence after sequence: `Σ count × hidden` floats.
    func run(sequences: [[Int32]], output: UnsafeMutablePointer<Float>) {
        let h = config.hiddenSize
        let inter = config.intermediateSize
        let tokens = sequences.reduce(0) { $0 + $1.count }
        guard tokens > 0 else { return }
        let longest = sequences.map(\.count).max() ?? 0

        // Scratch for the whole group, allocated once per pass: x is the running hidden state (the caller's
        // output buffer, so the last layer writes in place).
        let x = output
        let qkv = UnsafeMutablePointer<Float>.allocate(capacity: tokens * 3 * h)
        let context = UnsafeMutablePointer<Float>.allocate(capacity: tokens * h)
        let attended = UnsafeMutablePointer<Float>.allocate(capacity: tokens * h)
        let intermediate = UnsafeMutablePointer<Float>.allocate(capacity: tokens * inter)
        let scores = UnsafeMutablePointer<Float>.allocate(capacity: longest * longest)
        defer {
            qkv.deallocate()
            context.deallocate()
            attended.deallocate()
            intermediate.deallocate()
            scores.deallocate()
        }

        embed(sequences: sequences, into: x)
        for (index, layer) in weights.layers.enumerated() {
            let int8 = quantized?[index]
            // Q, K, V for all tokens in one product.
            if let int8 {
                int8.qkv.apply(x: x, rows: tokens, into: qkv)
            } else {
                layer.qkvWeight.withUnsafeBufferPointer { w in
                    layer.qkvBias.withUnsafeBufferPointer { b in
                        BLASMatrixMultiply.linear(
                            x: x, rows: tokens, inputs: h, weight: w.baseAddress!, bias: b.baseAddress!, outputs: 3 * h,
                            into: qkv)
                    }
                }
            }
            attention(sequences: sequences, qkv: qkv, scores: scores, into: context)
            // Output projection, residual, LayerNorm.
            if let int8 {
                int8.attentionOutput.apply(x: context, rows: tokens, into: attended)
            } else {
                layer.attentionOutputWeight.withUnsafeBufferPointer { w in
                    layer.attentionOutputBias.withUnsafeBufferPointer { b in
                        BLASMatrixMultiply.linear(
                            x: context, rows: tokens, inputs: h, weight: w.baseAddress!, bias: b.baseAddress!, outputs: h,
                            into: attended)
                    }
                }
            }
            layer.attentionNormGamma.withUnsafeBufferPointer { g in
                layer.attentionNormBeta.withUnsafeBufferPointer { be in
                    LayerNormKernel.addAndNormalize(
                        attended, residual: x, rows: tokens, width: h, gamma: g.baseAddress!, beta: be.baseAddress!,
                        epsilon: config.layerNormEpsilon)
                }
            }
            // Feed-forward: up, GELU, down, residual, LayerNorm.
            if let int8 {
                int8.intermediate.apply(x: attended, rows: tokens, into: intermediate)
            } else {
                layer.intermediateWeight.withUnsafeBufferPointer { w in
                    layer.intermediateBias.withUnsafeBufferPointer { b in
                        BLASMatrixMultiply.linear(
                            x: attended, rows: tokens, inputs: h, weight: w.baseAddress!, bias: b.baseAddress!,
                            outputs: inter, into: intermediate)
                    }
                }
            }
            GELUKernel.apply(intermediate, count: tokens * inter)
            if let int8 {
                int8.output.apply(x: intermediate, rows: tokens, into: x)
            } else {
                layer.outputWeight.withUnsafeBufferPointer { w in
                    layer.outputBias.withUnsafeBufferPointer { b in
                        BLASMatrixMultiply.linear(
                            x: intermediate, rows: tokens, inputs: inter, weight: w.baseAddress!, bias: b.baseAddress!,
                            outputs: h, into: x)
                    }
                }
            }
            layer.outputNormGamma.withUnsafeBufferPointer { g in
                layer.outputNormBeta.withUnsafeBufferPointer { be in
                    LayerNormKernel.addAndNormalize(
                        x, residual: attended, rows: tokens, width: h, gamma: g.baseAddress!, beta: be.baseAddress!,
                        epsilon: config.layerNormEpsilon)
                }
            }
        }
    }

    /// Word + position + token-type (segment 0) embeddings, then LayerNorm.
    private func embed(sequences: [[Int32]], into x: UnsafeMutablePointer<Float>) {
        let h = config.hiddenSize
        weights.wordEmbeddings.withUnsafeBufferPointer { word in
            weights.positionEmbeddings.withUnsafeBufferPointer { position in
                weights.tokenTypeEmbeddings.withUnsafeBufferPointer { type in
                    var row = 0
                    for sequence in sequences {
                        for (index, id) in sequence.enumerated() {
                            let out = x + row * h
                            let w = word.baseAddress! + Int(id) * h
                            let p = position.baseAddress! + index * h
                            let t = type.baseAddress!
                            for i in 0..<h { out[i] = w[i] + p[i] + t[i] }
                            row += 1
                        }
                    }
                }
            }
        }
        weights.embeddingNormGamma.withUnsafeBufferPointer { g in
            weights.embeddingNormBeta.withUnsafeBufferPointer { b in
                LayerNormKernel.apply(
                    x, rows: sequences.reduce(0) { $0 + $1.count }, width: h, gamma: g.baseAddress!,
                    beta: b.baseAddress!, epsilon: config.layerNormEpsilon)
            }
        }
    }

    /// Scaled dot-product attention of every head, sequence by sequence, into `context` (`[tokens, hidden]`).
    private func attention(
        sequences: [[Int32]], qkv: UnsafeMutablePointer<Float>, scores: UnsafeMutablePointer<Float>,
        into context: UnsafeMutablePointer<Float>
    ) {
        let h = config.hiddenSize
        let headSize = config.headSize
        let scale = 1 / Float(headSize).squareRoot()
        var start = 0
        for sequence in sequences {
            let n = sequence.count
            let rows = qkv + start * 3 * h
            for head in 0..<config.headCount {
                let q = rows + head * headSize
                let k = rows + h + head * headSize
                let v = rows + 2 * h + head * headSize
                // scores[n×n] = Q·Kᵀ / √d, read as strided views of the fused Q/K/V rows.
                BLASMatrixMultiply.multiply(
                    m: n, n: n, k: headSize, alpha: scale, a: q, lda: 3 * h, b: k, ldb: 3 * h, transposeB: true,
                    c: scores, ldc: n)
                SoftmaxKernel.apply(scores, rows: n, valid: n, stride: n)
                BLASMatrixMultiply.multiply(
                    m: n, n: headSize, k: n, a: scores, lda: n, b: v, ldb: 3 * h, transposeB: false,
                    c: context + start * h + head * headSize, ldc: h)
            }
            start += n
        }
    }
}

/// The int8 form of one transformer layer's four linear layers.
struct MiniLMQuantizedLayer: Sendable {
    let qkv: Int8LinearLayer
    let attentionOutput: Int8LinearLayer
    let intermediate: Int8LinearLayer
    let output: Int8LinearLayer

    /// Quantises `layer` (per output channel).
    init(_ layer: MiniLMLayerWeights, config: MiniLMConfig) {
        let h = config.hiddenSize
        let i = config.intermediateSize
        qkv = Int8LinearLayer(weight: layer.qkvWeight, bias: layer.qkvBias, outputs: 3 * h, inputs: h)
        attentionOutput = Int8LinearLayer(
            weight: layer.attentionOutputWeight, bias: layer.attentionOutputBias, outputs: h, inputs: h)
        intermediate = Int8LinearLayer(
            weight: layer.intermediateWeight, bias: layer.intermediateBias, outputs: i, inputs: h)
        output = Int8LinearLayer(weight: layer.outputWeight, bias: layer.outputBias, outputs: h, inputs: i)
    }
}
