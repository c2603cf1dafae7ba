import FinDocCore
import Foundation

/// The glue from a token-classification model to entity spans in sentence text: split each sentence into words
/// (`SentenceWords`), align them to word-pieces (`WordPieceAlignment`), let the model score every token, read each
/// word's scores off its first piece, decode the best valid BIO sequence (`BIODecoder`) and turn it back into
/// character spans with a probability (the mean over the entity's words of the chosen tag's probability).
///
/// The model is a closure so this file needs no encoder: `logProbabilities` gets the alignments of a batch and returns,
/// per sentence, one row per token of log-probabilities over `labels` (log-softmax of the head's logits).
public struct EntityTagger: Sendable {
    /// The head's label space.
    public let labels: EntityLabelSet
    /// The word-piece tokenizer.
    public let tokenizer: BertTokenizer
    /// Maximum word-pieces per sentence (the training length).
    public let maxLength: Int
    private let decoder: BIODecoder

    /// Creates a tagger for a head over `labels`.
    public init(labels: EntityLabelSet, tokenizer: BertTokenizer, maxLength: Int = WordPieceAlignment.defaultMaxLength) {
        self.labels = labels
        self.tokenizer = tokenizer
        self.maxLength = maxLength
        decoder = BIODecoder(labels: labels)
    }

    /// The PER/ORG/LOC spans of each of `texts` (other types the head may know become `O`).
    public func spans(
        in texts: [String], logProbabilities: ([WordPieceAlignment]) throws -> [[[Float]]]
    ) throws -> [[EntitySpan]] {
        let words = texts.map(SentenceWords.init)
        let alignments = words.map { WordPieceAlignment(words: $0.words, tokenizer: tokenizer, maxLength: maxLength) }
        let scores = try logProbabilities(alignments)
        guard scores.count == texts.count else { throw EntityTaggerError.batchSize(expected: texts.count, got: scores.count) }
        return texts.indices.map { index in
            let decoded = decoder.decodeWords(tokenScores: scores[index], alignment: alignments[index])
            return words[index].spans(
                tags: NERTags.restrictTypes(decoded.tags), in: texts[index], probabilities: decoded.probabilities)
        }
    }
}

/// A model closure that broke the tagger's contract.
public enum EntityTaggerError: Error, Equatable, CustomStringConvertible {
    /// It returned scores for a different number of sentences.
    case batchSize(expected: Int, got: Int)

    public var description: String {
        switch self {
        case let .batchSize(expected, got): "the entity model returned \(got) score lists for \(expected) sentences"
        }
    }
}
