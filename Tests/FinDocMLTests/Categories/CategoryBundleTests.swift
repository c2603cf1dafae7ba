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

    /// Heavy rows are scored from a dense, padded copy and light rows from their entries; the logits must equal, bit
    /// for bit, the sum taken entry by entry in feature order (adding a dense row's zeros changes no float).
    @Test func denseHeavyRowsScoreLikeTheirEntries() {
        let classes = 9  // not a multiple of 8: the padded stride is 16
        let weights: [[(UInt32, Float)]] = [
            [(4, 0.5)],  // light: stays sparse
            (0..<9).map { (UInt32($0), Float($0) * 0.25 - 1) },  // every label: dense
            [(0, -0.75), (8, 2.0), (3, 0.125)],  // a third of the labels: dense (at least a quarter)
        ]
        var sparse = LinearSoftmaxModel.SparseRows(starts: [0], entries: [])
        for row in weights {
            for (label, weight) in row { sparse.entries.append(.init(label: label, weight: weight)) }
            sparse.starts.append(Int32(sparse.entries.count))
        }
        sparse.denseHeavyRows(classes: classes)
        #expect(sparse.denseIndex == [-1, 0, 1])
        #expect(sparse.denseStride == 16)
        let buckets: [UInt32] = [10, 20, 30]
        let bias: [Float] = (0..<classes).map { Float($0) * 0.1 }
        let model = LinearSoftmaxModel(
            labels: (0..<classes).map { "l\($0)" }, settings: FeatureSettings(), table: BucketTable(buckets: buckets),
            weights: [], bias: bias, sparse: sparse)
        let vector = FeatureVector(buckets: [20, 10, 99, 30, 20, 10], values: [0.3, -0.7, 1, 0.45, 0.3, -0.7], names: nil)
        var logits: [Float] = []
        model.logits(vector, into: &logits)
        var expected = bias
        for (bucket, value) in zip(vector.buckets, vector.values) {
            guard let row = buckets.firstIndex(of: bucket) else { continue }
            for (label, weight) in weights[row] { expected[Int(label)] += value * weight }
        }
        #expect(logits == expected)
    }
}
