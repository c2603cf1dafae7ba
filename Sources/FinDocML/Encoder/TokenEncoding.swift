/// What `findoc embed` (and anything else that feeds the encoder text) needs from a tokenizer: text in, the
/// model's token ids out, with `[CLS]` … `[SEP]` and truncation to `maxLength` already applied.
///
/// The WordPiece `BertTokenizer` is the implementation meant to conform; the protocol keeps the encoder and the
/// command independent of it, and lets a test feed ids produced by the reference tokenizer.
public protocol TokenEncoding: Sendable {
    /// Token ids of one text, `[CLS]` first and `[SEP]` last, at most `maxLength` ids.
    func tokenIDs(for text: String, maxLength: Int) -> [Int32]
}
