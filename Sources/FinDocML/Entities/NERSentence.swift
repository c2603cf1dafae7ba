/// One sentence of token-classification data: the words as the file splits them and one tag per word.
///
/// Tags are kept as written in BIO (`B-PER`, `I-ORG`, `O`) or IO (`I-PER`) form, with types outside
/// `NERTags.keptTypes` already mapped to `O` by the readers.
public struct NERSentence: Sendable, Equatable {
    /// The words, in order.
    public var words: [String]
    /// One tag per word.
    public var tags: [String]
    /// 1-based line of the sentence's first word in its file (nil for sentences built in code).
    public var line: Int?

    /// Creates a sentence; `words` and `tags` must have the same length (the readers guarantee it).
    public init(words: [String], tags: [String], line: Int? = nil) {
        self.words = words
        self.tags = tags
        self.line = line
    }
}

/// The tag vocabulary of findoc's entity tasks, and the conversions the anchors' scoring applies
/// (`anchors/lib/mlcommon.py`: `FINER_ID2TAG`, `KEEP_TYPES`, `restrict_types`, `to_io`).
public enum NERTags {
    /// The entity types the model is trained and scored on.
    public static let keptTypes: Set<String> = ["PER", "LOC", "ORG"]

    /// FiNER-ORD's integer labels: 0=O, 1=B-PER, 2=I-PER, 3=B-LOC, 4=I-LOC, 5=B-ORG, 6=I-ORG.
    public static let finerTags = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG"]

    /// The entity type of a tag: `PER` for `B-PER`/`I-PER`, nil for `O` (seqeval's reading: text after the first `-`).
    public static func entityType(of tag: String) -> String? {
        guard tag != "O", let dash = tag.firstIndex(of: "-") else { return tag == "O" ? nil : tag }
        return String(tag[tag.index(after: dash)...])
    }

    /// Maps every tag whose type is not in `keep` to `O` (MISC and the like), as `restrict_types` does.
    public static func restrictTypes(_ tags: [String], keep: Set<String> = keptTypes) -> [String] {
        tags.map { tag in
            guard tag != "O" else { return tag }
            let type = tag.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).last.map(String.init) ?? tag
            return keep.contains(type) ? tag : "O"
        }
    }

    /// Converts BIO tags to IO (`B-X` → `I-X`), as `to_io` does; used when the gold data has no `B-` tags.
    public static func toIO(_ tags: [String]) -> [String] {
        tags.map { tag in
            guard tag != "O" else { return tag }
            let type = tag.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).last.map(String.init) ?? tag
            return "I-" + type
        }
    }

    /// The tagging scheme of a data set: IO when no tag starts with `B-` (the SEC-filings data), else BIO — the
    /// anchors' `--scheme auto` rule.
    public static func scheme(of sentences: [NERSentence]) -> NERScheme {
        sentences.contains { $0.tags.contains { $0.hasPrefix("B-") } } ? .bio : .io
    }

    /// The sorted set of tags in `sentences`: the label list the reference fine-tuning uses
    /// (`labels = sorted({t for _, y in data for t in y})`).
    public static func labelList(of sentences: [NERSentence]) -> [String] {
        Set(sentences.flatMap(\.tags)).sorted()
    }
}

/// How entity boundaries are written in a data set.
public enum NERScheme: String, Sendable, Equatable {
    /// `B-X` opens an entity, `I-X` continues it.
    case bio = "BIO"
    /// Only `I-X`: adjacent words of one type form one entity.
    case io = "IO"
}
