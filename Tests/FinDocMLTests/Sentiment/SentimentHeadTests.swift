import Foundation
import Testing

@testable import FinDocML

/// The sentiment head alone: learning, determinism and its bundle on disk (no encoder needed).
@Suite struct SentimentHeadTests {
    /// Three well-separated clusters in 8 dimensions, each point its centre plus seeded noise of at most ±0.3.
    static func toySet(count: Int, seed: UInt64) -> (x: [[Float]], y: [Int]) {
        var generator = SplitMix64(seed: seed)
        var x: [[Float]] = [], y: [Int] = []
        for i in 0..<count {
            let label = i % 3
            var point = [Float](repeating: 0, count: 8)
            point[label * 2] = 2
            point[label * 2 + 1] = -1
            for j in 0..<8 { point[j] += Float.random(in: -0.3...0.3, using: &generator) }
            x.append(point)
            y.append(label)
        }
        return (x, y)
    }

    static let classes = ["negative", "neutral", "positive"]

    @Test func learnsASeparableSetAndGeneralises() throws {
        let train = Self.toySet(count: 90, seed: 1), test = Self.toySet(count: 60, seed: 2)
        var options = SentimentTrainingOptions()
        options.epochs = 200
        let head = SentimentHeadTrainer.train(embeddings: train.x, labels: train.y, classes: Self.classes, options: options)
        #expect(head.isConsistent)
        let predicted = SentimentClassifier.predictions(head: head, embeddings: test.x)
        let gold = test.y.map { Self.classes[$0] }
        let metrics = ClassificationMetrics(gold: gold, predicted: predicted.map(\.label))
        // The clusters are 2 apart with noise of at most 0.3 per axis: a linear rule separates them exactly.
        #expect(metrics.accuracy == 1)
        for prediction in predicted {
            let total = prediction.topK.map(\.probability).reduce(0, +)
            #expect(abs(total - 1) < 1e-4)
            #expect(prediction.topK.first?.label == prediction.label)
            let p = Dictionary(uniqueKeysWithValues: prediction.topK.map { ($0.label, $0.probability) })
            #expect(abs((prediction.score ?? 9) - ((p["positive"] ?? 0) - (p["negative"] ?? 0))) < 1e-6)
        }
    }

    @Test func sameDataSameHead() {
        let train = Self.toySet(count: 30, seed: 3)
        var options = SentimentTrainingOptions()
        options.epochs = 50
        let a = SentimentHeadTrainer.train(embeddings: train.x, labels: train.y, classes: Self.classes, options: options)
        let b = SentimentHeadTrainer.train(embeddings: train.x, labels: train.y, classes: Self.classes, options: options)
        #expect(a == b)
    }

    @Test func bundleRoundTripAndBadFiles() throws {
        let train = Self.toySet(count: 30, seed: 4)
        var options = SentimentTrainingOptions()
        options.epochs = 20
        let head = SentimentHeadTrainer.train(embeddings: train.x, labels: train.y, classes: Self.classes, options: options)
        let bundle = SentimentBundle(head: head, name: "toy", training: options, rows: 30, notes: ["data": "toy"])
        let folder = try EncoderTestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let id = try bundle.save(to: folder)
        #expect(id.hasPrefix("toy@") && id.count == "toy@".count + 12)
        #expect(SentimentBundle.isBundle(at: folder))
        let loaded = try SentimentBundle.load(from: folder)
        #expect(loaded == bundle)
        #expect(loaded.modelID == id)
        #expect(loaded.baseModelSHA256 == "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db")

        // A head trained on another encoder is refused, naming the file.
        let file = folder.appendingPathComponent(SentimentBundle.headerFile)
        let text = try String(contentsOf: file, encoding: .utf8)
        try text.replacingOccurrences(of: "53aa51172d14", with: "000000000000").write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: SentimentBundle.BundleError.self) { try SentimentBundle.load(from: folder) }
        // Truncated JSON and a missing folder are errors too, never a crash.
        try String(text.prefix(100)).write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: SentimentBundle.BundleError.self) { try SentimentBundle.load(from: folder) }
        #expect(throws: SentimentBundle.BundleError.self) {
            try SentimentBundle.load(from: folder.appendingPathComponent("nothing"))
        }
    }
}
