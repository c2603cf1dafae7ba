import FinDocML
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
}
