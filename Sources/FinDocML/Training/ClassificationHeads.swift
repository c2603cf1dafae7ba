/// The two classification heads over the encoder's last hidden state, forward and backward in one call each (the
/// loss needs nothing else): mean pooling + linear for sentences, linear per token for tagging, both with dropout
/// on their input and softmax cross-entropy.
enum ClassificationHeads {
    /// Sentence head: `logits = dropout(mean of the sequence's rows)·Wᵀ + b`, loss `Σ wᵢ·CEᵢ / normalizer`.
    ///
    /// With `dHidden`, adds the head's gradients and writes the gradient at every hidden row (the pooled gradient
    /// divided by the sequence length). Returns the loss share of these sequences and writes their logits.
    @discardableResult
    static func sequence<S: TrainingScalar>(
        pass: EncoderTrainingPass<S>, hidden: UnsafePointer<S>, labels: [Int], weights: [S], normalizer: S,
        dropout: Double, logits: UnsafeMutablePointer<S>, gradients: WorkerGradients<S>?,
        dHidden: UnsafeMutablePointer<S>?
    ) -> S {
        let p = pass.parameters
        let layout = p.layout
        let h = layout.config.hiddenSize
        let l = layout.labelCount
        let b = pass.sequences.count
        let pooled = pass.buffer(b * h)
        for (s, sequence) in pass.sequences.enumerated() {
            let out = pooled.pointer + s * h
            for row in 0..<sequence.count {
                let v = hidden + (pass.starts[s] + row) * h
                for i in 0..<h { out[i] += v[i] }
            }
            let inverse = 1 / S(sequence.count)
            for i in 0..<h { out[i] *= inverse }
        }
        let mask = dropout > 0 ? pass.buffer(b * h) : nil
        if let mask {
            for s in 0..<b {
                TrainingKernels.drawMask(mask.pointer + s * h, count: h, probability: dropout, random: &pass.random[s])
            }
            TrainingKernels.multiply(pooled.pointer, by: mask.pointer, count: b * h)
        }
        linear(layout: layout, parameters: p, x: pooled.pointer, rows: b, into: logits)
        let probabilities = TrainingBuffer<S>(count: l)
        var loss: S = 0
        let dLogits = pass.buffer(b * l)
        for s in 0..<b {
            let row = logits + s * l
            let ce = TrainingKernels.softmax(row, count: l, label: labels[s], into: probabilities.pointer)
            loss += weights[s] * ce / normalizer
            let factor = weights[s] / normalizer
            let d = dLogits.pointer + s * l
            for j in 0..<l { d[j] = factor * (probabilities.pointer[j] - (j == labels[s] ? 1 : 0)) }
        }
        guard let gradients, let dHidden else { return loss }
        let dPooled = pass.buffer(b * h)
        linearBackward(
            layout: layout, parameters: p, gradients: gradients, x: pooled.pointer, dy: dLogits.pointer, rows: b,
            into: dPooled.pointer)
        if let mask { TrainingKernels.multiply(dPooled.pointer, by: mask.pointer, count: b * h) }
        for (s, sequence) in pass.sequences.enumerated() {
            let inverse = 1 / S(sequence.count)
            let g = dPooled.pointer + s * h
            for row in 0..<sequence.count {
                let out = dHidden + (pass.starts[s] + row) * h
                for i in 0..<h { out[i] = g[i] * inverse }
            }
        }
        return loss
    }

    /// Token head: `logits = dropout(row)·Wᵀ + b` for every row, loss `Σ CE / normalizer` over rows whose label is
    /// ≥ 0 (−1 rows are ignored: continuation word-pieces, [CLS], [SEP]). `labels` are per row, packed like the rows.
    @discardableResult
    static func tokens<S: TrainingScalar>(
        pass: EncoderTrainingPass<S>, hidden: UnsafePointer<S>, labels: [Int], normalizer: S, dropout: Double,
        logits: UnsafeMutablePointer<S>, gradients: WorkerGradients<S>?, dHidden: UnsafeMutablePointer<S>?
    ) -> S {
        let p = pass.parameters
        let layout = p.layout
        let h = layout.config.hiddenSize
        let l = layout.labelCount
        let t = pass.tokens
        let x = pass.buffer(t * h)
        x.pointer.update(from: hidden, count: t * h)
        let mask = dropout > 0 ? pass.buffer(t * h) : nil
        if let mask {
            for (s, sequence) in pass.sequences.enumerated() {
                TrainingKernels.drawMask(
                    mask.pointer + pass.starts[s] * h, count: sequence.count * h, probability: dropout,
                    random: &pass.random[s])
            }
            TrainingKernels.multiply(x.pointer, by: mask.pointer, count: t * h)
        }
        linear(layout: layout, parameters: p, x: x.pointer, rows: t, into: logits)
        let probabilities = TrainingBuffer<S>(count: l)
        let dLogits = pass.buffer(t * l)
        var loss: S = 0
        for row in 0..<t where labels[row] >= 0 {
            let ce = TrainingKernels.softmax(logits + row * l, count: l, label: labels[row], into: probabilities.pointer)
            loss += ce / normalizer
            let d = dLogits.pointer + row * l
            for j in 0..<l { d[j] = (probabilities.pointer[j] - (j == labels[row] ? 1 : 0)) / normalizer }
        }
        guard let gradients, let dHidden else { return loss }
        linearBackward(
            layout: layout, parameters: p, gradients: gradients, x: x.pointer, dy: dLogits.pointer, rows: t,
            into: dHidden)
        if let mask { TrainingKernels.multiply(dHidden, by: mask.pointer, count: t * h) }
        return loss
    }

    private static func linear<S: TrainingScalar>(
        layout: EncoderParameterLayout, parameters: EncoderParameters<S>, x: UnsafePointer<S>, rows: Int,
        into y: UnsafeMutablePointer<S>
    ) {
        let head = LinearTensors(
            weight: layout.headWeight, bias: layout.headBias, loraA: nil, loraB: nil,
            inputs: layout.config.hiddenSize, outputs: layout.labelCount)
        TrainingKernels.linearForward(head, parameters: parameters, x: x, rows: rows, xa: nil, into: y)
    }

    private static func linearBackward<S: TrainingScalar>(
        layout: EncoderParameterLayout, parameters: EncoderParameters<S>, gradients: WorkerGradients<S>,
        x: UnsafePointer<S>, dy: UnsafePointer<S>, rows: Int, into dx: UnsafeMutablePointer<S>
    ) {
        let head = LinearTensors(
            weight: layout.headWeight, bias: layout.headBias, loraA: nil, loraB: nil,
            inputs: layout.config.hiddenSize, outputs: layout.labelCount)
        let unused = TrainingBuffer<S>(count: 1)
        TrainingKernels.linearBackward(
            head, parameters: parameters, gradients: gradients, x: x, xa: nil, dy: dy, rows: rows, dx: dx,
            accumulate: false, scratch: unused.pointer)
    }
}
