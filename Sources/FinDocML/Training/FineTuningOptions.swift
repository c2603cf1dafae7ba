/// One of the four projections of a transformer layer that a low-rank adapter can wrap.
public enum LoRATarget: String, Sendable, CaseIterable, Codable {
    /// The fused query/key/value projection (`[3·hidden, hidden]`).
    case qkv
    /// The attention output projection (`[hidden, hidden]`).
    case attentionOutput = "attention_output"
    /// The feed-forward up projection (`[intermediate, hidden]`).
    case intermediate
    /// The feed-forward down projection (`[hidden, intermediate]`).
    case output
}

/// Low-rank adapter settings: `W' = W + (alpha / rank) · B · A`, with `A` `[rank, in]` drawn Kaiming-uniform (as
/// PEFT does) and `B` `[out, rank]` zero, so training starts from the base model exactly.
public struct LoRAConfiguration: Sendable, Equatable, Codable {
    /// The adapters' inner width (8 by default).
    public var rank: Int
    /// The scale numerator: updates are multiplied by `alpha / rank` (16 by default).
    public var alpha: Double
    /// Which projections of every layer get an adapter (all four by default).
    public var targets: Set<LoRATarget>

    /// Adapters of `rank` on `targets`, scaled by `alpha / rank`.
    public init(rank: Int = 8, alpha: Double = 16, targets: Set<LoRATarget> = Set(LoRATarget.allCases)) {
        precondition(rank > 0, "LoRA rank must be positive")
        self.rank = rank
        self.alpha = alpha
        self.targets = targets
    }

    /// The factor applied to `B · A`.
    public var scale: Double { alpha / Double(rank) }
}

/// What fine-tuning trains and how much dropout it uses.
public struct FineTuningOptions: Sendable, Equatable, Codable {
    /// Which encoder weights train.
    public enum Method: Sendable, Equatable, Codable {
        /// Low-rank adapters over frozen base weights (the compact default).
        case lora(LoRAConfiguration)
        /// Every encoder weight matrix, bias and LayerNorm (embedding tables only with `trainEmbeddings`).
        case full
    }

    /// Adapters or full fine-tuning.
    public var method: Method
    /// With LoRA, whether every LayerNorm's gamma and beta also train (a few thousand values).
    public var trainLayerNorms: Bool
    /// With full fine-tuning, whether the word, position and token-type tables train too (23 M more values).
    public var trainEmbeddings: Bool
    /// BERT's hidden dropout: after the embeddings and after the attention-output and output projections (0.1).
    public var hiddenDropout: Double
    /// Dropout on attention probabilities (0.1).
    public var attentionDropout: Double
    /// Dropout on the head's input (0.1).
    public var headDropout: Double

    /// The defaults: rank-8 LoRA on all four projections, frozen LayerNorms, BERT's dropout of 0.1 everywhere.
    public init(
        method: Method = .lora(LoRAConfiguration()), trainLayerNorms: Bool = false, trainEmbeddings: Bool = false,
        hiddenDropout: Double = 0.1, attentionDropout: Double = 0.1, headDropout: Double = 0.1
    ) {
        precondition(
            [hiddenDropout, attentionDropout, headDropout].allSatisfy { $0 >= 0 && $0 < 1 },
            "dropout probabilities must lie in [0, 1)")
        self.method = method
        self.trainLayerNorms = trainLayerNorms
        self.trainEmbeddings = trainEmbeddings
        self.hiddenDropout = hiddenDropout
        self.attentionDropout = attentionDropout
        self.headDropout = headDropout
    }

    /// The same settings with every dropout off (gradient checks, deterministic comparisons).
    public var withoutDropout: FineTuningOptions {
        var copy = self
        copy.hiddenDropout = 0
        copy.attentionDropout = 0
        copy.headDropout = 0
        return copy
    }

    /// The adapter settings, when the method is LoRA.
    var lora: LoRAConfiguration? {
        if case .lora(let configuration) = method { return configuration }
        return nil
    }
}
