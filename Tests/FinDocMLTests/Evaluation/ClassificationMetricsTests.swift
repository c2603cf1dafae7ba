import Foundation
import Testing

@testable import FinDocML

@Suite struct ClassificationMetricsTests {
    /// Hand-computed, and the same as scikit-learn 1.9.1 gives for these lists (accuracy_score, f1_score macro /
    /// weighted, precision_recall_fscore_support):
    /// a: P 1/2 R 1/2 F1 1/2 (support 2); b: P 2/3 R 1 F1 0.8 (support 2); c: P 0 R 0 F1 0 (support 1).
    @Test func matchesHandComputedFigures() {
        let m = ClassificationMetrics(gold: ["a", "a", "b", "b", "c"], predicted: ["a", "b", "b", "b", "a"])
        #expect(m.labels == ["a", "b", "c"])
        #expect(abs(m.accuracy - 0.6) < 1e-12)
        #expect(abs(m.macroF1 - (0.5 + 0.8 + 0) / 3) < 1e-12)
        #expect(abs(m.weightedF1 - (0.5 * 2 + 0.8 * 2) / 5) < 1e-12)
        #expect(m.perClass[1] == .init(label: "b", precision: 2.0 / 3, recall: 1, f1: 0.8, support: 2))
        #expect(m.perClass[2].support == 1 && m.perClass[2].f1 == 0)
        #expect(m.confusion == [[1, 1, 0], [0, 2, 0], [1, 0, 0]])
    }

    /// A label only ever predicted (never gold) counts in the macro average with F1 0, as scikit-learn does.
    @Test func predictedOnlyLabelsCountInTheMacroAverage() {
        let m = ClassificationMetrics(gold: ["a", "a"], predicted: ["a", "z"])
        #expect(m.labels == ["a", "z"])
        #expect(abs(m.macroF1 - (2.0 / 3) / 2) < 1e-12)
        #expect(abs(m.weightedF1 - 2.0 / 3) < 1e-12)
    }

    @Test func jsonHasTheSharedKeys() throws {
        let json = try ClassificationMetrics(gold: ["x", "y"], predicted: ["x", "x"]).json(extra: ["model": "m"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        for key in ["accuracy", "macro_f1", "weighted_f1", "per_class", "confusion", "model"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        let perClass = try #require(object["per_class"] as? [String: [String: Any]])
        #expect(perClass["x"]?["support"] as? Int == 1)
    }
}
