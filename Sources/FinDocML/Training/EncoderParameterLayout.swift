/// The tensor ids of one linear layer: its weight and bias, and its adapter's `A` and `B` when it has one.
struct LinearTensors: Sendable {
    let weight: Int
    let bias: Int
    let loraA: Int?
    let loraB: Int?
    /// Input and output widths.
    let inputs: Int
    let outputs: Int
}

/// The tensor ids of one transformer layer.
struct LayerTensors: Sendable {
    let qkv: LinearTensors
    let attentionOutput: LinearTensors
    let attentionNormGamma: Int
    let attentionNormBeta: Int
    let intermediate: LinearTensors
    let output: LinearTensors
    let outputNormGamma: Int
    let outputNormBeta: Int
}

/// Every tensor of encoder + adapters + classification head, numbered: names, shapes, and which ones train.
///
/// The forward and backward passes address tensors by these ids, so one flat list serves the parameters, each
/// worker's gradients and the trainer's `TrainableParameter`s alike.
struct EncoderParameterLayout: Sendable {
    let config: MiniLMConfig
    let options: FineTuningOptions
    /// Width of the classification head's output.
    let labelCount: Int

    private(set) var names: [String] = []
    private(set) var shapes: [[Int]] = []
    /// True for tensors that get gradients.
    private(set) var trainable: [Bool] = []
    /// True for tensors AdamW decays (matrices, adapters, the head's weight).
    private(set) var decays: [Bool] = []

    private(set) var wordEmbeddings = 0
    private(set) var positionEmbeddings = 0
    private(set) var tokenTypeEmbeddings = 0
    private(set) var embeddingNormGamma = 0
    private(set) var embeddingNormBeta = 0
    private(set) var layers: [LayerTensors] = []
    private(set) var headWeight = 0
    private(set) var headBias = 0

    /// Numbers the tensors of `config` under `options` with a `labelCount`-way head.
    init(config: MiniLMConfig, options: FineTuningOptions, labelCount: Int) {
        self.config = config
        self.options = options
        self.labelCount = labelCount
        let h = config.hiddenSize
        let inter = config.intermediateSize
        let full = options.lora == nil
        let norms = full || options.trainLayerNorms
        let embeddings = full && options.trainEmbeddings

        wordEmbeddings = add("embeddings.word", [config.vocabularySize, h], trains: embeddings, decays: false)
        positionEmbeddings = add("embeddings.position", [config.maxPositions, h], trains: embeddings, decays: false)
        tokenTypeEmbeddings = add(
            "embeddings.token_type", [config.typeVocabularySize, h], trains: embeddings, decays: false)
        embeddingNormGamma = add("embeddings.norm.gamma", [h], trains: norms, decays: false)
        embeddingNormBeta = add("embeddings.norm.beta", [h], trains: norms, decays: false)
        for index in 0..<config.layerCount {
            let base = "layer.\(index)."
            let qkv = addLinear(base + "attention.qkv", .qkv, inputs: h, outputs: 3 * h, full: full)
            let attentionOutput = addLinear(
                base + "attention.output", .attentionOutput, inputs: h, outputs: h, full: full)
            let g1 = add(base + "attention.norm.gamma", [h], trains: norms, decays: false)
            let b1 = add(base + "attention.norm.beta", [h], trains: norms, decays: false)
            let intermediate = addLinear(base + "intermediate", .intermediate, inputs: h, outputs: inter, full: full)
            let output = addLinear(base + "output", .output, inputs: inter, outputs: h, full: full)
            let g2 = add(base + "output.norm.gamma", [h], trains: norms, decays: false)
            let b2 = add(base + "output.norm.beta", [h], trains: norms, decays: false)
            layers.append(
                LayerTensors(
                    qkv: qkv, attentionOutput: attentionOutput, attentionNormGamma: g1, attentionNormBeta: b1,
                    intermediate: intermediate, output: output, outputNormGamma: g2, outputNormBeta: b2))
        }
        headWeight = add("head.weight", [labelCount, h], trains: true, decays: true)
        headBias = add("head.bias", [labelCount], trains: true, decays: false)
    }

    /// How many tensors there are.
    var count: Int { names.count }

    /// Element count of tensor `id`.
    func elementCount(_ id: Int) -> Int { shapes[id].reduce(1, *) }

    /// The factor applied to `B · A` (0 without adapters).
    var loraScale: Double { options.lora?.scale ?? 0 }

    /// The adapter rank (0 without adapters).
    var loraRank: Int { options.lora?.rank ?? 0 }

    private mutating func add(_ name: String, _ shape: [Int], trains: Bool, decays: Bool) -> Int {
        names.append(name)
        shapes.append(shape)
        trainable.append(trains)
        self.decays.append(decays)
        return names.count - 1
    }

    private mutating func addLinear(
        _ name: String, _ target: LoRATarget, inputs: Int, outputs: Int, full: Bool
    ) -> LinearTensors {
        let weight = add(name + ".weight", [outputs, inputs], trains: full, decays: true)
        let bias = add(name + ".bias", [outputs], trains: full, decays: false)
        var a: Int?
        var b: Int?
        if let lora = options.lora, lora.targets.contains(target) {
            a = add(name + ".lora_a", [lora.rank, inputs], trains: true, decays: true)
            b = add(name + ".lora_b", [outputs, lora.rank], trains: true, decays: true)
        }
        return LinearTensors(weight: weight, bias: bias, loraA: a, loraB: b, inputs: inputs, outputs: outputs)
    }
}
