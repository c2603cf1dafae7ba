import Foundation
import FinDocCore

/// Compares our sentences with a reference split (one sentence per line, as in ECTSum's `ects` files) and says why
/// they disagree.
///
/// The measure is the share of reference lines that our splitter produces as exactly one sentence after white space
/// is normalised. A miss is classified by how it relates to our sentences: the reference line sits inside a longer
/// sentence of ours (we did not split where it did: `joined after "<word>"`), one of our sentences is a strict part
/// of the line (we split where it did not: `split after "<word>"`), or neither (the text itself differs).
public struct SentenceAgreement: Sendable {
    /// Reference lines looked at.
    public private(set) var referenceLines = 0
    /// Lines we produced exactly.
    public private(set) var matched = 0
    /// Reference lines whose text does not occur in our source text at all (no splitter could produce them).
    public private(set) var notInSource = 0
    /// Misses by kind, e.g. `joined after "U.S."`.
    public private(set) var kinds: [String: Int] = [:]

    /// Creates an empty tally.
    public init() {}

    /// The share of reference lines reproduced (0 when there were none).
    public var share: Double { referenceLines == 0 ? 0 : Double(matched) / Double(referenceLines) }

    /// The share among reference lines whose text occurs in our source text (the attainable ones).
    public var attainableShare: Double {
        referenceLines - notInSource <= 0 ? 0 : Double(matched) / Double(referenceLines - notInSource)
    }

    /// Adds one call: its reference lines, our sentences of the same call, and our source text (the speech the
    /// sentences were split from), to tell lines no splitter could produce from mis-splits.
    public mutating func add(reference: [String], ours: [String], source: String) {
        let normalisedOurs = ours.map(Self.normalise).filter { !$0.isEmpty }
        let set = Set(normalisedOurs)
        let normalisedSource = Self.normalise(source)
        for line in reference {
            let text = Self.normalise(line)
            guard !text.isEmpty else { continue }
            referenceLines += 1
            if set.contains(text) {
                matched += 1
                continue
            }
            if !normalisedSource.contains(text) {
                notInSource += 1
                kinds["not in the transcript's speech (reference text differs)", default: 0] += 1
                continue
            }
            kinds[classify(text, normalisedOurs), default: 0] += 1
        }
    }

    private func classify(_ line: String, _ ours: [String]) -> String {
        if let longer = ours.first(where: { $0.count > line.count && $0.contains(line) }) {
            if longer.hasPrefix(line) {
                return "joined after \"\(Self.lastWord(line))\" (reference splits, we do not)"
            }
            // The reference starts a sentence inside ours: name the word we did not split after.
            if let range = longer.range(of: line) {
                return "joined after \"\(Self.lastWord(String(longer[..<range.lowerBound])))\" (reference splits, we do not)"
            }
        }
        if let part = ours.first(where: { $0.count < line.count && line.hasPrefix($0) }) {
            return "split after \"\(Self.lastWord(part))\" (we split, reference does not)"
        }
        if ours.contains(where: { $0.count < line.count && line.contains($0) }) {
            return "split inside (we split, reference does not)"
        }
        return "text differs (not in our sentences)"
    }

    /// The commonest kinds of disagreement, most frequent first.
    public func commonest(_ count: Int) -> [(kind: String, count: Int)] {
        kinds.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(count).map { ($0.key, $0.value) }
    }

    static func lastWord(_ text: String) -> String {
        String(text.split(separator: " ").last ?? Substring(text))
    }

    /// Runs of white space become one space; leading and trailing white space goes.
    public static func normalise(_ text: String) -> String {
        TranscriptBuilder.clean(text)
    }
}
