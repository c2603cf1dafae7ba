import Foundation
import Testing

@testable import FinDocML

@Suite struct CategoryBundleTests {
    @Test func saveAndLoadGiveTheSameDecisions() throws {
        let rows = CategoryTrainerTests.separable
        let result = try CategoryTrainer(options: CategoryTrainingOptions(epochs: 5, calibrationFraction: 0.2)).train(rows)
        var bundle = CategoryBundle(result: result, training: CategoryTrainingOptions(), textFields: ["description"])
        let folder = URL(fileURLWithPath: NSTemporaryDirectory() + "findoc-bundle-" + UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: folder) }
        let id = try bundle.save(to: folder, name: "categories/test")
        #expect(id.hasPrefix("categories/test@"))
        let loaded = try CategoryBundle.load(from: folder)
        #expect(loaded.modelID == id)
        #expect(loaded.model.labels == result.model.labels)
        #expect(loaded.model.temperature == result.model.temperature)
        #expect(loaded.unknownThreshold == bundle.unknownThreshold)
        let before = CategoryClassifier(rules: nil, bundle: bundle), after = CategoryClassifier(rules: nil, bundle: loaded)
        for row in rows {
            let a = try #require(before.classify(row.item)), b = try #require(after.classify(row.item))
            #expect(a.topK.first?.label == b.topK.first?.label)
            // float16 storage and pruning below 1e-3 move probabilities only a little.
            #expect(abs(a.probability - b.probability) < 0.01)
        }
    }

    @Test func corruptWeightsNameTheFile() throws {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory() + "findoc-bundle-" + UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CategoryTrainer(options: CategoryTrainingOptions(epochs: 1, calibrationFraction: 0))
            .train(CategoryTrainerTests.separable)
        var bundle = CategoryBundle(result: result, training: CategoryTrainingOptions(), textFields: [])
        try bundle.save(to: folder, name: "t")
        let weights = folder.appendingPathComponent(CategoryBundle.weightsFile)
        let bytes = try Data(contentsOf: weights)
        try bytes.prefix(bytes.count - 3).write(to: weights)
        #expect {
            try CategoryBundle.load(from: folder)
        } throws: { error in
            "\(error)".contains("weights.bin") && "\(error)".contains("truncated")
        }
        #expect(throws: CategoryBundle.BundleError.self) {
            try CategoryBundle.load(from: folder.appendingPathComponent("nothing-here"))
        }
    }
}
