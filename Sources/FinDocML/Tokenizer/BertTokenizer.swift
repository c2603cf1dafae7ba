import Foundation

/// The BERT uncased WordPiece tokenizer of all-MiniLM-L6-v2: basic tokenizer, WordPiece, `[CLS] … [SEP]`,
/// truncation, padding and attention masks, giving the same ids as the reference `tokenizers` library
/// (`tokenizer.json` of the model; see `Scripts/reference/make_tokenizer_fixture.py`).
///
/// Special tokens written literally in the text (`[CLS]`, `[SEP]`, `[PAD]`, `[UNK]`, `[MASK]`, case-sensitive) are
/// kept as those tokens, as the reference does. Offsets are ranges of Unicode scalar indices into the input
/// (Python string indices); special and padding tokens get `0..<0`.
///
///     let tokenizer = try BertTokenizer.installed()
///     let batch = tokenizer.encode(["Revenue rose 5%.", "Guidance was cut."], padding: .longest)
///     // batch.ids[0] == [101, 6599, 3123, 1019, 1003, 1012, 102]
public struct BertTokenizer: Sendable {
    /// The folder name of the base model in the models directory.
    public static let defaultModelName = "all-MiniLM-L6-v2"
    /// The sequence length the model was trained with and the default here (the model accepts up to 512).
    public static let defaultMaxLength = 128

    /// The vocabulary.
    public let vocabulary: WordPieceVocabulary
    /// Normalisation and pre-tokenisation.
    public let basic: BasicTokenizer
    /// The WordPiece splitter.
    public let wordPiece: WordPieceTokenizer
    /// Default maximum length of an encoded sequence, `[CLS]` and `[SEP]` included.
    public var maxLength: Int
    /// Id of `[CLS]`.
    public let classifierID: Int32
    /// Id of `[SEP]`.
    public let separatorID: Int32
    /// Id of `[PAD]`.
    public let paddingID: Int32
    /// Id of `[UNK]`.
    public let unknownID: Int32
    private let specialPatterns: [SpecialTokenPattern]

    /// Builds a tokenizer over a vocabulary that holds `[CLS]`, `[SEP]`, `[PAD]` and `[UNK]`.
    public init(
        vocabulary: WordPieceVocabulary, basic: BasicTokenizer = BasicTokenizer(), maxLength: Int = defaultMaxLength,
        maxInputCharactersPerWord: Int = 100, path: String = "vocab.txt"
    ) throws {
        func required(_ token: String) throws -> Int32 {
            guard let id = vocabulary.id(of: token) else {
                throw TokenizerError.vocabularyInvalid(path: path, line: nil, reason: "the vocabulary has no \(token) token")
            }
            return id
        }
        classifierID = try required("[CLS]")
        separatorID = try required("[SEP]")
        paddingID = try required("[PAD]")
        unknownID = try required("[UNK]")
        self.vocabulary = vocabulary
        self.basic = basic
        self.maxLength = max(2, maxLength)
        wordPiece = WordPieceTokenizer(
            vocabulary: vocabulary, unknownID: unknownID, maxInputCharactersPerWord: maxInputCharactersPerWord)
        specialPatterns = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"].compactMap { token in
            vocabulary.id(of: token).map { SpecialTokenPattern(scalars: token.unicodeScalars.map(\.value), id: $0) }
        }
    }

    /// Loads `vocab.txt` from `url`.
    public init(vocabularyURL url: URL, maxLength: Int = defaultMaxLength) throws {
        try self.init(vocabulary: WordPieceVocabulary(contentsOf: url), maxLength: maxLength, path: url.path)
    }

    /// Loads the tokenizer of an installed model folder (its `vocab.txt`).
    public init(modelFolder: URL, maxLength: Int = defaultMaxLength) throws {
        try self.init(vocabularyURL: modelFolder.appendingPathComponent("vocab.txt"), maxLength: maxLength)
    }

    /// The tokenizer of the model installed in the models directory (`FINDOC_MODELS`, else the user's cache).
    /// Throws `TokenizerError.vocabularyMissing`, whose message says how to install it, when it is not there.
    public static func installed(
        in directory: ModelsDirectory = .resolve(), model: String = defaultModelName, maxLength: Int = defaultMaxLength
    ) throws -> BertTokenizer {
        try BertTokenizer(modelFolder: directory.folder(named: model), maxLength: maxLength)
    }

    // MARK: - Encoding

    /// The WordPiece tokens of `text` without `[CLS]`/`[SEP]` and without truncation (for inspection).
    public func tokenize(_ text: String) -> [String] {
        var state = EncodingState(wordPiece: wordPiece)
        pieces(of: text, state: &state)
        return state.sink.run.ids.map { vocabulary.tokens[Int($0)] }
    }

    /// Encodes one text as `[CLS] pieces [SEP]`, truncated to `maxLength` (default: the tokenizer's), not padded.
    public func encode(_ text: String, maxLength: Int? = nil) -> TokenizedText {
        var state = EncodingState(wordPiece: wordPiece)
        return encode(text, limit: max(2, maxLength ?? self.maxLength), state: &state)
    }

    /// Encodes a batch: each text as `encode` does, then padded with `[PAD]` to the longest sequence of the batch
    /// (`.longest`) or to the maximum length (`.maxLength`). Texts are independent: results do not depend on the
    /// batch they are in, only the padding does. Large batches are encoded on all cores.
    public func encode(_ texts: [String], maxLength: Int? = nil, padding: PaddingStrategy = .longest) -> EncodedBatch {
        let limit = max(2, maxLength ?? self.maxLength)
        return EncodedBatch(encodeEach(texts, maxLength: limit), padTo: padding == .maxLength ? limit : nil, paddingID: paddingID)
    }

    /// Encodes each text as `encode` does, unpadded, in input order: for callers that sort by length into buckets
    /// before padding (`EncodedBatch.init(_:padTo:paddingID:)`). Inputs of `parallelThreshold` texts or more are
    /// split over all cores.
    public func encodeEach(_ texts: [String], maxLength: Int? = nil, parallelThreshold: Int = 1_024) -> [TokenizedText] {
        let limit = max(2, maxLength ?? self.maxLength)
        let workers = min(ProcessInfo.processInfo.activeProcessorCount, texts.count / max(1, parallelThreshold / 2))
        if workers < 2 || texts.count < parallelThreshold {
            var state = EncodingState(wordPiece: wordPiece)
            return texts.map { encode($0, limit: limit, state: &state) }
        }
        // Each worker fills its own slot: distinct memory, so no locking and no copy-on-write races.
        let slots = UnsafeMutablePointer<[TokenizedText]>.allocate(capacity: workers)
        slots.initialize(repeating: [], count: workers)
        defer {
            slots.deinitialize(count: workers)
            slots.deallocate()
        }
        let shared = SendablePointer(pointer: slots)
        let chunk = (texts.count + workers - 1) / workers
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var state = EncodingState(wordPiece: wordPiece)
            let range = min(texts.count, worker * chunk)..<min(texts.count, (worker + 1) * chunk)
            shared.pointer[worker] = texts[range].map { encode($0, limit: limit, state: &state) }
        }
        return (0..<workers).flatMap { slots[$0] }
    }

    private func encode(_ text: String, limit: Int, state: inout EncodingState) -> TokenizedText {
        pieces(of: text, state: &state)
        let run = state.sink.run
        let kept = min(run.ids.count, limit - 2)
        var ids = [Int32]()
        ids.reserveCapacity(kept + 2)
        ids.append(classifierID)
        ids.append(contentsOf: run.ids[0..<kept])
        ids.append(separatorID)
        var offsets = [Range<Int>]()
        offsets.reserveCapacity(kept + 2)
        offsets.append(0..<0)
        for index in 0..<kept {
            offsets.append(Int(run.starts[index])..<Int(max(run.starts[index], run.ends[index])))
        }
        offsets.append(0..<0)
        return TokenizedText(ids: ids, offsets: offsets, truncatedTokenCount: run.ids.count - kept)
    }

    private func pieces(of text: String, state: inout EncodingState) {
        state.sink.run.removeAll()
        basic.scan(text, specialTokens: specialPatterns, scanner: &state.scanner, sink: &state.sink)
    }
}

/// A pointer handed to worker threads that each write a distinct element.
private struct SendablePointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
}

/// Scratch state reused across the texts of one call: buffers and the cache of non-ASCII scalar expansions.
private struct EncodingState {
    var scanner = NormalizingScanner()
    var sink: PieceSink

    init(wordPiece: WordPieceTokenizer) {
        sink = PieceSink(wordPiece: wordPiece, run: TokenRun(), buffers: WordPieceBuffers())
    }
}

/// Runs WordPiece on each word the basic tokenizer finds.
private struct PieceSink: PreTokenSink {
    let wordPiece: WordPieceTokenizer
    var run: TokenRun
    var buffers: WordPieceBuffers

    mutating func word(scalars: UnsafeBufferPointer<UInt32>, sources: UnsafeBufferPointer<Int32>) {
        wordPiece.split(scalars: scalars, sources: sources, into: &run, buffers: &buffers)
    }

    mutating func special(id: Int32, sourceStart: Int, sourceEnd: Int) {
        run.append(id, start: Int32(truncatingIfNeeded: sourceStart), end: Int32(truncatingIfNeeded: sourceEnd))
    }
}
