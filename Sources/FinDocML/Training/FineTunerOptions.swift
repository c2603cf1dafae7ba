/// How `FineTuner` trains: the loop, the optimiser, the schedule, clipping and early stopping. Codable, so a
/// bundle's `config.json` and a checkpoint record exactly what produced them.
public struct FineTunerOptions: Sendable, Equatable, Codable {
    /// Passes over the training data (the most; early stopping may end sooner).
    public var epochs: Int
    /// Examples per mini-batch.
    public var batchSize: Int
    /// Peak learning rate (reached at the end of warm-up).
    public var learningRate: Double
    /// AdamW's decoupled weight decay, on parameters that decay.
    public var weightDecay: Double
    /// Share of all optimiser steps spent ramping the rate up (transformers' `warmup_ratio`).
    public var warmupFraction: Double
    /// Largest global gradient norm; nil turns clipping off.
    public var clipNorm: Double?
    /// Seed of the batch shuffles and of dropout: the same data, model and seed give the same result.
    public var seed: UInt64
    /// Stop after this many epochs in a row without a better dev metric; nil never stops early.
    public var patience: Int?
    /// AdamW's β1.
    public var beta1: Double
    /// AdamW's β2.
    public var beta2: Double
    /// AdamW's ε.
    public var epsilon: Double
    /// Sorting window of the length buckets, in batches.
    public var bucketChunkBatches: Int

    /// Options with the usual BERT fine-tuning defaults (3 epochs, batch 32, rate 5e-5, decay 0.01, 10 % warm-up,
    /// clipping at 1.0, β 0.9/0.999, ε 1e-8) unless given.
    public init(
        epochs: Int = 3, batchSize: Int = 32, learningRate: Double = 5e-5, weightDecay: Double = 0.01,
        warmupFraction: Double = 0.1, clipNorm: Double? = 1.0, seed: UInt64 = 42, patience: Int? = 2,
        beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, bucketChunkBatches: Int = 50
    ) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.warmupFraction = warmupFraction
        self.clipNorm = clipNorm
        self.seed = seed
        self.patience = patience
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.bucketChunkBatches = bucketChunkBatches
    }

    enum CodingKeys: String, CodingKey {
        case epochs, seed, patience, beta1, beta2, epsilon
        case batchSize = "batch_size", learningRate = "learning_rate", weightDecay = "weight_decay"
        case warmupFraction = "warmup_fraction", clipNorm = "clip_norm", bucketChunkBatches = "bucket_chunk_batches"
    }

    /// AdamW's hyper-parameters.
    public var adamW: AdamW.Hyperparameters {
        AdamW.Hyperparameters(beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay)
    }

    /// The first option that makes no sense, as a sentence naming it; nil when all are usable.
    public var problem: String? {
        if epochs < 1 { return "epochs must be at least 1 (got \(epochs))" }
        if batchSize < 1 { return "batch size must be at least 1 (got \(batchSize))" }
        if !(learningRate.isFinite && learningRate > 0) { return "learning rate must be positive (got \(learningRate))" }
        if !(weightDecay.isFinite && weightDecay >= 0) { return "weight decay must be ≥ 0 (got \(weightDecay))" }
        if !(warmupFraction >= 0 && warmupFraction <= 1) {
            return "warm-up fraction must be between 0 and 1 (got \(warmupFraction))"
        }
        if let clipNorm, !(clipNorm.isFinite && clipNorm > 0) { return "clip norm must be positive (got \(clipNorm))" }
        if let patience, patience < 1 { return "patience must be at least 1 epoch (got \(patience))" }
        if !(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1) { return "betas must lie in [0, 1)" }
        if !(epsilon.isFinite && epsilon > 0) { return "epsilon must be positive (got \(epsilon))" }
        if bucketChunkBatches < 1 { return "bucket chunk must be at least 1 batch (got \(bucketChunkBatches))" }
        return nil
    }
}
