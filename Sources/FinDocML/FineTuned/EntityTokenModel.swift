import Foundation

/// A fine-tuned entities bundle ready for inference: the token classifier with its adapters merged into the
/// encoder and the linear head on every token. It gives per-token log-probabilities (what `EntityTagger` turns into
/// character spans in sentence text) and, for pre-split words, BIO tags read at each word's first word-piece with
/// constrained Viterbi decoding.
///
/// The same reading serves the dev metric while training (`wordTags(logits:...)` on the training model's logits)
/// and inference from a bundle (`tag(_:)`), so what is selected is what ships.
public final class EntityTokenModel: Sendable {
    /// The bundle's id, recorded on stored entities.
    public let modelID: String
    /// The tags, in the head's order.
    public let labels: EntityLabelSet
    /// The encoder with the adapters merged in.
    public let encoder: MiniLMEncoder
    /// The tokenizer (truncating at the bundle's max length).
    public let tokenizer: BertTokenizer
    private let head: ClassifierHead
    private let decoder: BIODecoder
    /// Longest word-piece sequence read (the training length).
    public let maxLength: Int

    /// Loads an entities bundle over the base encoder in `modelDirectory`.
    public init(bundle: FineTunedBundle, modelDirectory: URL, threads: Int = 2, int8: Bool = false) throws {
        let model = try MiniLMTokenClassifier.restore(bundle: bundle, modelDirectory: modelDirectory, threads: threads)
        modelID = bundle.modelID + (int8 ? SentimentClassifier.int8Suffix : "")
        labels = EntityLabelSet(tags: bundle.config.labels)
        encoder = model.mergedEncoder(threads: threads, int8: int8)
        head = ClassifierHead(model.headWeights, width: model.config.hiddenSize)
        decoder = BIODecoder(labels: labels)
        maxLength = bundle.config.maxLength
        tokenizer = try BertTokenizer(modelFolder: modelDirectory, maxLength: bundle.config.maxLength)
    }

    /// Per-token log-probabilities over `labels` for each alignment (`tokens` rows of `labels.tags.count`), in
    /// length buckets of `batch`; the closure `EntityTagger.spans(in:logProbabilities:)` expects.
    public func logProbabilities(_ alignments: [WordPieceAlignment], batch: Int = 32) throws -> [[[Float]]] {
        let order = alignments.indices.sorted { (alignments[$0].count, $0) < (alignments[$1].count, $1) }
        var results = [[[Float]]](repeating: [], count: alignments.count)
        let width = encoder.config.hiddenSize
        var start = 0
        while start < order.count {
            let slice = order[start..<min(order.count, start + max(1, batch))]
            let states = try encoder.lastHiddenStates(tokenIDs: slice.map { alignments[$0].ids })
            for (index, hidden) in zip(slice, states) {
                let tokens = hidden.count / width
                results[index] = (0..<tokens).map { Self.logSoftmax(head.logits(hidden, offset: $0 * width)) }
            }
            start = slice.endIndex
        }
        return results
    }

    /// The tags of each sentence's words, with each word's probability of its tag (words the model cannot see, cut by
    /// truncation, get `O` with probability 1).
    public func tag(_ sentences: [[String]], batch: Int = 32) throws -> [(tags: [String], probabilities: [Double])] {
        let alignments = sentences.map { WordPieceAlignment(words: $0, tokenizer: tokenizer, maxLength: maxLength) }
        let scores = try logProbabilities(alignments, batch: batch)
        return zip(scores, alignments).map { decoder.decodeWords(tokenScores: $0, alignment: $1) }
    }

    /// Decodes one sentence: per-token `logits` (`tokens × labels`) → log-probabilities at each word's first piece
    /// → the best valid BIO sequence, with each word's probability of its chosen tag.
    public static func wordTags(logits: [Float], alignment: WordPieceAlignment, decoder: BIODecoder)
        -> (tags: [String], probabilities: [Double])
    {
        let count = decoder.labels.tags.count
        let tokenScores = (0..<alignment.count).map { t in
            logSoftmax(Array(logits[min(logits.count, t * count)..<min(logits.count, (t + 1) * count)]))
        }
        return decoder.decodeWords(tokenScores: tokenScores, alignment: alignment)
    }

    static func logSoftmax(_ row: [Float]) -> [Float] {
        let maximum = row.max() ?? 0
        let logSum = Foundation.log(row.reduce(Float(0)) { $0 + Foundation.exp($1 - maximum) }) + maximum
        return row.map { $0 - logSum }
    }
}
