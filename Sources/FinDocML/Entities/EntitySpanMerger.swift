import FinDocCore

/// Turns overlapping entity spans into one non-overlapping list.
///
/// Precedence, in order: (1) a recogniser's MONEY, PERCENT, DATE or TICKER span beats any model span it overlaps —
/// the rules are exact where they fire, and the model is not trained on those types; (2) otherwise the longer span
/// wins; (3) then the earlier start; (4) then the higher probability. A span that loses is dropped whole (never
/// trimmed). The result is sorted by start.
public enum EntitySpanMerger {
    /// Model spans (PER/ORG/LOC) merged with recogniser spans.
    public static func merge(model: [EntitySpan], rules: [EntitySpan]) -> [EntitySpan] {
        resolve(model + rules)
    }

    /// The non-overlapping subset of `spans` chosen by the precedence above, sorted by start.
    public static func resolve(_ spans: [EntitySpan]) -> [EntitySpan] {
        func isRule(_ span: EntitySpan) -> Bool { span.source == .rule && EntityType.ruleTypes.contains(span.type) }
        let ordered = spans.filter { $0.end > $0.start }.sorted { a, b in
            if isRule(a) != isRule(b) { return isRule(a) }
            if a.length != b.length { return a.length > b.length }
            if a.start != b.start { return a.start < b.start }
            if (a.probability ?? 0) != (b.probability ?? 0) { return (a.probability ?? 0) > (b.probability ?? 0) }
            return a.type < b.type
        }
        var kept: [EntitySpan] = []
        for span in ordered where !kept.contains(where: { $0.overlaps(span) }) { kept.append(span) }
        return kept.sorted { $0.start < $1.start }
    }
}
