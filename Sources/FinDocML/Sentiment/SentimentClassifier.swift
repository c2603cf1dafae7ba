import Foundation

/// One sentence's sentiment: the best label, its probability, every label's probability (best first) and the
/// score P(positive) − P(negative).
public struct SentimentPrediction: Sendable, Equatable {
    /// The most probable label.
    public var label: String
    /// Its probability.
    public var probability: Float
    /// Every label with its probability, best first.
    public var topK: [LabelProbability]
    /// P(positive) − P(negative), in −1…1; nil when the head has no `positive`/`negative` labels.
    public var score: Float?
}

/// Text in, sentiment out: the WordPiece tokenizer, the MiniLM encoder and a head, for either kind of
/// `SentimentModel`. A frozen head reads the base encoder's mean-pooled, L2-normalised embeddings; a fine-tuned
/// bundle's adapters are merged into a copy of the encoder's weights at load (so inference runs at the plain
/// encoder's speed) and its head reads the mean-pooled hidden states.
///
/// Texts are tokenised once, sorted by token count and encoded in batches of similar length (length buckets), so
/// a batch's sequences cost about the same; results come back in input order and do not depend on the batching.
public final class SentimentClassifier: Sendable {
    /// The model and its settings.
    public let model: SentimentModel
    /// The encoder the head reads (for a fine-tuned model, the base encoder with the adapters merged in).
    public let encoder: MiniLMEncoder
    /// The tokenizer of the encoder's vocabulary.
    public let tokenizer: BertTokenizer
    /// A fine-tuned model's head.
    private let fineTunedHead: ClassifierHead?

    /// The id its predictions carry: the model's id, plus `+int8` when the encoder runs int8 linear layers, so
    /// int8 and fp32 predictions of one head are never mistaken for each other (they differ on a few sentences).
    public var modelID: String { model.modelID + (encoder.usesInt8 ? Self.int8Suffix : "") }
    /// The suffix of `modelID` for an int8 encoder.
    public static let int8Suffix = "+int8"

    /// Builds a classifier from a frozen-head bundle and a loaded encoder (its folder supplies `vocab.txt`).
    public convenience init(bundle: SentimentBundle, encoder: MiniLMEncoder) throws {
        try self.init(model: .frozen(bundle), encoder: encoder)
    }

    /// Builds a classifier from either kind of model over the loaded base `encoder` (its folder supplies
    /// `vocab.txt` and, for a fine-tuned model, the base weights the adapters are merged into; its thread count
    /// and int8 setting carry over).
    public init(model: SentimentModel, encoder: MiniLMEncoder) throws {
        self.model = model
        switch model {
        case .frozen:
            self.encoder = encoder
            fineTunedHead = nil
        case .fineTuned(let bundle):
            let classifier = try MiniLMSequenceClassifier.restore(bundle: bundle, encoder: encoder)
            self.encoder = classifier.mergedEncoder(threads: encoder.threads, int8: encoder.usesInt8)
            fineTunedHead = ClassifierHead(classifier.headWeights, width: encoder.config.hiddenSize)
        }
        tokenizer = try BertTokenizer(modelFolder: encoder.modelDirectory, maxLength: model.maxLength)
    }

    /// Sentence embeddings of `texts`, in input order; `progress` is told how many are done after each batch.
    /// For a fine-tuned model these are the plain means of the adapted encoder's hidden states (what its head reads).
    public func embeddings(_ texts: [String], batch: Int = 32, progress: ((Int) -> Void)? = nil) throws -> [[Float]] {
        try Self.embeddings(
            texts, tokenizer: tokenizer, encoder: encoder, batch: batch, normalize: fineTunedHead == nil,
            progress: progress)
    }

    /// Sentence embeddings of `texts` through `tokenizer` (truncating at its `maxLength`) and `encoder`, in
    /// length buckets of `batch`, returned in input order; L2-normalised unless `normalize` is false.
    public static func embeddings(
        _ texts: [String], tokenizer: BertTokenizer, encoder: MiniLMEncoder, batch: Int = 32, normalize: Bool = true,
        progress: ((Int) -> Void)? = nil
    ) throws -> [[Float]] {
        let ids = tokenizer.encodeEach(texts).map(\.ids)
        let order = ids.indices.sorted { (ids[$0].count, $0) < (ids[$1].count, $1) }
        var out = [[Float]](repeating: [], count: texts.count)
        var start = 0
        while start < order.count {
            let end = min(start + max(1, batch), order.count)
            let slice = order[start..<end]
            let tokenIDs = slice.map { ids[$0] }
            let vectors =
                normalize
                ? try encoder.sentenceEmbeddings(tokenIDs: tokenIDs)
                : try encoder.lastHiddenStates(tokenIDs: tokenIDs).map {
                    MeanPooling.pooled($0, width: encoder.config.hiddenSize)
                }
            for (index, vector) in zip(slice, vectors) { out[index] = vector }
            start = end
            progress?(end)
        }
        return out
    }

    /// The sentiment of each text, in input order.
    public func classify(_ texts: [String], batch: Int = 32, progress: ((Int) -> Void)? = nil) throws
        -> [SentimentPrediction]
    {
        predictions(embeddings: try embeddings(texts, batch: batch, progress: progress))
    }

    /// The head's predictions for precomputed embeddings.
    public func predictions(embeddings: [[Float]]) -> [SentimentPrediction] {
        switch model {
        case .frozen(let bundle):
            return Self.predictions(head: bundle.head, embeddings: embeddings)
        case .fineTuned(let bundle):
            guard let head = fineTunedHead else { return [] }
            let probabilities = embeddings.map { MiniLMSequenceClassifier.softmax(head.logits($0)) }
            return Self.predictions(labels: bundle.config.labels, probabilities: probabilities)
        }
    }

    /// `head`'s predictions for precomputed embeddings.
    public static func predictions(head: SentimentHead, embeddings: [[Float]]) -> [SentimentPrediction] {
        predictions(labels: head.labels, probabilities: head.probabilities(embeddings))
    }

    /// Predictions from per-label probabilities (in `labels` order).
    static func predictions(labels: [String], probabilities: [[Float]]) -> [SentimentPrediction] {
        let positive = labels.firstIndex(of: "positive"), negative = labels.firstIndex(of: "negative")
        return probabilities.map { p in
            let ranked = zip(labels, p).map { LabelProbability(label: $0, probability: $1) }
                .sorted { ($0.probability, $1.label) > ($1.probability, $0.label) }
            let score = positive.flatMap { pos in negative.map { p[pos] - p[$0] } }
            return SentimentPrediction(
                label: ranked.first?.label ?? "", probability: ranked.first?.probability ?? 0, topK: ranked, score: score)
        }
    }
}
