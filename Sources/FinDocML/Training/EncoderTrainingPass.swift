/// One forward and backward pass of the encoder (with adapters) over a worker's sequences, packed end to end
/// without padding as in `MiniLMForwardPass`: dense layers run on all `[tokens, width]` rows at once, attention runs
/// per sequence and head on that sequence's rows only, so no mask is needed and lengths may differ freely.
///
/// `forward` keeps every activation its backward needs (per layer: the layer input, fused Q/K/V, attention
/// probabilities before and after dropout, context, LayerNorm inputs with their mean and 1/σ, the GELU
/// slope and output, dropout masks, and each adapter's `x·Aᵀ`); `backward` walks the layers in reverse.
///
/// Dropout (training only) is drawn per sequence from that sequence's own generator, in a fixed order (embeddings;
/// then per layer: attention probabilities head by head, attention-output mask, output mask), so a sequence's masks
/// do not depend on which worker runs it or on the other sequences in its group.
///
/// Non-goals: segment-B inputs (token type 0 only, as the inference encoder), gradient checkpointing (activations
/// of a 32-sentence batch at 64 tokens fit in a few hundred MB), dropout inside the adapters (PEFT's `lora_dropout`),
/// mixed precision.
///
/// Not thread-safe: one pass per worker thread.
final class EncoderTrainingPass<S: TrainingScalar> {
    let parameters: EncoderParameters<S>
    let sequences: [[Int32]]
    /// First row of each sequence.
    let starts: [Int]
    /// Total rows.
    let tokens: Int
    /// Whether dropout is applied.
    let training: Bool
    /// One generator per sequence; the head continues drawing from them after `forward`.
    var random: [SplitMix64]

    private let h: Int
    private let inter: Int
    private let rank: Int
    private let hiddenDropout: Double
    private let attentionDropout: Double
    /// First score of each sequence in the per-layer probability buffers (heads × n² per sequence).
    private let scoreStarts: [Int]
    private let scoreCount: Int

    private let embeddingSum: TrainingBuffer<S>
    private let embeddingMean: TrainingBuffer<S>
    private let embeddingRstd: TrainingBuffer<S>
    private let embeddingMask: TrainingBuffer<S>?
    private let embeddingOutput: TrainingBuffer<S>
    private var layers: [LayerActivations<S>] = []
    private let arena: TrainingArena<S>?

    /// `count` zeros from the arena, or a new allocation without one.
    func buffer(_ count: Int) -> TrainingBuffer<S> { arena?.buffer(count) ?? TrainingBuffer(count: count) }

    /// A pass over `sequences` (token ids already checked against the vocabulary and position table), taking its
    /// memory from `arena` when given.
    init(
        parameters: EncoderParameters<S>, sequences: [[Int32]], training: Bool, random: [SplitMix64],
        arena: TrainingArena<S>? = nil
    ) {
        precondition(random.count == sequences.count, "one generator per sequence")
        self.parameters = parameters
        self.sequences = sequences
        self.training = training
        self.random = random
        self.arena = arena
        let layout = parameters.layout
        h = layout.config.hiddenSize
        inter = layout.config.intermediateSize
        rank = layout.loraRank
        hiddenDropout = training ? layout.options.hiddenDropout : 0
        attentionDropout = training ? layout.options.attentionDropout : 0
        var starts: [Int] = []
        var scoreStarts: [Int] = []
        var row = 0
        var score = 0
        for sequence in sequences {
            starts.append(row)
            scoreStarts.append(score)
            row += sequence.count
            score += layout.config.headCount * sequence.count * sequence.count
        }
        self.starts = starts
        self.scoreStarts = scoreStarts
        tokens = row
        scoreCount = score
        embeddingSum = arena?.buffer(row * h) ?? TrainingBuffer(count: row * h)
        embeddingMean = arena?.buffer(row) ?? TrainingBuffer(count: row)
        embeddingRstd = arena?.buffer(row) ?? TrainingBuffer(count: row)
        embeddingMask = hiddenDropout > 0 ? (arena?.buffer(row * h) ?? TrainingBuffer(count: row * h)) : nil
        embeddingOutput = arena?.buffer(row * h) ?? TrainingBuffer(count: row * h)
    }

    // MARK: - Forward

    /// Runs every layer; returns the last hidden state `[tokens, hidden]` (owned by the pass).
    func forward() -> UnsafeMutablePointer<S> {
        embed()
        var input = embeddingOutput
        let hasDropout = hiddenDropout > 0
        for ids in parameters.layout.layers {
            let layer = LayerActivations<S>(
                input: input, tokens: tokens, hidden: h, intermediate: inter, rank: rank, scores: scoreCount,
                ids: ids, hiddenDropout: hasDropout, attentionDropout: attentionDropout > 0, allocate: buffer)
            forward(layer)
            layers.append(layer)
            input = layer.norm2Output
        }
        return input.pointer
    }

    private func embed() {
        let p = parameters
        let layout = p.layout
        let word = p[layout.wordEmbeddings]
        let position = p[layout.positionEmbeddings]
        let type = p[layout.tokenTypeEmbeddings]
        for (s, sequence) in sequences.enumerated() {
            for (index, id) in sequence.enumerated() {
                let out = embeddingSum.pointer + (starts[s] + index) * h
                let w = word + Int(id) * h
                let q = position + index * h
                for i in 0..<h { out[i] = w[i] + q[i] + type[i] }
            }
        }
        TrainingKernels.layerNormForward(
            x: embeddingSum.pointer, rows: tokens, width: h, gamma: p[layout.embeddingNormGamma],
            beta: p[layout.embeddingNormBeta], epsilon: S(layout.config.layerNormEpsilon), mean: embeddingMean.pointer,
            rstd: embeddingRstd.pointer, into: embeddingOutput.pointer)
        if let mask = embeddingMask {
            applyHiddenDropout(embeddingOutput.pointer, mask: mask.pointer)
        }
    }

    /// Draws each sequence's rows of `mask` from its generator and multiplies them into `x`.
    private func applyHiddenDropout(_ x: UnsafeMutablePointer<S>, mask: UnsafeMutablePointer<S>) {
        for s in sequences.indices {
            let offset = starts[s] * h
            TrainingKernels.drawMask(
                mask + offset, count: sequences[s].count * h, probability: hiddenDropout, random: &random[s])
        }
        TrainingKernels.multiply(x, by: mask, count: tokens * h)
    }

    private func forward(_ layer: LayerActivations<S>) {
        let p = parameters
        let ids = layer.ids
        let epsilon = S(p.layout.config.layerNormEpsilon)
        let count = tokens * h
        TrainingKernels.linearForward(
            ids.qkv, parameters: p, x: layer.input.pointer, rows: tokens, xa: layer.qkvXA?.pointer,
            into: layer.qkv.pointer)
        attentionForward(layer)
        // Attention output projection, dropout, residual, LayerNorm.
        let sum1 = layer.norm1Input.pointer
        TrainingKernels.linearForward(
            ids.attentionOutput, parameters: p, x: layer.context.pointer, rows: tokens,
            xa: layer.attentionOutputXA?.pointer, into: sum1)
        if let mask = layer.attentionOutputMask { applyHiddenDropout(sum1, mask: mask.pointer) }
        let input = layer.input.pointer
        for i in 0..<count { sum1[i] += input[i] }
        TrainingKernels.layerNormForward(
            x: sum1, rows: tokens, width: h, gamma: p[ids.attentionNormGamma], beta: p[ids.attentionNormBeta],
            epsilon: epsilon, mean: layer.norm1Mean.pointer, rstd: layer.norm1Rstd.pointer,
            into: layer.norm1Output.pointer)
        // Feed-forward.
        TrainingKernels.linearForward(
            ids.intermediate, parameters: p, x: layer.norm1Output.pointer, rows: tokens,
            xa: layer.intermediateXA?.pointer, into: layer.geluSlope.pointer)
        TrainingKernels.geluForward(layer.geluSlope.pointer, count: tokens * inter, into: layer.activation.pointer)
        let sum2 = layer.norm2Input.pointer
        TrainingKernels.linearForward(
            ids.output, parameters: p, x: layer.activation.pointer, rows: tokens, xa: layer.outputXA?.pointer,
            into: sum2)
        if let mask = layer.outputMask { applyHiddenDropout(sum2, mask: mask.pointer) }
        let residual = layer.norm1Output.pointer
        for i in 0..<count { sum2[i] += residual[i] }
        TrainingKernels.layerNormForward(
            x: sum2, rows: tokens, width: h, gamma: p[ids.outputNormGamma], beta: p[ids.outputNormBeta],
            epsilon: epsilon, mean: layer.norm2Mean.pointer, rstd: layer.norm2Rstd.pointer,
            into: layer.norm2Output.pointer)
    }

    /// Per sequence and head: P = softmax(Q·Kᵀ/√d), P' = dropout(P), context = P'·V.
    private func attentionForward(_ layer: LayerActivations<S>) {
        let config = parameters.layout.config
        let d = config.headSize
        let scale = 1 / S(d).squareRoot()
        let keep = S(1 / (1 - attentionDropout))
        for (s, sequence) in sequences.enumerated() {
            let n = sequence.count
            let rows = layer.qkv.pointer + starts[s] * 3 * h
            for head in 0..<config.headCount {
                let probabilities = layer.probabilities.pointer + scoreStarts[s] + head * n * n
                S.gemm(
                    transposeA: false, transposeB: true, m: n, n: n, k: d, alpha: scale, a: rows + head * d,
                    lda: 3 * h, b: rows + h + head * d, ldb: 3 * h, beta: 0, c: probabilities, ldc: n)
                for row in 0..<n {
                    let v = probabilities + row * n
                    TrainingKernels.softmax(v, count: n, label: -1, into: v)
                }
                var used = UnsafePointer(probabilities)
                if let dropped = layer.droppedProbabilities {
                    let out = dropped.pointer + scoreStarts[s] + head * n * n
                    for i in 0..<(n * n) {
                        out[i] = random[s].nextUnit() < attentionDropout ? 0 : probabilities[i] * keep
                    }
                    used = UnsafePointer(out)
                }
                S.gemm(
                    transposeA: false, transposeB: false, m: n, n: d, k: n, alpha: 1, a: used, lda: n,
                    b: rows + 2 * h + head * d, ldb: 3 * h, beta: 0, c: layer.context.pointer + starts[s] * h + head * d,
                    ldc: h)
            }
        }
    }

    // MARK: - Backward

    /// Back-propagates `dHidden` (the loss gradient at the last hidden state, `[tokens, hidden]`; overwritten) through
    /// every layer and the embeddings, adding parameter gradients into `gradients`.
    func backward(dHidden: UnsafeMutablePointer<S>, gradients: WorkerGradients<S>) {
        let layout = parameters.layout
        let g = dHidden
        let d2 = buffer(tokens * h)
        let d1 = buffer(tokens * h)
        let dInter = buffer(tokens * inter)
        let dQKV = buffer(tokens * 3 * h)
        let loraScratch = buffer(tokens * max(rank, 1))
        let longest = sequences.map(\.count).max() ?? 0
        let scoreScratch = buffer(longest * longest)
        let embeddingsTrain = [
            layout.wordEmbeddings, layout.positionEmbeddings, layout.tokenTypeEmbeddings, layout.embeddingNormGamma,
            layout.embeddingNormBeta,
        ].contains { layout.trainable[$0] }
        for (index, layer) in layers.enumerated().reversed() {
            layerBackward(
                layer, g: g, d2: d2.pointer, d1: d1.pointer, dInter: dInter.pointer, dQKV: dQKV.pointer,
                loraScratch: loraScratch.pointer, scoreScratch: scoreScratch.pointer, gradients: gradients,
                needsInputGradient: index > 0 || embeddingsTrain)
        }
        if embeddingsTrain { embeddingBackward(g: g, scratch: d2.pointer, gradients: gradients) }
    }

    private func layerBackward(
        _ layer: LayerActivations<S>, g: UnsafeMutablePointer<S>, d2: UnsafeMutablePointer<S>,
        d1: UnsafeMutablePointer<S>, dInter: UnsafeMutablePointer<S>, dQKV: UnsafeMutablePointer<S>,
        loraScratch: UnsafeMutablePointer<S>, scoreScratch: UnsafeMutablePointer<S>, gradients: WorkerGradients<S>,
        needsInputGradient: Bool
    ) {
        let p = parameters
        let ids = layer.ids
        let count = tokens * h
        // Output LayerNorm: g (at the layer output) → d2 (at its input, the sum of residual and projection).
        TrainingKernels.layerNormBackward(
            dy: g, x: layer.norm2Input.pointer, mean: layer.norm2Mean.pointer, rstd: layer.norm2Rstd.pointer,
            rows: tokens, width: h, gamma: p[ids.outputNormGamma], dGamma: gradients[ids.outputNormGamma],
            dBeta: gradients[ids.outputNormBeta], into: d2)
        // Residual branch to the attention block's output; projection branch through dropout and the FFN.
        d1.update(from: d2, count: count)
        if let mask = layer.outputMask { TrainingKernels.multiply(d2, by: mask.pointer, count: count) }
        TrainingKernels.linearBackward(
            ids.output, parameters: p, gradients: gradients, x: layer.activation.pointer, xa: layer.outputXA?.pointer,
            dy: d2, rows: tokens, dx: dInter, accumulate: false, scratch: loraScratch)
        TrainingKernels.geluBackward(slope: layer.geluSlope.pointer, count: tokens * inter, gradient: dInter)
        TrainingKernels.linearBackward(
            ids.intermediate, parameters: p, gradients: gradients, x: layer.norm1Output.pointer,
            xa: layer.intermediateXA?.pointer, dy: dInter, rows: tokens, dx: d1, accumulate: true,
            scratch: loraScratch)
        // Attention LayerNorm: d1 → d2.
        TrainingKernels.layerNormBackward(
            dy: d1, x: layer.norm1Input.pointer, mean: layer.norm1Mean.pointer, rstd: layer.norm1Rstd.pointer,
            rows: tokens, width: h, gamma: p[ids.attentionNormGamma], dGamma: gradients[ids.attentionNormGamma],
            dBeta: gradients[ids.attentionNormBeta], into: d2)
        // Residual branch to the layer input (g is free again), projection branch through attention.
        g.update(from: d2, count: count)
        if let mask = layer.attentionOutputMask { TrainingKernels.multiply(d2, by: mask.pointer, count: count) }
        TrainingKernels.linearBackward(
            ids.attentionOutput, parameters: p, gradients: gradients, x: layer.context.pointer,
            xa: layer.attentionOutputXA?.pointer, dy: d2, rows: tokens, dx: d1, accumulate: false,
            scratch: loraScratch)
        attentionBackward(layer, dContext: d1, dQKV: dQKV, scratch: scoreScratch)
        TrainingKernels.linearBackward(
            ids.qkv, parameters: p, gradients: gradients, x: layer.input.pointer, xa: layer.qkvXA?.pointer, dy: dQKV,
            rows: tokens, dx: needsInputGradient ? g : nil, accumulate: true, scratch: loraScratch)
    }

    /// Backward of `attentionForward`: `dContext` `[tokens, hidden]` → `dQKV` `[tokens, 3·hidden]`.
    private func attentionBackward(
        _ layer: LayerActivations<S>, dContext: UnsafeMutablePointer<S>, dQKV: UnsafeMutablePointer<S>,
        scratch: UnsafeMutablePointer<S>
    ) {
        let config = parameters.layout.config
        let d = config.headSize
        let scale = 1 / S(d).squareRoot()
        let keep = S(1 / (1 - attentionDropout))
        for (s, sequence) in sequences.enumerated() {
            let n = sequence.count
            let rows = layer.qkv.pointer + starts[s] * 3 * h
            let dRows = dQKV + starts[s] * 3 * h
            for head in 0..<config.headCount {
                let probabilities = layer.probabilities.pointer + scoreStarts[s] + head * n * n
                let used = layer.droppedProbabilities.map { $0.pointer + scoreStarts[s] + head * n * n } ?? probabilities
                let dC = dContext + starts[s] * h + head * d
                // dP' = dC · Vᵀ;  dV = P'ᵀ · dC
                S.gemm(
                    transposeA: false, transposeB: true, m: n, n: n, k: d, alpha: 1, a: dC, lda: h,
                    b: rows + 2 * h + head * d, ldb: 3 * h, beta: 0, c: scratch, ldc: n)
                S.gemm(
                    transposeA: true, transposeB: false, m: n, n: d, k: n, alpha: 1, a: used, lda: n, b: dC, ldb: h,
                    beta: 0, c: dRows + 2 * h + head * d, ldc: 3 * h)
                // Through dropout (a dropped entry is exactly zero in P'; an entry with P = 0 gets no gradient
                // below anyway), then softmax: dS = P ⊙ (dP − Σ dP ⊙ P).
                if layer.droppedProbabilities != nil {
                    for i in 0..<(n * n) { scratch[i] = used[i] == 0 ? 0 : scratch[i] * keep }
                }
                for row in 0..<n {
                    let pRow = probabilities + row * n
                    let dRow = scratch + row * n
                    var dot: S = 0
                    for j in 0..<n { dot += dRow[j] * pRow[j] }
                    for j in 0..<n { dRow[j] = pRow[j] * (dRow[j] - dot) }
                }
                // dQ = scale · dS · K;  dK = scale · dSᵀ · Q
                S.gemm(
                    transposeA: false, transposeB: false, m: n, n: d, k: n, alpha: scale, a: scratch, lda: n,
                    b: rows + h + head * d, ldb: 3 * h, beta: 0, c: dRows + head * d, ldc: 3 * h)
                S.gemm(
                    transposeA: true, transposeB: false, m: n, n: d, k: n, alpha: scale, a: scratch, lda: n,
                    b: rows + head * d, ldb: 3 * h, beta: 0, c: dRows + h + head * d, ldc: 3 * h)
            }
        }
    }

    /// Through the embedding dropout and LayerNorm into the embedding tables (rows actually used only).
    private func embeddingBackward(g: UnsafeMutablePointer<S>, scratch: UnsafeMutablePointer<S>, gradients: WorkerGradients<S>) {
        let layout = parameters.layout
        if let mask = embeddingMask { TrainingKernels.multiply(g, by: mask.pointer, count: tokens * h) }
        TrainingKernels.layerNormBackward(
            dy: g, x: embeddingSum.pointer, mean: embeddingMean.pointer, rstd: embeddingRstd.pointer, rows: tokens,
            width: h, gamma: parameters[layout.embeddingNormGamma], dGamma: gradients[layout.embeddingNormGamma],
            dBeta: gradients[layout.embeddingNormBeta], into: scratch)
        let dWord = gradients[layout.wordEmbeddings]
        let dPosition = gradients[layout.positionEmbeddings]
        let dType = gradients[layout.tokenTypeEmbeddings]
        for (s, sequence) in sequences.enumerated() {
            for (index, id) in sequence.enumerated() {
                let row = scratch + (starts[s] + index) * h
                if let dWord { for i in 0..<h { dWord[Int(id) * h + i] += row[i] } }
                if let dPosition { for i in 0..<h { dPosition[index * h + i] += row[i] } }
                if let dType { for i in 0..<h { dType[i] += row[i] } }
            }
        }
    }
}

/// What one transformer layer's forward pass keeps for its backward pass.
final class LayerActivations<S: TrainingScalar> {
    let ids: LayerTensors
    let input: TrainingBuffer<S>
    let qkv: TrainingBuffer<S>
    let qkvXA: TrainingBuffer<S>?
    let probabilities: TrainingBuffer<S>
    let droppedProbabilities: TrainingBuffer<S>?
    let context: TrainingBuffer<S>
    let attentionOutputXA: TrainingBuffer<S>?
    let attentionOutputMask: TrainingBuffer<S>?
    let norm1Input: TrainingBuffer<S>
    let norm1Mean: TrainingBuffer<S>
    let norm1Rstd: TrainingBuffer<S>
    let norm1Output: TrainingBuffer<S>
    let intermediateXA: TrainingBuffer<S>?
    /// The FFN pre-activation, replaced in place by GELU's slope there.
    let geluSlope: TrainingBuffer<S>
    let activation: TrainingBuffer<S>
    let outputXA: TrainingBuffer<S>?
    let outputMask: TrainingBuffer<S>?
    let norm2Input: TrainingBuffer<S>
    let norm2Mean: TrainingBuffer<S>
    let norm2Rstd: TrainingBuffer<S>
    let norm2Output: TrainingBuffer<S>

    init(
        input: TrainingBuffer<S>, tokens: Int, hidden h: Int, intermediate: Int, rank: Int, scores: Int,
        ids: LayerTensors, hiddenDropout: Bool, attentionDropout: Bool, allocate: (Int) -> TrainingBuffer<S>
    ) {
        self.ids = ids
        self.input = input
        func adapter(_ linear: LinearTensors) -> TrainingBuffer<S>? {
            linear.loraA == nil ? nil : allocate(tokens * rank)
        }
        qkv = allocate(tokens * 3 * h)
        qkvXA = adapter(ids.qkv)
        probabilities = allocate(scores)
        droppedProbabilities = attentionDropout ? allocate(scores) : nil
        context = allocate(tokens * h)
        attentionOutputXA = adapter(ids.attentionOutput)
        attentionOutputMask = hiddenDropout ? allocate(tokens * h) : nil
        norm1Input = allocate(tokens * h)
        norm1Mean = allocate(tokens)
        norm1Rstd = allocate(tokens)
        norm1Output = allocate(tokens * h)
        intermediateXA = adapter(ids.intermediate)
        geluSlope = allocate(tokens * intermediate)
        activation = allocate(tokens * intermediate)
        outputXA = adapter(ids.output)
        outputMask = hiddenDropout ? allocate(tokens * h) : nil
        norm2Input = allocate(tokens * h)
        norm2Mean = allocate(tokens)
        norm2Rstd = allocate(tokens)
        norm2Output = allocate(tokens * h)
    }
}
