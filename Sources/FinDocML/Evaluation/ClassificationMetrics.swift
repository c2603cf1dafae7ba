import Foundation

/// Accuracy, macro- and weighted-F1, per-class precision/recall/F1/support and the confusion matrix of string
/// labels, for any classification task (categories, sentiment, ...).
///
/// Definitions follow scikit-learn's `classification_report`: a class's precision is 0 when it was never predicted,
/// recall is 0 when it never occurs; macro-F1 averages F1 over every class that occurs in the gold labels or the
/// predictions; weighted-F1 weighs each class's F1 by its gold support.
public struct ClassificationMetrics: Sendable, Equatable {
    /// Figures of one class.
    public struct ClassFigures: Sendable, Equatable, Codable {
        /// The class label.
        public var label: String
        /// Correct predictions of it / all predictions of it.
        public var precision: Double
        /// Correct predictions of it / its gold occurrences.
        public var recall: Double
        /// Harmonic mean of precision and recall (0 when both are 0).
        public var f1: Double
        /// Gold occurrences.
        public var support: Int
    }

    /// Items scored.
    public let count: Int
    /// Share predicted exactly right.
    public let accuracy: Double
    /// Unweighted mean F1 over the classes.
    public let macroF1: Double
    /// Support-weighted mean F1.
    public let weightedF1: Double
    /// Per-class figures, in `labels` order.
    public let perClass: [ClassFigures]
    /// The classes (gold and predicted), sorted.
    public let labels: [String]
    /// `confusion[i][j]`: items of gold `labels[i]` predicted as `labels[j]`.
    public let confusion: [[Int]]

    /// Scores `predicted` against `gold` (same length).
    public init(gold: [String], predicted: [String]) {
        precondition(gold.count == predicted.count, "gold and predicted differ in length")
        let labels = Array(Set(gold).union(predicted)).sorted()
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: labels.count), count: labels.count)
        var correct = 0
        for (g, p) in zip(gold, predicted) {
            if let i = index[g], let j = index[p] { confusion[i][j] += 1 }
            if g == p { correct += 1 }
        }
        var perClass: [ClassFigures] = []
        for (i, label) in labels.enumerated() {
            let tp = confusion[i][i]
            let support = confusion[i].reduce(0, +)
            let predictedCount = confusion.reduce(0) { $0 + $1[i] }
            let precision = predictedCount > 0 ? Double(tp) / Double(predictedCount) : 0
            let recall = support > 0 ? Double(tp) / Double(support) : 0
            let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
            perClass.append(ClassFigures(label: label, precision: precision, recall: recall, f1: f1, support: support))
        }
        count = gold.count
        accuracy = gold.isEmpty ? 0 : Double(correct) / Double(gold.count)
        macroF1 = perClass.isEmpty ? 0 : perClass.map(\.f1).reduce(0, +) / Double(perClass.count)
        let total = perClass.map(\.support).reduce(0, +)
        weightedF1 = total > 0 ? perClass.map { $0.f1 * Double($0.support) }.reduce(0, +) / Double(total) : 0
        self.perClass = perClass
        self.labels = labels
        self.confusion = confusion
    }

    /// A JSON object with keys `accuracy`, `macro_f1`, `weighted_f1`, `count`, `per_class` (label → precision,
    /// recall, f1, support), `confusion` (`labels` and `matrix`), plus any `extra` top-level keys.
    public func jsonObject(extra: [String: Any] = [:]) -> [String: Any] {
        var object: [String: Any] = [
            "accuracy": accuracy, "macro_f1": macroF1, "weighted_f1": weightedF1, "count": count,
            "per_class": Dictionary(
                uniqueKeysWithValues: perClass.map {
                    ($0.label, ["precision": $0.precision, "recall": $0.recall, "f1": $0.f1, "support": $0.support] as [String: Any])
                }),
            "confusion": ["labels": labels, "matrix": confusion] as [String: Any],
        ]
        for (key, value) in extra { object[key] = value }
        return object
    }

    /// `jsonObject` serialised with sorted keys.
    public func json(extra: [String: Any] = [:]) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: jsonObject(extra: extra), options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
