/// WordPiece: splits one pre-tokenised word into vocabulary pieces, greedily taking the longest piece that is in
/// the vocabulary at each position (`##` marks a piece inside a word). A word that cannot be split completely, or
/// that is longer than `maxInputCharactersPerWord` scalars, becomes a single `[UNK]`.
public struct WordPieceTokenizer: Sendable {
    /// The vocabulary looked up.
    public let vocabulary: WordPieceVocabulary
    /// The id emitted for words that cannot be split.
    public let unknownID: Int32
    /// Longer words (in Unicode scalars) become `[UNK]` without being looked at (100 in BERT).
    public let maxInputCharactersPerWord: Int

    /// Creates a WordPiece tokenizer over `vocabulary`.
    public init(vocabulary: WordPieceVocabulary, unknownID: Int32, maxInputCharactersPerWord: Int = 100) {
        self.vocabulary = vocabulary
        self.unknownID = unknownID
        self.maxInputCharactersPerWord = maxInputCharactersPerWord
    }

    /// The pieces of one word, as vocabulary tokens (for inspection and tests).
    public func pieces(of word: String) -> [String] {
        var output = TokenRun()
        var buffers = WordPieceBuffers()
        let scalars = word.unicodeScalars.map(\.value)
        let sources = (0..<scalars.count).map { Int32($0) }
        scalars.withUnsafeBufferPointer { scalars in
            sources.withUnsafeBufferPointer { sources in
                split(scalars: scalars, sources: sources, into: &output, buffers: &buffers)
            }
        }
        return output.ids.map { vocabulary.tokens[Int($0)] }
    }

    /// Appends the pieces of the word `scalars` (normalised scalars, with the original index of each in
    /// `sources`) to `output`.
    func split(
        scalars: UnsafeBufferPointer<UInt32>, sources: UnsafeBufferPointer<Int32>, into output: inout TokenRun,
        buffers: inout WordPieceBuffers
    ) {
        let count = scalars.count
        guard count > 0 else { return }
        let wordStart = sources.min() ?? 0
        let wordEnd = (sources.max() ?? 0) + 1
        if count > maxInputCharactersPerWord {
            output.append(unknownID, start: wordStart, end: wordEnd)
            return
        }
        // UTF-8 bytes of the word and the byte offset where each scalar starts, so pieces are byte slices.
        buffers.bytes.removeAll(keepingCapacity: true)
        buffers.boundaries.removeAll(keepingCapacity: true)
        for value in scalars {
            buffers.boundaries.append(Int32(buffers.bytes.count))
            if value < 0x80 {
                buffers.bytes.append(UInt8(truncatingIfNeeded: value))
            } else {
                UTF8.encode(Unicode.Scalar(value) ?? "\u{FFFD}") { buffers.bytes.append($0) }
            }
        }
        buffers.boundaries.append(Int32(buffers.bytes.count))
        let mark = output.ids.count
        let found: Bool = buffers.bytes.withUnsafeBufferPointer { bytes in
            buffers.boundaries.withUnsafeBufferPointer { boundaries in
                var start = 0
                while start < count {
                    let limit = start == 0 ? vocabulary.longestWordStart : vocabulary.longestContinuation
                    var end = count
                    var id: Int32?
                    while end > start {
                        let from = Int(boundaries[start])
                        let length = Int(boundaries[end]) - from
                        if length <= limit {
                            let piece = UnsafeBufferPointer(rebasing: bytes[from..<from + length])
                            id = start == 0 ? vocabulary.wordStartID(piece) : vocabulary.continuationID(piece)
                            if id != nil { break }
                        }
                        end -= 1
                    }
                    guard let id else { return false }
                    output.append(id, start: sources[start], end: sources[end - 1] + 1)
                    start = end
                }
                return true
            }
        }
        if !found {
            output.truncate(to: mark)
            output.append(unknownID, start: wordStart, end: wordEnd)
        }
    }
}

/// Reusable scratch space for `WordPieceTokenizer.split`.
struct WordPieceBuffers {
    var bytes: [UInt8] = []
    var boundaries: [Int32] = []
}

/// Token ids with the original scalar range of each.
struct TokenRun {
    var ids: [Int32] = []
    var starts: [Int32] = []
    var ends: [Int32] = []

    @inline(__always)
    mutating func append(_ id: Int32, start: Int32, end: Int32) {
        ids.append(id)
        starts.append(start)
        ends.append(end)
    }

    mutating func truncate(to count: Int) {
        ids.removeSubrange(count...)
        starts.removeSubrange(count...)
        ends.removeSubrange(count...)
    }

    mutating func removeAll() {
        ids.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
    }
}
