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

/// Text in, sentiment out: the WordPiece tokenizer, the frozen MiniLM encoder (mean-pooled, L2-normalised
/// embeddings) and a `SentimentHead`.
///
/// Texts are tokenised once, sorted by token count and encoded in batches of similar length (length buckets), so
/// a batch's sequences cost about the same; results come back in input order and do not depend on the batching.
public final class SentimentClassifier: Sendable {
    /// The head and its settings.
    public let bundle: SentimentBundle
    /// The encoder.
    public let encoder: MiniLMEncoder
    /// The tokenizer of the encoder's vocabulary.
    public let tokenizer: BertTokenizer

    /// The id its predictions carry: the bundle's id, plus `+int8` when the encoder runs int8 linear layers, so
    /// int8 and fp32 predictions of one head are never mistaken for each other (they differ on a few sentences).
    public var modelID: String { bundle.modelID + (encoder.usesInt8 ? Self.int8Suffix : "") }
    /// The suffix of `modelID` for an int8 encoder.
    public static let int8Suffix = "+int8"

    /// Builds a classifier from a bundle and a loaded encoder (its folder supplies `vocab.txt`).
    public init(bundle: SentimentBundle, encoder: MiniLMEncoder) throws {
        self.bundle = bundle
        self.encoder = encoder
        tokenizer = try BertTokenizer(modelFolder: encoder.modelDirectory, maxLength: bundle.maxLength)
    }

    /// Sentence embeddings of `texts`, in input order; `progress` is told how many are done after each batch.
    public func embeddings(_ texts: [String], batch: Int = 32, progress: ((Int) -> Void)? = nil) throws -> [[Float]] {
        try Self.embeddings(texts, tokenizer: tokenizer, encoder: encoder, batch: batch, progress: progress)
    }

    /// Sentence embeddings of `texts` through `tokenizer` (truncating at its `maxLength`) and `encoder`, in
    /// length buckets of `batch`, returned in input order.
    public static func embeddings(
        _ texts: [String], tokenizer: BertTokenizer, encoder: MiniLMEncoder, batch: Int = 32,
        progress: ((Int) -> Void)? = nil
    ) throws -> [[Float]] {
        let ids = tokenizer.encodeEach(texts).map(\.ids)
        let order = ids.indices.sorted { (ids[$0].count, $0) < (ids[$1].count, $1) }
        var out = [[Float]](repeating: [], count: texts.count)
        var start = 0
        while start < order.count {
            let end = min(start + max(1, batch), order.count)
            let slice = order[start..<end]
            let vectors = try encoder.sentenceEmbeddings(tokenIDs: slice.map { ids[$0] })
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
        Self.predictions(head: bundle.head, embeddings: embeddings)
    }

    /// `head`'s predictions for precomputed embeddings.
    public static func predictions(head: SentimentHead, embeddings: [[Float]]) -> [SentimentPrediction] {
        let positive = head.labels.firstIndex(of: "positive"), negative = head.labels.firstIndex(of: "negative")
        return head.probabilities(embeddings).map { p in
            let ranked = zip(head.labels, p).map { LabelProbability(label: $0, probability: $1) }
                .sorted { ($0.probability, $1.label) > ($1.probability, $0.label) }
            let score = positive.flatMap { pos in negative.map { p[pos] - p[$0] } }
            return SentimentPrediction(
                label: ranked.first?.label ?? "", probability: ranked.first?.probability ?? 0, topK: ranked, score: score)
        }
    }
}
