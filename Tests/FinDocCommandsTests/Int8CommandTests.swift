import ArgumentParser
import FinDocML
import FinDocStore
import Foundation
import Testing

@testable import FinDocCommands

/// `--int8` end to end: text → tokenizer → int8 encoder against the PyTorch fixture, `eval` and `label` with int8
/// carrying their own model id. Needs the installed base model, like `SentimentCommandTests`.
@Suite(.serialized) struct Int8CommandTests {
    static let root = SentimentCommandTests.root
    static let fixture = root.path + "/Tests/FinDocMLTests/Fixtures/encoder"

    static func int8Encoder() throws -> MiniLMEncoder {
        do {
            return try MiniLMEncoder(int8: true)
        } catch {
            Issue.record("\(error)")
            throw error
        }
    }

    @Test("embed --int8 on text: mean cosine ≥ 0.99 (each ≥ 0.98) to the fixture's PyTorch embeddings; the command runs")
    func embedInt8Text() throws {
        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.fixture + "/fixture.json")))
        let sentences = try #require((meta as? [String: Any])?["sentences"] as? [[String: Any]])
        let raw = try Data(contentsOf: URL(fileURLWithPath: Self.fixture + "/expected.f32"))
        let texts = try sentences.map { try #require($0["text"] as? String) }
        let encoder = try Self.int8Encoder()
        #expect(encoder.usesInt8)
        let ids = try EmbedCommand.tokenIDs(of: texts, modelFolder: encoder.modelDirectory, maxLength: 128)
        var output: [UInt8] = []
        try EmbedCommand.writeEmbeddings(sequences: ids, texts: texts, encoder: encoder, batch: 3) { output += $0 }
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n")
        try #require(lines.count == sentences.count)
        var offset = 0
        var cosines: [Float] = []
        for (index, sentence) in sentences.enumerated() {
            let positions = try #require(sentence["positions"] as? [Int])
            let pooledStart = offset + positions.count * 384
            let expected: [Float] = raw.withUnsafeBytes { bytes in
                (pooledStart..<(pooledStart + 384)).map { bytes.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
            }
            offset = pooledStart + 384
            let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[index].utf8)) as? [String: Any])
            let embedding = try #require((object["embedding"] as? [NSNumber])?.map(\.floatValue))
            // Both vectors are L2-normalised, so the dot product is the cosine.
            let cosine = zip(embedding, expected).reduce(Float(0)) { $0 + $1.0 * $1.1 }
            // The encoder's documented bound is on the mean; single sentences lose a little more.
            #expect(cosine >= 0.98, "sentence \(index): cosine \(cosine)")
            #expect(cosine <= 1.0001)
            cosines.append(cosine)
        }
        #expect(cosines.reduce(0, +) / Float(cosines.count) >= 0.99)

        let dir = NSTemporaryDirectory() + "findoc-int8-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try (texts.prefix(2).joined(separator: "\n") + "\n").write(toFile: dir + "/t.txt", atomically: true, encoding: .utf8)
        try SentimentCommandSupport.run(["embed", "--int8", dir + "/t.txt"])
    }

    @Test("eval --int8 reports the model id with +int8; a category bundle refuses --int8")
    func evalInt8() throws {
        let dir = NSTemporaryDirectory() + "findoc-int8-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sample = try SentimentCommandTests.phraseBankSample(count: 40, into: dir)
        let rows = try SentimentDataOptions.parse(["--data", sample]).load()
        let bundle = try SentimentBundle.load(from: SentimentCommandTests.bundleFolder)
        let classifier = try SentimentClassifier(bundle: bundle, encoder: Self.int8Encoder())
        #expect(classifier.modelID == bundle.modelID + "+int8")
        let (metrics, _, extra) = try EvalSentiment.evaluate(classifier: classifier, rows: rows, batch: 8)
        #expect(extra["model"] as? String == bundle.modelID + "+int8")
        #expect(metrics.labels.count >= 2)
        // The default subcommand hands --int8 on to `eval sentiment`.
        try SentimentCommandSupport.run(["eval", SentimentCommandTests.bundleFolder.path, "--data", sample, "--int8"])
        let parsed = try EvalSentiment.parse([SentimentCommandTests.bundleFolder.path, "--data", sample, "--int8"])
        #expect(parsed.int8)
        #expect(throws: (any Error).self) {
            try LabelCommand.parse(["--task", "categories", "--int8"]).validate()
        }
    }

    @Test("label --task sentiment --int8 stores its own model id beside the fp32 one, and re-runs add nothing")
    func labelInt8KeepsItsOwnModelID() throws {
        let dir = NSTemporaryDirectory() + "findoc-int8-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/s.sqlite"
        try SentimentCommandSupport.run(["ingest", "--db", db, Self.root.path + "/Samples/transcripts"])
        let store = try Store.open(path: db, mustExist: true)
        let sentences = try CategoryCommandTests.scalar(store, "SELECT COUNT(*) FROM sentences")
        #expect(sentences > 20)
        _ = try Self.int8Encoder()
        let model = SentimentCommandTests.bundleFolder.path
        let bundle = try SentimentBundle.load(from: SentimentCommandTests.bundleFolder)

        try SentimentCommandSupport.run(["label", "--task", "sentiment", "--db", db, "--model", model])
        try SentimentCommandSupport.run(["label", "--task", "sentiment", "--db", db, "--model", model, "--int8"])
        try SentimentCommandSupport.run(["label", "--task", "sentiment", "--db", db, "--model", model, "--int8"])
        let perModel = CategoryCommandTests.Collect()
        try store.readOnlyQuery(
            "SELECT model_id, COUNT(*) FROM predictions WHERE task = 'sentiment' GROUP BY model_id ORDER BY model_id",
            into: perModel)
        #expect(perModel.rows == [[bundle.modelID, "\(sentences)"], [bundle.modelID + "+int8", "\(sentences)"]])
    }
}

extension SentimentCommandSupport {
    /// Parses and runs one `findoc` command line in-process (for tests).
    static func run(_ arguments: [String]) throws {
        var command = try Findoc.parseAsRoot(arguments)
        try command.run()
    }
}
