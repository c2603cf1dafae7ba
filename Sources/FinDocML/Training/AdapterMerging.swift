/// Folds low-rank adapters into the base weights, `W' = W + (alpha/r)·B·A`, so inference after fine-tuning runs the
/// plain encoder at its usual speed (and may then be quantised like the base model).
enum AdapterMerging {
    /// The encoder weights of `parameters` in the inference layout, with every adapter merged.
    static func mergedWeights(_ parameters: EncoderParameters<Float>) -> MiniLMWeights {
        let layout = parameters.layout
        func values(_ id: Int) -> [Float] { parameters.tensors[id].array }
        func merged(_ linear: LinearTensors) -> [Float] {
            var weight = values(linear.weight)
            if let a = linear.loraA, let b = linear.loraB {
                weight.withUnsafeMutableBufferPointer { w in
                    guard let base = w.baseAddress else { return }
                    Float.gemm(
                        transposeA: false, transposeB: false, m: linear.outputs, n: linear.inputs,
                        k: layout.loraRank, alpha: Float(layout.loraScale), a: parameters[b], lda: layout.loraRank,
                        b: parameters[a], ldb: linear.inputs, beta: 1, c: base, ldc: linear.inputs)
                }
            }
            return weight
        }
        let layers = layout.layers.map { ids in
            MiniLMLayerWeights(
                qkvWeight: merged(ids.qkv), qkvBias: values(ids.qkv.bias),
                attentionOutputWeight: merged(ids.attentionOutput), attentionOutputBias: values(ids.attentionOutput.bias),
                attentionNormGamma: values(ids.attentionNormGamma), attentionNormBeta: values(ids.attentionNormBeta),
                intermediateWeight: merged(ids.intermediate), intermediateBias: values(ids.intermediate.bias),
                outputWeight: merged(ids.output), outputBias: values(ids.output.bias),
                outputNormGamma: values(ids.outputNormGamma), outputNormBeta: values(ids.outputNormBeta))
        }
        return MiniLMWeights(
            wordEmbeddings: values(layout.wordEmbeddings), positionEmbeddings: values(layout.positionEmbeddings),
            tokenTypeEmbeddings: values(layout.tokenTypeEmbeddings),
            embeddingNormGamma: values(layout.embeddingNormGamma), embeddingNormBeta: values(layout.embeddingNormBeta),
            layers: layers)
    }
}

extension MiniLMWeights {
    /// Weights assembled in memory (merged adapters, tests), in the same layout the checkpoint loader produces.
    init(
        wordEmbeddings: [Float], positionEmbeddings: [Float], tokenTypeEmbeddings: [Float],
        embeddingNormGamma: [Float], embeddingNormBeta: [Float], layers: [MiniLMLayerWeights]
    ) {
        self.wordEmbeddings = wordEmbeddings
        self.positionEmbeddings = positionEmbeddings
        self.tokenTypeEmbeddings = tokenTypeEmbeddings
        self.embeddingNormGamma = embeddingNormGamma
        self.embeddingNormBeta = embeddingNormBeta
        self.layers = layers
    }
}
