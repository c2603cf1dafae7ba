import ArgumentParser
import FinDocML
import FinDocStore
import Foundation
import Testing

@testable import FinDocCommands

/// Sentiment end to end, in-process: text embeddings against the PyTorch fixture, the shipped bundle on
/// PhraseBank rows, labelling the sample transcripts in a store, and the call report against SQL. Needs the
/// installed base model (set-up installs it); without it each test fails with the install hint.
@Suite(.serialized) struct SentimentCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let bundleFolder = root.appendingPathComponent("Models/sentiment-minilm-frozen")

    static func run(_ arguments: [String]) throws {
        var command = try Findoc.parseAsRoot(arguments)
        try command.run()
    }

    static func encoder() throws -> MiniLMEncoder {
        do {
            return try MiniLMEncoder()
        } catch {
            Issue.record("\(error)")
            throw error
        }
    }

    @Test(arguments: ["train sentiment", "eval sentiment", "report call"])
    func helpHasExamples(path: String) throws {
        let types: [String: ParsableCommand.Type] = [
            "train sentiment": TrainSentiment.self, "eval sentiment": EvalSentiment.self,
            "report call": CallSentimentReport.self,
        ]
        let help = Findoc.helpMessage(for: try #require(types[path]))
        #expect(help.contains("Examples:") && help.contains("findoc \(path.split(separator: " ")[0])"))
    }

    @Test("text → tokenizer → encoder gives the fixture's ids and pooled embeddings (PyTorch) within 1e-4")
    func embedTextMatchesTheFixture() throws {
        let fixture = Self.root.path + "/Tests/FinDocMLTests/Fixtures/encoder"
        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: fixture + "/fixture.json")))
        let sentences = try #require((meta as? [String: Any])?["sentences"] as? [[String: Any]])
        let raw = try Data(contentsOf: URL(fileURLWithPath: fixture + "/expected.f32"))
        let texts = try sentences.map { try #require($0["text"] as? String) }
        let encoder = try Self.encoder()
        let ids = try EmbedCommand.tokenIDs(of: texts, modelFolder: encoder.modelDirectory, maxLength: 128)
        var output: [UInt8] = []
        try EmbedCommand.writeEmbeddings(sequences: ids, texts: texts, encoder: encoder, batch: 4) { output += $0 }
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == sentences.count)
        var offset = 0
        for (index, sentence) in sentences.enumerated() {
            let positions = try #require(sentence["positions"] as? [Int])
            #expect(ids[index].map(Int.init) == sentence["ids"] as? [Int], "ids of sentence \(index)")
            let pooledStart = offset + positions.count * 384
            let expected: [Float] = raw.withUnsafeBytes { bytes in
                (pooledStart..<(pooledStart + 384)).map { bytes.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
            }
            offset = pooledStart + 384
            guard index < lines.count else { break }
            let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[index].utf8)) as? [String: Any])
            #expect(object["text"] as? String == texts[index])
            let embedding = try #require((object["embedding"] as? [NSNumber])?.map(\.floatValue))
            #expect(embedding.count == 384)
            let delta = zip(embedding, expected).map { abs($0 - $1) }.max() ?? 1
            #expect(delta <= 1e-4, "sentence \(index): max |Δ| \(delta)")
        }
    }

    /// The first `count` rows of the shared PhraseBank training file, written to a temporary TSV.
    static func phraseBankSample(count: Int, into dir: String) throws -> String {
        let source = root.path + "/../shared/data/financial_phrasebank/train.tsv"
        let text = try String(contentsOfFile: source, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).prefix(count + 1)
        let path = dir + "/sample.tsv"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func trainAndEvalOnPhraseBankRows() throws {
        let dir = NSTemporaryDirectory() + "findoc-sent-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sample = try Self.phraseBankSample(count: 150, into: dir)
        let rows = try SentimentDataOptions.parse(["--data", sample]).load()
        #expect(rows.count == 150)
        _ = try Self.encoder()
        try Self.run(["train", "sentiment", "--frozen", "--data", sample, "--out", dir + "/head", "--dev-fraction", "0.2"])
        let bundle = try SentimentBundle.load(from: URL(fileURLWithPath: dir + "/head"))
        #expect(bundle.rows == 150)  // refitted on every row after choosing l2 on the dev slice
        #expect(Set(bundle.head.labels) == Set(rows.map(\.label)))

        let classifier = try SentimentClassifier(bundle: bundle, encoder: Self.encoder())
        let (metrics, _, extra) = try EvalSentiment.evaluate(classifier: classifier, rows: rows, batch: 16)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(metrics.json(extra: extra).utf8)) as? [String: Any])
        for key in ["accuracy", "macro_f1", "per_class", "confusion", "model"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        // Seen in training: a linear head on 384 dimensions fits 150 sentences well.
        #expect(metrics.accuracy > 0.8)
        // `findoc eval MODEL` recognises the bundle kind by itself (no categories columns needed).
        try Self.run(["eval", dir + "/head", "--data", sample, "--format", "json"])
    }

    @Test func labelIsIdempotentAndTheReportMatchesSQL() throws {
        let dir = NSTemporaryDirectory() + "findoc-sent-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/s.sqlite"
        try Self.run(["ingest", "--db", db, Self.root.path + "/Samples/transcripts"])
        let store = try Store.open(path: db, mustExist: true)
        let sentences = try CategoryCommandTests.scalar(store, "SELECT COUNT(*) FROM sentences")
        #expect(sentences > 20)
        _ = try Self.encoder()

        try Self.run(["label", "--task", "sentiment", "--db", db, "--model", Self.bundleFolder.path])
        let count = "SELECT COUNT(*) FROM predictions WHERE task = 'sentiment' AND item_kind = 'sentence'"
        #expect(try CategoryCommandTests.scalar(store, count) == sentences)
        // Again: nothing new, every sentence already carries this model's label.
        let bundle = try SentimentBundle.load(from: Self.bundleFolder)
        let classifier = try SentimentClassifier(bundle: bundle, encoder: Self.encoder())
        #expect(try SentimentLabelling.run(store: store, classifier: classifier).labelled == 0)
        #expect(try CategoryCommandTests.scalar(store, count) == sentences)
        let distinctModels = "SELECT COUNT(DISTINCT model_id) FROM predictions WHERE task = 'sentiment'"
        #expect(try CategoryCommandTests.scalar(store, distinctModels) == 1)

        // The report's call and section rows against a hand-written aggregate over predictions.
        let sink = CategoryCommandTests.Collect()
        try store.callSentiment(call: 1, into: sink)
        let hand = CategoryCommandTests.Collect()
        try store.readOnlyQuery(
            """
            SELECT 'call', '', COUNT(*), SUM(p.label = 'positive'), SUM(p.label = 'neutral'), SUM(p.label = 'negative'),
                   AVG(p.score)
            FROM predictions p JOIN sentences s ON s.id = p.item_id
            WHERE p.task = 'sentiment' AND p.item_kind = 'sentence' AND s.transcript_id = 1
            UNION ALL
            SELECT 'section', u.section, COUNT(*), SUM(p.label = 'positive'), SUM(p.label = 'neutral'),
                   SUM(p.label = 'negative'), AVG(p.score)
            FROM predictions p JOIN sentences s ON s.id = p.item_id JOIN utterances u ON u.id = s.utterance_id
            WHERE p.task = 'sentiment' AND p.item_kind = 'sentence' AND s.transcript_id = 1
            GROUP BY u.section
            """, into: hand)
        for expected in hand.rows {
            let row = try #require(sink.rows.first { $0[1] == expected[0] && $0[2] == expected[1] })
            // labelled, positive, neutral, negative
            #expect(Array(row[5...8]) == Array(expected[2...5]), "\(expected[0]) \(expected[1])")
            #expect(abs((Double(row[9]) ?? 9) - (Double(expected[6]) ?? -9)) < 1e-9)
        }
        #expect(sink.rows.contains { $0[1] == "speaker" })
        try Self.run(["report", "call", "1", "--db", db, "--format", "csv"])
        try Self.run(["query", "calls", "--db", db, "--format", "csv"])
    }

    @Test("report call and query calls count one model per call, never a mix of two models' predictions")
    func reportCountsOneModelPerCall() throws {
        let dir = NSTemporaryDirectory() + "findoc-sent-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/s.sqlite"
        try Self.run(["ingest", "--db", db, Self.root.path + "/Samples/transcripts"])
        let store = try Store.open(path: db, mustExist: true)
        _ = try Self.encoder()
        // Every sentence by the frozen head, then a second model (its int8 variant) on only the first few.
        try Self.run(["label", "--task", "sentiment", "--db", db, "--model", Self.bundleFolder.path])
        try Self.run(["label", "--task", "sentiment", "--db", db, "--model", Self.bundleFolder.path, "--int8", "--limit", "5"])
        let frozenID = try SentimentBundle.load(from: Self.bundleFolder).modelID
        let models = CategoryCommandTests.Collect()
        try store.readOnlyQuery("SELECT DISTINCT model_id FROM predictions WHERE task = 'sentiment' ORDER BY id", into: models)
        let secondID = try #require(models.rows.map { $0[0] }.first { $0 != frozenID })
        #expect(models.rows.count == 2)
        let callOne = "FROM predictions p JOIN sentences s ON s.id = p.item_id WHERE s.transcript_id = 1 AND p.model_id = "
        let secondOnCallOne = try CategoryCommandTests.scalar(store, "SELECT COUNT(*) \(callOne)'\(secondID)'")
        let sentencesOfCallOne = try CategoryCommandTests.scalar(store, "SELECT COUNT(*) FROM sentences WHERE transcript_id = 1")
        // The premise: the second model labelled part of call 1 only.
        try #require(secondOnCallOne == 5 && sentencesOfCallOne > 5)

        func callRow(model: String?) throws -> [String] {
            let sink = CategoryCommandTests.Collect()
            try store.callSentiment(call: 1, model: model, into: sink)
            return try #require(sink.rows.first { $0[1] == "call" })
        }
        func mean(_ model: String) throws -> Double {
            let sink = CategoryCommandTests.Collect()
            try store.readOnlyQuery("SELECT AVG(p.score) \(callOne)'\(model)'", into: sink)
            return Double(sink.rows.first?.first ?? "") ?? .nan
        }
        // Default: the model that labelled the call last, and only its predictions.
        #expect(try store.callSentimentModel(call: 1) == secondID)
        let newest = try callRow(model: nil)
        #expect(newest[5] == "5")
        #expect(abs((Double(newest[9]) ?? 9) - (try mean(secondID))) < 1e-9)
        // --model picks the other one: every sentence of the call, the frozen head's scores.
        let frozen = try callRow(model: frozenID)
        #expect(frozen[5] == String(sentencesOfCallOne))
        #expect(abs((Double(frozen[9]) ?? 9) - (try mean(frozenID))) < 1e-9)
        // query calls names the model per call: the second model on call 1, the frozen head on the others.
        let calls = CategoryCommandTests.Collect()
        try store.calls(into: calls)
        let modelColumn = try #require(Store.callColumns.firstIndex(of: "sentiment_model"))
        let labelledColumn = try #require(Store.callColumns.firstIndex(of: "sentiment_labelled"))
        #expect(calls.rows.first?[modelColumn] == secondID)
        #expect(calls.rows.first?[labelledColumn] == "5")
        #expect(calls.rows.count > 1 && calls.rows.dropFirst().allSatisfy { $0[modelColumn] == frozenID })
        try Self.run(["report", "call", "1", "--db", db, "--model", frozenID, "--format", "csv"])
    }
}
