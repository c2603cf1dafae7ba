/// Entity-level exact-span precision, recall and F1, micro-averaged and per type, with the semantics of seqeval's
/// default mode (= conlleval), which the anchors score with (`anchors/lib/mlcommon.py` `ner_metrics`).
///
/// Chunking follows seqeval's `get_entities` on tags read as prefix = first character, type = the text after the
/// first `-`: a chunk ends before `B`, before `O`, or where the type changes; a chunk starts at `B`, at `I` after `O`
/// (so an `I-X` with no `B-X` before it opens an entity), or where the type changes. Sentences never share a chunk.
/// An entity is counted correct when its type, first and last word all match. Micro figures cover every type that
/// occurs (restrict types first, `NERTags.restrictTypes`, as the anchors do); a type's F1 with no prediction or
/// no gold is 0 (seqeval's `zero_division=0`).
public struct EntityMetrics: Sendable, Equatable {
    /// Counts and scores of one entity type, or of all together.
    public struct Score: Sendable, Equatable {
        /// Gold entities.
        public var support: Int
        /// Predicted entities.
        public var predicted: Int
        /// Predicted entities that match a gold entity exactly.
        public var correct: Int

        /// Creates a score from counts.
        public init(support: Int = 0, predicted: Int = 0, correct: Int = 0) {
            self.support = support
            self.predicted = predicted
            self.correct = correct
        }

        /// correct / predicted (0 when nothing was predicted).
        public var precision: Double { predicted == 0 ? 0 : Double(correct) / Double(predicted) }
        /// correct / support (0 when there is no gold entity).
        public var recall: Double { support == 0 ? 0 : Double(correct) / Double(support) }
        /// Harmonic mean of precision and recall (0 when both are 0).
        public var f1: Double {
            let p = precision
            let r = recall
            return p + r == 0 ? 0 : 2 * p * r / (p + r)
        }
    }

    /// Number of sentences scored.
    public var sentences: Int
    /// All types together (micro average).
    public var overall: Score
    /// Per entity type, for every type seen in gold or predictions.
    public var perType: [String: Score]

    /// Scores `predicted` against `gold`, sentence by sentence. Throws when a sentence's two tag lists differ in
    /// length (seqeval refuses them too).
    public init(gold: [[String]], predicted: [[String]]) throws {
        guard gold.count == predicted.count else {
            throw EntityMetricsError.sentenceCountMismatch(gold: gold.count, predicted: predicted.count)
        }
        var perType: [String: Score] = [:]
        for (index, (goldTags, predictedTags)) in zip(gold, predicted).enumerated() {
            guard goldTags.count == predictedTags.count else {
                throw EntityMetricsError.lengthMismatch(sentence: index, gold: goldTags.count, predicted: predictedTags.count)
            }
            let goldSpans = Set(Self.entities(goldTags))
            let predictedSpans = Set(Self.entities(predictedTags))
            for span in goldSpans { perType[span.type, default: Score()].support += 1 }
            for span in predictedSpans {
                perType[span.type, default: Score()].predicted += 1
                if goldSpans.contains(span) { perType[span.type, default: Score()].correct += 1 }
            }
        }
        var overall = Score()
        for score in perType.values {
            overall.support += score.support
            overall.predicted += score.predicted
            overall.correct += score.correct
        }
        self.sentences = gold.count
        self.overall = overall
        self.perType = perType
    }

    /// One entity: its type and the first and last word (inclusive), as seqeval reports it.
    public struct Span: Hashable, Sendable {
        /// Entity type, e.g. `PER`.
        public var type: String
        /// Index of the first word.
        public var first: Int
        /// Index of the last word (inclusive).
        public var last: Int

        /// Creates a span.
        public init(type: String, first: Int, last: Int) {
            self.type = type
            self.first = first
            self.last = last
        }
    }

    /// The entities of one sentence's tags, in seqeval's (conlleval) reading.
    public static func entities(_ tags: [String]) -> [Span] {
        var spans: [Span] = []
        var previousPrefix: Character = "O"
        var previousType = ""
        var begin = 0
        for index in 0...tags.count {
            // A trailing O closes the last chunk, as seqeval appends one.
            let tag = index < tags.count ? tags[index] : "O"
            let prefix = tag.first ?? "O"
            let rest = tag.dropFirst()
            let afterDash = rest.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).last.map(String.init) ?? ""
            let type = afterDash.isEmpty ? "_" : afterDash
            if endOfChunk(previousPrefix, prefix, previousType, type) {
                spans.append(Span(type: previousType, first: begin, last: index - 1))
            }
            if startOfChunk(previousPrefix, prefix, previousType, type) { begin = index }
            previousPrefix = prefix
            previousType = type
        }
        return spans
    }

    /// seqeval's `end_of_chunk`.
    private static func endOfChunk(_ previous: Character, _ current: Character, _ previousType: String, _ type: String) -> Bool {
        if previous == "E" || previous == "S" { return true }
        if previous == "B" || previous == "I", current == "B" || current == "S" || current == "O" { return true }
        return previous != "O" && previous != "." && previousType != type
    }

    /// seqeval's `start_of_chunk`.
    private static func startOfChunk(_ previous: Character, _ current: Character, _ previousType: String, _ type: String) -> Bool {
        if current == "B" || current == "S" { return true }
        if previous == "E" || previous == "S" || previous == "O", current == "E" || current == "I" { return true }
        return current != "O" && current != "." && previousType != type
    }
}

/// Why two tag lists cannot be scored against each other.
public enum EntityMetricsError: Error, Equatable, CustomStringConvertible {
    /// Different numbers of sentences.
    case sentenceCountMismatch(gold: Int, predicted: Int)
    /// A sentence with different numbers of tags.
    case lengthMismatch(sentence: Int, gold: Int, predicted: Int)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case let .sentenceCountMismatch(gold, predicted):
            "gold has \(gold) sentences but the predictions have \(predicted)"
        case let .lengthMismatch(sentence, gold, predicted):
            "sentence \(sentence): gold has \(gold) tags but the prediction has \(predicted)"
        }
    }
}
