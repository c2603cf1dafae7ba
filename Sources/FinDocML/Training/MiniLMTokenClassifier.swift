import Foundation

/// One sentence for token classification: its token ids and one label per token, −1 where the token does not count
/// ([CLS], [SEP], and the continuation word-pieces when labels are aligned to the first word-piece of each word).
public struct TokenClassificationExample: Sendable, Equatable {
    /// Token ids from `BertTokenizer`, 1…512 of them.
    public var tokenIDs: [Int32]
    /// One label per token: 0..<labelCount, or −1 to ignore it.
    public var labels: [Int]

    /// An example; `labels` must have one entry per token id.
    public init(tokenIDs: [Int32], labels: [Int]) {
        self.tokenIDs = tokenIDs
        self.labels = labels
    }
}

/// all-MiniLM-L6-v2 fine-tuned as a token classifier (BIO tagging): per-token dropout → linear head
/// `[labels, 384]` → softmax cross-entropy averaged over the batch's tokens whose label is ≥ 0.
///
/// Trains like `MiniLMSequenceClassifier` (LoRA by default, `threads` workers, deterministic for a seed). Decoding
/// (valid BIO sequences) belongs to the caller: `logits(tokenIDs:)` returns the raw per-token scores.
public final class MiniLMTokenClassifier: FineTunableModel {
    /// A sentence with its token labels.
    public typealias Example = TokenClassificationExample

    /// The encoder architecture.
    public var config: MiniLMConfig { state.config }
    /// Number of tags.
    public let labelCount: Int
    /// What trains and how much dropout.
    public let options: FineTuningOptions
    let state: EncoderClassifierState

    /// The base model from `modelDirectory` with a new `labelCount`-way head and new adapters drawn from `seed`.
    public convenience init(
        modelDirectory: URL, labelCount: Int, options: FineTuningOptions = FineTuningOptions(), seed: UInt64 = 0,
        threads: Int = 2
    ) throws(EncoderError) {
        guard labelCount >= 2 else { throw .badInput("a tagger needs at least 2 labels, not \(labelCount)") }
        let (config, weights) = try EncoderClassifierState.loadBase(modelDirectory: modelDirectory)
        self.init(
            config: config, weights: weights, modelDirectory: modelDirectory, labelCount: labelCount,
            options: options, seed: seed, threads: threads)
    }

    /// A tagger over weights already in memory (tests use tiny random configurations).
    init(
        config: MiniLMConfig, weights: MiniLMWeights, modelDirectory: URL, labelCount: Int,
        options: FineTuningOptions, seed: UInt64, threads: Int
    ) {
        self.labelCount = labelCount
        self.options = options
        state = EncoderClassifierState(
            config: config, weights: weights, modelDirectory: modelDirectory, options: options,
            labelCount: labelCount, head: .tokens, seed: seed, threads: threads)
    }

    /// Every tensor training updates (adapters or encoder weights, LayerNorms if asked, the head).
    public var trainableParameters: [TrainableParameter] { state.trainableParameters }

    /// The example's length in tokens.
    public func tokenCount(of example: Example) -> Int { example.tokenIDs.count }

    /// Throws when `example` cannot be trained on (bad ids, a label count that differs from the token count, a
    /// label outside −1..<labelCount). `accumulateGradients` treats a bad example as a programming error.
    public func check(_ example: Example, index: Int = 0) throws(EncoderError) {
        try state.check(tokenIDs: example.tokenIDs, index: index)
        guard example.labels.count == example.tokenIDs.count else {
            throw .badInput(
                "example \(index) has \(example.labels.count) labels for \(example.tokenIDs.count) tokens")
        }
        if let bad = example.labels.first(where: { $0 < -1 || $0 >= labelCount }) {
            throw .badInput("example \(index) has label \(bad); expected −1 (ignore) or 0..<\(labelCount)")
        }
    }

    /// Forward and backward over `batch` with dropout from `dropoutSeed`; adds the gradient of the mean loss over
    /// the batch's counted tokens to every trainable parameter and returns that loss (0 when no token counts).
    public func accumulateGradients(batch: [Example], dropoutSeed: UInt64) -> Double {
        accumulateGradients(batch: batch, dropoutSeed: dropoutSeed, workers: nil)
    }

    /// As `accumulateGradients(batch:dropoutSeed:)` with an explicit worker count (tests compare 1 and 2).
    func accumulateGradients(batch: [Example], dropoutSeed: UInt64, workers: Int?) -> Double {
        for (index, example) in batch.enumerated() {
            precondition((try? check(example, index: index)) != nil, "unchecked bad example \(index) in a batch")
        }
        let classifierBatch = ClassifierBatch(sequences: batch.map(\.tokenIDs), labels: .tokens(batch.map(\.labels)))
        return state.accumulate(classifierBatch, seed: dropoutSeed, workers: workers)
    }

    /// Per-token logits, dropout off: for sequence `s`, `tokenIDs[s].count × labelCount` values, row by row.
    public func logits(tokenIDs: [[Int32]]) throws(EncoderError) -> [[Float]] {
        for (index, ids) in tokenIDs.enumerated() { try state.check(tokenIDs: ids, index: index) }
        return state.logits(tokenIDs)
    }

    /// Per-token probabilities (softmax of each row of `logits(tokenIDs:)`), same layout.
    public func probabilities(tokenIDs: [[Int32]]) throws(EncoderError) -> [[Float]] {
        let l = labelCount
        return try logits(tokenIDs: tokenIDs).map { row in
            stride(from: 0, to: row.count, by: l).flatMap { MiniLMSequenceClassifier.softmax(Array(row[$0..<($0 + l)])) }
        }
    }

    /// A plain `MiniLMEncoder` with the adapters merged into its weights (apply `headWeights` to its
    /// `lastHiddenStates` for the same logits at the base encoder's speed).
    ///
    /// With `int8`, the merged weights are quantised as `MiniLMEncoder(int8: true)` does for the base model.
    public func mergedEncoder(threads: Int = 2, int8: Bool = false) -> MiniLMEncoder {
        state.mergedEncoder(threads: threads, int8: int8)
    }

    /// The head's weight (`[labels, hidden]`, row-major) and bias as they are now.
    public var headWeights: (weight: [Float], bias: [Float]) { state.headValues }
}
