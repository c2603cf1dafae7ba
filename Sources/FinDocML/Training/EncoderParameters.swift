import Foundation

/// The values of every tensor in an `EncoderParameterLayout`, in the training scalar `S`.
///
/// Read-only while workers run a batch (each worker writes only its own activations and gradients); the owning model
/// refreshes trainable values from its `TrainableParameter`s between batches.
final class EncoderParameters<S: TrainingScalar>: @unchecked Sendable {
    let layout: EncoderParameterLayout
    /// One buffer per tensor id.
    let tensors: [TrainingBuffer<S>]

    /// Pointer to tensor `id`.
    @inline(__always)
    subscript(_ id: Int) -> UnsafeMutablePointer<S> { tensors[id].pointer }

    private init(layout: EncoderParameterLayout, tensors: [TrainingBuffer<S>]) {
        self.layout = layout
        self.tensors = tensors
    }

    /// The pretrained encoder `weights`, a new head (normal, σ 0.02, zero bias, as Hugging Face initialises BERT
    /// classifiers) and new adapters (A Kaiming-uniform, B zero), all drawn from `seed`.
    convenience init(weights: MiniLMWeights, layout: EncoderParameterLayout, seed: UInt64) {
        var values = [[S]](repeating: [], count: layout.count)
        func set(_ id: Int, _ floats: [Float]) {
            precondition(floats.count == layout.elementCount(id), "\(layout.names[id]): wrong size")
            values[id] = floats.map { S($0) }
        }
        set(layout.wordEmbeddings, weights.wordEmbeddings)
        set(layout.positionEmbeddings, weights.positionEmbeddings)
        set(layout.tokenTypeEmbeddings, weights.tokenTypeEmbeddings)
        set(layout.embeddingNormGamma, weights.embeddingNormGamma)
        set(layout.embeddingNormBeta, weights.embeddingNormBeta)
        for (ids, layer) in zip(layout.layers, weights.layers) {
            set(ids.qkv.weight, layer.qkvWeight)
            set(ids.qkv.bias, layer.qkvBias)
            set(ids.attentionOutput.weight, layer.attentionOutputWeight)
            set(ids.attentionOutput.bias, layer.attentionOutputBias)
            set(ids.attentionNormGamma, layer.attentionNormGamma)
            set(ids.attentionNormBeta, layer.attentionNormBeta)
            set(ids.intermediate.weight, layer.intermediateWeight)
            set(ids.intermediate.bias, layer.intermediateBias)
            set(ids.output.weight, layer.outputWeight)
            set(ids.output.bias, layer.outputBias)
            set(ids.outputNormGamma, layer.outputNormGamma)
            set(ids.outputNormBeta, layer.outputNormBeta)
        }
        var random = SplitMix64(seed: seed)
        Self.initialiseNew(&values, layout: layout, random: &random)
        self.init(layout: layout, tensors: values.map { TrainingBuffer($0) })
    }

    /// Every tensor random (for gradient checks on a tiny configuration): matrices and embeddings uniform in
    /// ±`scale`, LayerNorm gammas near 1, adapters' B non-zero so that A's gradient is not trivially zero.
    static func random(layout: EncoderParameterLayout, seed: UInt64, scale: Double) -> EncoderParameters<S> {
        var random = SplitMix64(seed: seed)
        var values = [[S]](repeating: [], count: layout.count)
        for id in 0..<layout.count {
            let name = layout.names[id]
            let isGamma = name.hasSuffix(".gamma")
            values[id] = (0..<layout.elementCount(id)).map { _ in
                let u = (random.nextUnit() * 2 - 1) * scale
                return S(isGamma ? 1 + u : u)
            }
        }
        return EncoderParameters(layout: layout, tensors: values.map { TrainingBuffer($0) })
    }

    /// Draws the head and the adapters: tensors the pretrained checkpoint does not hold.
    private static func initialiseNew(_ values: inout [[S]], layout: EncoderParameterLayout, random: inout SplitMix64) {
        let h = layout.config.hiddenSize
        values[layout.headWeight] = (0..<(layout.labelCount * h)).map { _ in S(0.02 * normal(&random)) }
        values[layout.headBias] = [S](repeating: 0, count: layout.labelCount)
        for ids in layout.layers {
            for linear in [ids.qkv, ids.attentionOutput, ids.intermediate, ids.output] {
                guard let a = linear.loraA, let b = linear.loraB else { continue }
                // PEFT: kaiming_uniform_(a=√5) on A, i.e. U(±1/√fan_in); B zero so the start equals the base model.
                let bound = 1 / Double(linear.inputs).squareRoot()
                values[a] = (0..<layout.elementCount(a)).map { _ in S((random.nextUnit() * 2 - 1) * bound) }
                values[b] = [S](repeating: 0, count: layout.elementCount(b))
            }
        }
    }

    /// A standard normal draw (Box–Muller).
    private static func normal(_ random: inout SplitMix64) -> Double {
        let u1 = max(random.nextUnit(), 1e-300)
        let u2 = random.nextUnit()
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }
}
