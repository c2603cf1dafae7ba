import Foundation

extension EntityMetrics {
    /// Scores as `anchors/ner.py` does: for the IO scheme (gold data with no `B-` tag) both gold and predictions are
    /// converted to IO first; then every type outside `keep` becomes `O` (MISC), and `EntityMetrics` counts exact
    /// spans. `scheme` nil detects it from `gold` (`NERTags.scheme(of:)`'s rule).
    public static func anchorScoring(
        gold: [[String]], predicted: [[String]], scheme: NERScheme? = nil, keep: Set<String> = NERTags.keptTypes
    ) throws -> EntityMetrics {
        let io = (scheme ?? (gold.contains { $0.contains { $0.hasPrefix("B-") } } ? .bio : .io)) == .io
        func finish(_ tags: [String]) -> [String] { NERTags.restrictTypes(io ? NERTags.toIO(tags) : tags, keep: keep) }
        return try EntityMetrics(gold: gold.map(finish), predicted: predicted.map(finish))
    }

    /// The figures with the keys of the anchors' `ner_metrics` (`n_sentences`, `n_gold_entities`, `precision`,
    /// `recall`, `micro_f1`, `per_type` with `precision`/`recall`/`f1`/`support`), so reports compare side by side.
    /// `per_type` lists only the types in `keep`, as the anchors do.
    public func jsonObject(keep: Set<String> = NERTags.keptTypes, extra: [String: Any] = [:]) -> [String: Any] {
        var perTypeObject: [String: Any] = [:]
        for (type, score) in perType where keep.contains(type) {
            perTypeObject[type] = ["precision": score.precision, "recall": score.recall, "f1": score.f1, "support": score.support]
        }
        var object: [String: Any] = [
            "n_sentences": sentences,
            "n_gold_entities": perType.filter { keep.contains($0.key) }.reduce(0) { $0 + $1.value.support },
            "precision": overall.precision, "recall": overall.recall, "micro_f1": overall.f1, "per_type": perTypeObject,
        ]
        for (key, value) in extra { object[key] = value }
        return object
    }

    /// `jsonObject` serialised with sorted keys.
    public func json(keep: Set<String> = NERTags.keptTypes, extra: [String: Any] = [:]) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: jsonObject(keep: keep, extra: extra), options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
