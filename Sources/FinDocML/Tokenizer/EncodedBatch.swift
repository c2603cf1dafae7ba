/// A padded batch of encoded texts, ready for the encoder: every row has `sequenceLength` entries.
///
/// Rows keep the order of the input texts. Padding is on the right with `[PAD]` (id 0 in BERT vocabularies),
/// attention mask 0 and offsets `0..<0`; token type ids are all 0 (single sentences).
public struct EncodedBatch: Sendable, Equatable {
    /// Token ids, one row per text.
    public var ids: [[Int32]]
    /// 1 for real tokens (`[CLS]` and `[SEP]` included), 0 for padding.
    public var attentionMask: [[Int32]]
    /// Segment ids: all 0 for single texts.
    public var tokenTypeIDs: [[Int32]]
    /// Number of real tokens per row (the count of 1s in its mask).
    public var lengths: [Int]
    /// Per row and token, the Unicode scalar range of the input it covers (`0..<0` for special and padding tokens).
    public var offsets: [[Range<Int>]]
    /// How many WordPiece tokens truncation dropped, per row.
    public var truncatedTokenCounts: [Int]
    /// The padded length of every row.
    public var sequenceLength: Int

    /// Pads `texts` to `padTo` tokens, or to the longest of them when nil.
    public init(_ texts: [TokenizedText], padTo: Int? = nil, paddingID: Int32 = 0) {
        let longest = texts.map(\.ids.count).max() ?? 0
        let length = max(padTo ?? longest, longest)
        sequenceLength = length
        lengths = texts.map(\.ids.count)
        truncatedTokenCounts = texts.map(\.truncatedTokenCount)
        ids = texts.map { $0.ids + Array(repeating: paddingID, count: length - $0.ids.count) }
        attentionMask = texts.map {
            Array(repeating: 1, count: $0.ids.count) + Array(repeating: 0, count: length - $0.ids.count)
        }
        tokenTypeIDs = texts.map { _ in Array(repeating: 0, count: length) }
        offsets = texts.map { $0.offsets + Array(repeating: 0..<0, count: length - $0.offsets.count) }
    }

    /// The number of rows.
    public var count: Int { ids.count }

    /// Ids in one row-major array of `count × sequenceLength`, as a matrix kernel wants them.
    public var flatIDs: [Int32] { ids.flatMap { $0 } }

    /// The attention mask in one row-major array of `count × sequenceLength`.
    public var flatAttentionMask: [Int32] { attentionMask.flatMap { $0 } }
}
