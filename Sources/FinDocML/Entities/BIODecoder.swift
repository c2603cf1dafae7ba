import Foundation

/// Constrained ("valid-sequence") decoding of per-word tag scores: the highest-scoring tag sequence that is valid
/// BIO, found by Viterbi.
///
/// Valid means: `I-X` only right after `B-X` or `I-X`, and never first. Every other transition is allowed with no
/// cost, so the best valid path maximises the sum of the per-word log-probabilities. A type with no `B-X` tag in the
/// label set (an IO-scheme model) leaves its `I-X` unconstrained. Ties go to the lower tag id, so the result is
/// deterministic.
public struct BIODecoder: Sendable {
    /// The label space.
    public let labels: EntityLabelSet
    /// `allowedAfter[p][c]`: tag `c` may follow tag `p`.
    private let allowedAfter: [[Bool]]
    /// `allowedFirst[c]`: tag `c` may open a sentence.
    private let allowedFirst: [Bool]

    /// Builds the transition constraints of `labels`.
    public init(labels: EntityLabelSet) {
        self.labels = labels
        let tags = labels.tags
        let typesWithBegin = Set(tags.filter { $0.hasPrefix("B-") }.map { String($0.dropFirst(2)) })
        func constrainedType(_ tag: String) -> String? {
            guard tag.hasPrefix("I-") else { return nil }
            let type = String(tag.dropFirst(2))
            return typesWithBegin.contains(type) ? type : nil
        }
        allowedFirst = tags.map { constrainedType($0) == nil }
        allowedAfter = tags.map { previous in
            tags.map { current in
                guard let type = constrainedType(current) else { return true }
                return previous == "B-" + type || previous == "I-" + type
            }
        }
    }

    /// Whether `tags` is a valid sequence under these constraints.
    public func isValid(_ tags: [String]) -> Bool {
        var previous: Int?
        for tag in tags {
            guard let id = labels.id(of: tag) else { return false }
            if let previous {
                if !allowedAfter[previous][id] { return false }
            } else if !allowedFirst[id] {
                return false
            }
            previous = id
        }
        return true
    }

    /// The best valid tag ids for `scores` (one row per word, one log-probability per tag). Rows shorter than the
    /// label set count missing tags (and NaN) as impossible; an empty input gives an empty result.
    public func decodeIDs(_ scores: [[Float]]) -> [Int] {
        let count = labels.tags.count
        guard !scores.isEmpty, count > 0 else { return [] }
        func score(_ row: [Float], _ tag: Int) -> Double {
            guard tag < row.count, !row[tag].isNaN else { return -.infinity }
            return Double(row[tag])
        }
        var best = (0..<count).map { allowedFirst[$0] ? score(scores[0], $0) : -.infinity }
        var back: [[Int]] = []
        back.reserveCapacity(scores.count)
        for row in scores.dropFirst() {
            var next = [Double](repeating: -.infinity, count: count)
            var from = [Int](repeating: 0, count: count)
            for current in 0..<count {
                var bestPrevious = -1
                var bestValue = -Double.infinity
                for previous in 0..<count where allowedAfter[previous][current] && best[previous] > -.infinity {
                    if bestPrevious < 0 || best[previous] > bestValue {
                        bestPrevious = previous
                        bestValue = best[previous]
                    }
                }
                if bestPrevious >= 0 {
                    next[current] = bestValue + score(row, current)
                    from[current] = bestPrevious
                }
            }
            back.append(from)
            best = next
        }
        var last = 0
        for tag in 1..<count where best[tag] > best[last] { last = tag }
        var path = [last]
        for from in back.reversed() {
            last = from[last]
            path.append(last)
        }
        return path.reversed()
    }

    /// The best valid tags for `scores`.
    public func decode(_ scores: [[Float]]) -> [String] {
        decodeIDs(scores).map { labels.tags[$0] }
    }
}

extension BIODecoder {
    /// One sentence's words from per-token log-probabilities (`tokenScores`, one row per word-piece): each word is
    /// read at its first piece (a word with no piece, cut by truncation, is certainly `O`), then the best valid tag
    /// sequence is decoded; each word's probability is that of its chosen tag.
    public func decodeWords(tokenScores: [[Float]], alignment: WordPieceAlignment)
        -> (tags: [String], probabilities: [Double])
    {
        var outside = [Float](repeating: -.infinity, count: labels.tags.count)
        if let o = labels.id(of: "O") { outside[o] = 0 }
        let rows = alignment.wordValues(tokenValues: tokenScores, missing: outside)
        let ids = decodeIDs(rows)
        let probabilities = zip(rows, ids).map { row, id in id < row.count ? Double(Foundation.exp(row[id])) : 0 }
        return (ids.map { labels.tags[$0] }, probabilities)
    }
}
