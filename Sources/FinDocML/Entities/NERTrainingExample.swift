/// One sentence ready for token-classification training: word-piece ids and per-token label ids (−1 where the loss
/// ignores the token), built as the reference fine-tuning builds them (`anchors/ner.py` `encode_batch`).
public struct NERTrainingExample: Sendable, Equatable {
    /// `[CLS] pieces [SEP]`, at most `maxLength` long.
    public var ids: [Int32]
    /// Per token: the word's tag id on its first piece, `WordPieceAlignment.ignoredLabel` elsewhere.
    public var labels: [Int]
    /// The alignment, to map predictions back to words.
    public var alignment: WordPieceAlignment

    /// Builds the example; nil when a tag is outside `labelSet` and the set has no `O` to fall back on.
    public init?(
        sentence: NERSentence, tokenizer: BertTokenizer, labelSet: EntityLabelSet,
        maxLength: Int = WordPieceAlignment.defaultMaxLength
    ) {
        guard let wordLabels = labelSet.ids(of: sentence.tags) else { return nil }
        alignment = WordPieceAlignment(words: sentence.words, tokenizer: tokenizer, maxLength: maxLength)
        ids = alignment.ids
        labels = alignment.tokenLabels(wordLabels: wordLabels)
    }
}
