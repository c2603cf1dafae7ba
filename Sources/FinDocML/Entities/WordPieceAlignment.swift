/// Word-pieces of a pre-split sentence with, for every word, the index of its first word-piece: the bridge between
/// word-level tags and a token-classification model.
///
/// Matches the reference fine-tuning (`anchors/ner.py` `encode_batch`: `is_split_into_words=True`,
/// `truncation=True`, `max_length=256`): each word is normalised and split on its own, the pieces are joined as
/// `[CLS] pieces [SEP]` and cut to `maxLength` tokens; the label of a word goes on its FIRST piece, and −1 (ignored by
/// the loss, PyTorch's −100) on its other pieces, on `[CLS]` and on `[SEP]`. A word with no piece (only control
/// characters) or whose first piece was cut has no token: predictions give it `O`.
public struct WordPieceAlignment: Sendable, Equatable {
    /// The reference's maximum length in word-pieces, `[CLS]` and `[SEP]` included.
    public static let defaultMaxLength = 256
    /// The label id of tokens the loss ignores.
    public static let ignoredLabel = -1

    /// `[CLS] pieces [SEP]`.
    public var ids: [Int32]
    /// Per word, the token index of its first piece (nil when the word has no token).
    public var firstToken: [Int?]
    /// Per token, the word it belongs to (nil for `[CLS]`/`[SEP]`): the reference's `word_ids()`.
    public var wordOfToken: [Int?]

    /// Creates an alignment from its parts.
    public init(ids: [Int32], firstToken: [Int?], wordOfToken: [Int?]) {
        self.ids = ids
        self.firstToken = firstToken
        self.wordOfToken = wordOfToken
    }

    /// Tokenises `words` with `tokenizer`, truncating to `maxLength` tokens.
    public init(words: [String], tokenizer: BertTokenizer, maxLength: Int = defaultMaxLength) {
        let budget = max(0, maxLength - 2)
        var ids: [Int32] = [tokenizer.classifierID]
        var wordOfToken: [Int?] = [nil]
        var firstToken = [Int?](repeating: nil, count: words.count)
        wordLoop: for (index, word) in words.enumerated() {
            // encode gives [CLS] pieces [SEP]; a word is far shorter than this limit, so nothing is cut here.
            let encoded = tokenizer.encode(word, maxLength: Int(Int32.max))
            for piece in encoded.ids.dropFirst().dropLast() {
                guard ids.count - 1 < budget else { break wordLoop }
                if firstToken[index] == nil { firstToken[index] = ids.count }
                ids.append(piece)
                wordOfToken.append(index)
            }
        }
        ids.append(tokenizer.separatorID)
        wordOfToken.append(nil)
        self.init(ids: ids, firstToken: firstToken, wordOfToken: wordOfToken)
    }

    /// Number of tokens, `[CLS]` and `[SEP]` included.
    public var count: Int { ids.count }

    /// Words that have no token (cut by truncation, or empty after normalisation).
    public var lostWords: Int { firstToken.reduce(0) { $0 + ($1 == nil ? 1 : 0) } }

    /// Per-token training labels: `wordLabels[w]` on word `w`'s first piece, `ignoredLabel` elsewhere.
    public func tokenLabels(wordLabels: [Int]) -> [Int] {
        var labels = [Int](repeating: Self.ignoredLabel, count: ids.count)
        for (word, token) in firstToken.enumerated() {
            if let token, word < wordLabels.count { labels[token] = wordLabels[word] }
        }
        return labels
    }

    /// Per-word values read off each word's first token; words without a token get `missing`.
    public func wordValues<T>(tokenValues: [T], missing: T) -> [T] {
        firstToken.map { token in
            guard let token, token < tokenValues.count else { return missing }
            return tokenValues[token]
        }
    }
}

/// An ordered list of tags and their ids: the label space of a token-classification head.
public struct EntityLabelSet: Sendable, Equatable {
    /// The tags; a tag's id is its index.
    public let tags: [String]
    private let ids: [String: Int]

    /// Creates a label set; duplicate tags keep their first id.
    public init(tags: [String]) {
        self.tags = tags
        var ids: [String: Int] = [:]
        for (index, tag) in tags.enumerated() where ids[tag] == nil { ids[tag] = index }
        self.ids = ids
    }

    /// The sorted tags of `sentences`, as the reference builds its label list.
    public init(sentences: [NERSentence]) { self.init(tags: NERTags.labelList(of: sentences)) }

    /// The id of `tag`, nil when it is not in the set.
    public func id(of tag: String) -> Int? { ids[tag] }

    /// Ids of `tags`; a tag outside the set becomes the id of `O` (or nil when the set has no `O`).
    public func ids(of tags: [String]) -> [Int]? {
        var out: [Int] = []
        out.reserveCapacity(tags.count)
        for tag in tags {
            guard let id = ids[tag] ?? ids["O"] else { return nil }
            out.append(id)
        }
        return out
    }
}
