import FinDocCore

/// The words of a sentence for the token-classification model, with their Unicode scalar ranges, and the way from
/// per-word tags back to character spans.
///
/// Words are split on white space, and punctuation at either end of a word becomes a word of its own
/// (`(Acme,` → `(`, `Acme`, `,`), close to FiNER-ORD's tokenisation, which the model is trained on; punctuation
/// inside a word stays (`U.S.`, `AT&T`, `S&P`).
public struct SentenceWords: Sendable, Equatable {
    /// The words.
    public var words: [String]
    /// Per word, its half-open scalar range in the sentence.
    public var ranges: [Range<Int>]

    /// Splits `text`.
    public init(_ text: String) {
        let scalars = Array(text.unicodeScalars)
        var words: [String] = []
        var ranges: [Range<Int>] = []
        func isPunctuation(_ s: Unicode.Scalar) -> Bool {
            BasicTokenizer.isPunctuation(s) && s != "&"
        }
        func add(_ range: Range<Int>) {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[range])
            words.append(String(view))
            ranges.append(range)
        }
        var index = 0
        while index < scalars.count {
            if scalars[index].properties.isWhitespace {
                index += 1
                continue
            }
            var end = index
            while end < scalars.count, !scalars[end].properties.isWhitespace { end += 1 }
            var lower = index
            var upper = end
            var leading: [Range<Int>] = []
            var trailing: [Range<Int>] = []
            while lower < upper, isPunctuation(scalars[lower]) {
                leading.append(lower..<lower + 1)
                lower += 1
            }
            // Keep a final period of an abbreviation with an inner period (U.S.), split it otherwise (sales.).
            while upper > lower, isPunctuation(scalars[upper - 1]) {
                if scalars[upper - 1] == ".", scalars[lower..<upper - 1].contains(".") { break }
                trailing.insert(upper - 1..<upper, at: 0)
                upper -= 1
            }
            leading.forEach(add)
            if lower < upper { add(lower..<upper) }
            trailing.forEach(add)
            index = end
        }
        self.words = words
        self.ranges = ranges
    }

    /// The entity spans of BIO (or IO) `tags`, one per word, read as seqeval reads them (`EntityMetrics.entities`):
    /// each runs from its first word's start to its last word's end in `text` (the sentence these words came from).
    /// `probabilities`, when given per word, yields each span's mean word probability.
    public func spans(tags: [String], in text: String, probabilities: [Double]? = nil) -> [EntitySpan] {
        guard tags.count == words.count else { return [] }
        let scalars = Array(text.unicodeScalars)
        return EntityMetrics.entities(tags).compactMap { entity in
            let start = ranges[entity.first].lowerBound
            let end = ranges[entity.last].upperBound
            guard end <= scalars.count else { return nil }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[start..<end])
            var probability: Double?
            if let probabilities, probabilities.count == words.count {
                let slice = probabilities[entity.first...entity.last]
                probability = slice.reduce(0, +) / Double(slice.count)
            }
            return EntitySpan(
                start: start, end: end, type: EntityType(rawValue: entity.type), text: String(view), source: .model,
                probability: probability)
        }
    }
}
