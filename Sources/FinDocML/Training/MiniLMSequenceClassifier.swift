import Foundation

/// One sentence for sequence classification: its token ids (with [CLS] and [SEP]), its label index, and a loss
/// weight (1 by default; class re-weighting or agreement-based weighting).
public struct SequenceClassificationExample: Sendable, Equatable {
    /// Token ids from `BertTokenizer`, 1…512 of them.
    public var tokenIDs: [Int32]
    /// The label index, 0..<labelCount.
    public var label: Int
    /// The example's weight in the batch's weighted mean loss.
    public var weight: Float

    /// An example with `weight` 1 unless given.
    public init(tokenIDs: [Int32], label: Int, weight: Float = 1) {
        self.tokenIDs = tokenIDs
        self.label = label
        self.weight = weight
    }
}

/// all-MiniLM-L6-v2 fine-tuned as a sentence classifier: mean pooling over the tokens (no L2 normalisation) →
/// dropout → linear head `[labels, 384]` → softmax cross-entropy.
///
/// By default the encoder trains through rank-8 LoRA adapters on all four projections of every layer (base weights
/// frozen; see `FineTuningOptions`). `accumulateGradients` splits a batch over `threads` workers (default 2) and is
/// deterministic for a seed whatever the thread timing. After training, `mergedEncoder()` folds the adapters into
/// plain encoder weights for inference at the base encoder's speed.
///
/// ```swift
/// let model = try MiniLMSequenceClassifier(modelDirectory: BaseModel.folder(in: .resolve()), labelCount: 3)
/// let loss = model.accumulateGradients(batch: examples, dropoutSeed: 1)   // then the optimiser step
/// let p = try model.probabilities(tokenIDs: [[101, 7632, 102]])            // [[3 floats]]
/// ```
public final class MiniLMSequenceClassifier: FineTunableModel {
    /// A sentence with its label.
    public typealias Example = SequenceClassificationExample

    /// The encoder architecture.
    public var config: MiniLMConfig { state.config }
    /// Number of classes.
    public let labelCount: Int
    /// What trains and how much dropout.
    public let options: FineTuningOptions
    let state: EncoderClassifierState

    /// The base model from `modelDirectory` with a new `labelCount`-way head and new adapters drawn from `seed`.
    public convenience init(
        modelDirectory: URL, labelCount: Int, options: FineTuningOptions = FineTuningOptions(), seed: UInt64 = 0,
        threads: Int = 2
    ) throws(EncoderError) {
        guard labelCount >= 2 else { throw .badInput("a classifier needs at least 2 labels, not \(labelCount)") }
        let (config, weights) = try EncoderClassifierState.loadBase(modelDirectory: modelDirectory)
        self.init(
            config: config, weights: weights, modelDirectory: modelDirectory, labelCount: labelCount,
            options: options, seed: seed, threads: threads)
    }

    /// A classifier over weights already in memory (tests use tiny random configurations).
    init(
        config: MiniLMConfig, weights: MiniLMWeights, modelDirectory: URL, labelCount: Int,
        options: FineTuningOptions, seed: UInt64, threads: Int
    ) {
        self.labelCount = labelCount
        self.options = options
        state = EncoderClassifierState(
            config: config, weights: weights, modelDirectory: modelDirectory, options: options,
            labelCount: labelCount, head: .sequence, seed: seed, threads: threads)
    }

    /// Every tensor training updates: adapters (or encoder weights), LayerNorms if asked, then `head.weight` and
    /// `head.bias`.
    public var trainableParameters: [TrainableParameter] { state.trainableParameters }

    /// The example's length in tokens.
    public func tokenCount(of example: Example) -> Int { example.tokenIDs.count }

    /// Throws when `example` cannot be trained on (empty, too long, an id outside the vocabulary, a label outside
    /// 0..<labelCount, a negative or non-finite weight). Check examples when loading them: `accumulateGradients`
    /// treats a bad example as a programming error.
    public func check(_ example: Example, index: Int = 0) throws(EncoderError) {
        try state.check(tokenIDs: example.tokenIDs, index: index)
        guard (0..<labelCount).contains(example.label) else {
            throw .badInput("example \(index) has label \(example.label); expected 0..<\(labelCount)")
        }
        guard example.weight.isFinite, example.weight >= 0 else {
            throw .badInput("example \(index) has weight \(example.weight); expected a finite value ≥ 0")
        }
    }

    /// Forward and backward over `batch` with dropout from `dropoutSeed`; adds the gradient of the weighted mean
    /// loss (`Σ wᵢ·CEᵢ / Σ wᵢ`) to every trainable parameter and returns that loss.
    public func accumulateGradients(batch: [Example], dropoutSeed: UInt64) -> Double {
        accumulateGradients(batch: batch, dropoutSeed: dropoutSeed, workers: nil)
    }

    /// As `accumulateGradients(batch:dropoutSeed:)` with an explicit worker count (tests compare 1 and 2).
    func accumulateGradients(batch: [Example], dropoutSeed: UInt64, workers: Int?) -> Double {
        for (index, example) in batch.enumerated() {
            precondition((try? check(example, index: index)) != nil, "unchecked bad example \(index) in a batch")
        }
        let classifierBatch = ClassifierBatch(
            sequences: batch.map(\.tokenIDs),
            labels: .sentences(batch.map(\.label), weights: batch.map { Double($0.weight) }))
        return state.accumulate(classifierBatch, seed: dropoutSeed, workers: workers)
    }

    /// Class probabilities for each sequence, dropout off, over `threads` workers.
    public func probabilities(tokenIDs: [[Int32]]) throws(EncoderError) -> [[Float]] {
        for (index, ids) in tokenIDs.enumerated() { try state.check(tokenIDs: ids, index: index) }
        return state.logits(tokenIDs).map(Self.softmax)
    }

    /// A plain `MiniLMEncoder` with the adapters merged into its weights; with `headWeights`, it reproduces
    /// `probabilities(tokenIDs:)` at the base encoder's speed (mean-pool its `lastHiddenStates`, then the head).
    ///
    /// With `int8`, the merged weights are quantised as `MiniLMEncoder(int8: true)` does for the base model.
    public func mergedEncoder(threads: Int = 2, int8: Bool = false) -> MiniLMEncoder {
        state.mergedEncoder(threads: threads, int8: int8)
    }

    /// The head's weight (`[labels, hidden]`, row-major) and bias as they are now.
    public var headWeights: (weight: [Float], bias: [Float]) { state.headValues }

    static func softmax(_ logits: [Float]) -> [Float] {
        let maximum = logits.max() ?? 0
        let e = logits.map { Foundation.exp($0 - maximum) }
        let total = e.reduce(0, +)
        return e.map { $0 / total }
    }
}
