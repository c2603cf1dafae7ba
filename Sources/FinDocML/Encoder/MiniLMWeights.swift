/// The weights of one transformer layer, in PyTorch's `[out, in]` layout, with Q, K and V fused into one
/// `[3·hidden, hidden]` matrix so a layer's three projections are one matrix product.
struct MiniLMLayerWeights: Sendable {
    let qkvWeight: [Float]
    let qkvBias: [Float]
    let attentionOutputWeight: [Float]
    let attentionOutputBias: [Float]
    let attentionNormGamma: [Float]
    let attentionNormBeta: [Float]
    let intermediateWeight: [Float]
    let intermediateBias: [Float]
    let outputWeight: [Float]
    let outputBias: [Float]
    let outputNormGamma: [Float]
    let outputNormBeta: [Float]
}

/// Every weight of a BERT/MiniLM encoder, converted to `Float` once at load time.
struct MiniLMWeights: Sendable {
    let wordEmbeddings: [Float]
    let positionEmbeddings: [Float]
    let tokenTypeEmbeddings: [Float]
    let embeddingNormGamma: [Float]
    let embeddingNormBeta: [Float]
    let layers: [MiniLMLayerWeights]

    /// Reads the tensors of a Hugging Face `BertModel` checkpoint (names with or without the `bert.` prefix),
    /// checking every shape against `config`.
    init(file: SafetensorsFile, config: MiniLMConfig) throws(SafetensorsError) {
        let prefix = file.tensors["bert.embeddings.word_embeddings.weight"] != nil ? "bert." : ""
        let h = config.hiddenSize
        let i = config.intermediateSize
        func load(_ name: String, _ shape: [Int]) throws(SafetensorsError) -> [Float] {
            try file.floats(prefix + name, shape: shape)
        }
        wordEmbeddings = try load("embeddings.word_embeddings.weight", [config.vocabularySize, h])
        positionEmbeddings = try load("embeddings.position_embeddings.weight", [config.maxPositions, h])
        tokenTypeEmbeddings = try load("embeddings.token_type_embeddings.weight", [config.typeVocabularySize, h])
        embeddingNormGamma = try load("embeddings.LayerNorm.weight", [h])
        embeddingNormBeta = try load("embeddings.LayerNorm.bias", [h])
        var layers: [MiniLMLayerWeights] = []
        for index in 0..<config.layerCount {
            let base = "encoder.layer.\(index)."
            let query = try load(base + "attention.self.query.weight", [h, h])
            let key = try load(base + "attention.self.key.weight", [h, h])
            let value = try load(base + "attention.self.value.weight", [h, h])
            let queryBias = try load(base + "attention.self.query.bias", [h])
            let keyBias = try load(base + "attention.self.key.bias", [h])
            let valueBias = try load(base + "attention.self.value.bias", [h])
            layers.append(
                MiniLMLayerWeights(
                    qkvWeight: query + key + value,
                    qkvBias: queryBias + keyBias + valueBias,
                    attentionOutputWeight: try load(base + "attention.output.dense.weight", [h, h]),
                    attentionOutputBias: try load(base + "attention.output.dense.bias", [h]),
                    attentionNormGamma: try load(base + "attention.output.LayerNorm.weight", [h]),
                    attentionNormBeta: try load(base + "attention.output.LayerNorm.bias", [h]),
                    intermediateWeight: try load(base + "intermediate.dense.weight", [i, h]),
                    intermediateBias: try load(base + "intermediate.dense.bias", [i]),
                    outputWeight: try load(base + "output.dense.weight", [h, i]),
                    outputBias: try load(base + "output.dense.bias", [h]),
                    outputNormGamma: try load(base + "output.LayerNorm.weight", [h]),
                    outputNormBeta: try load(base + "output.LayerNorm.bias", [h])))
        }
        self.layers = layers
    }
}
