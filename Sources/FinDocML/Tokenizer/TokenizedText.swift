/// How `BertTokenizer.encode(_:maxLength:padding:)` pads a batch.
public enum PaddingStrategy: Sendable, Equatable {
    /// To the longest sequence in the batch (least work for the encoder).
    case longest
    /// To the maximum length, whatever the texts (fixed shapes).
    case maxLength
}

/// One encoded text: `[CLS] … [SEP]`, unpadded.
public struct TokenizedText: Sendable, Equatable {
    /// Token ids.
    public var ids: [Int32]
    /// Per token, the Unicode scalar range of the input it covers (`0..<0` for `[CLS]`/`[SEP]`).
    public var offsets: [Range<Int>]
    /// How many WordPiece tokens truncation dropped (0 when the text fitted).
    public var truncatedTokenCount: Int

    /// Creates an encoding.
    public init(ids: [Int32], offsets: [Range<Int>], truncatedTokenCount: Int = 0) {
        self.ids = ids
        self.offsets = offsets
        self.truncatedTokenCount = truncatedTokenCount
    }
}
