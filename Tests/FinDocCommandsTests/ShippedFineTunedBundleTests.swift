import FinDocML
import FinDocStore
import Foundation
import Testing

@testable import FinDocCommands

/// The shipped fine-tuned bundles load over the installed base model, carry the ids their MODEL.md states, and
/// read hand-tagged fictional sentences sensibly. Needs the installed base model (set-up installs it).
@Suite struct ShippedFineTunedBundleTests {
    static let models = SentimentCommandTests.root.appendingPathComponent("Models")

    @Test func sentimentBundle() throws {
        let folder = Self.models.appendingPathComponent("sentiment-minilm-lora")
        let model = try SentimentModel.load(from: folder)
        guard case .fineTuned(let bundle) = model else {
            Issue.record("Models/sentiment-minilm-lora is not a fine-tuned bundle")
            return
        }
        let card = try String(contentsOf: folder.appendingPathComponent("MODEL.md"), encoding: .utf8)
        #expect(card.contains("`\(bundle.modelID)`"), "MODEL.md names another model id than \(bundle.modelID)")
        #expect(FineTunedBundle.byteSize(of: folder) - card.utf8.count < FineTunedBundle.shippedSizeLimit)
        let classifier = try SentimentClassifier(model: model, encoder: SentimentCommandSupport.encoder())
        // Fictional sentences, labelled by hand.
        let predictions = try classifier.classify([
            "Operating profit more than doubled and the company raised its full-year outlook.",
            "The company recorded a heavy loss and cut its dividend after sales collapsed.",
        ])
        #expect(predictions.map(\.label) == ["positive", "negative"])
    }

    @Test func entitiesBundle() throws {
        let folder = Self.models.appendingPathComponent("entities-minilm-lora")
        let bundle = try FineTunedBundle.load(from: folder)
        let card = try String(contentsOf: folder.appendingPathComponent("MODEL.md"), encoding: .utf8)
        #expect(card.contains("`\(bundle.modelID)`"), "MODEL.md names another model id than \(bundle.modelID)")
        let model = try EntityTokenModel(bundle: bundle, modelDirectory: BaseModel.folder(in: .resolve()))
        // A fictional sentence, tagged by hand.
        let words = ["Maria", "Lopez", ",", "chief", "executive", "of", "Northwind", "Traders", ",", "spoke", "in", "Lisbon", "."]
        let tags = try model.tag([words])[0].tags
        #expect(Array(tags[0...1]) == ["B-PER", "I-PER"])
        #expect(tags[11] == "B-LOC")
    }

    @Test("findoc run labels the transcripts' entities with the shipped bundle and the rules, once")
    func runLabelsEntities() throws {
        let dir = NSTemporaryDirectory() + "findoc-run-ent-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/s.sqlite"
        let samples = SentimentCommandTests.root.path + "/Samples/transcripts"
        try SentimentCommandTests.run(["run", "--db", db, samples])
        let store = try Store.open(path: db, mustExist: true)
        let bundle = try FineTunedBundle.load(from: Self.models.appendingPathComponent("entities-minilm-lora"))
        let runID = bundle.modelID + "+" + EntityRecognizer.modelID
        let sentences = try CategoryCommandTests.scalar(store, "SELECT COUNT(*) FROM sentences")
        let done = "SELECT COUNT(*) FROM entity_runs WHERE run_id = '\(runID)'"
        #expect(try CategoryCommandTests.scalar(store, done) == sentences)
        let people = "SELECT COUNT(*) FROM entities WHERE entity_type = 'PER'"
        #expect(try CategoryCommandTests.scalar(store, people) > 0)
        // Again: nothing new to label, nothing stored twice.
        let total = try CategoryCommandTests.scalar(store, "SELECT COUNT(*) FROM entities")
        try SentimentCommandTests.run(["run", "--db", db, samples])
        #expect(try CategoryCommandTests.scalar(store, "SELECT COUNT(*) FROM entities") == total)
    }
}
