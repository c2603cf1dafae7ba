import ArgumentParser
import FinDocML
import Foundation
import Testing

@testable import FinDocCommands

/// `findoc train sentiment` fine-tuning end to end on a few real PhraseBank rows: the bundle it writes, its
/// reload over the base model, the merged-encoder classifier agreeing with the training-time forward pass, and
/// `eval` recognising the bundle. Needs the installed base model (set-up installs it).
@Suite(.serialized) struct SentimentFineTuneCommandTests {
    @Test("train sentiment fine-tunes, saves a compact bundle, and the reloaded classifier predicts like the model")
    func fineTuneSaveReloadPredict() throws {
        let dir = NSTemporaryDirectory() + "findoc-ft-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sample = try SentimentCommandTests.phraseBankSample(count: 40, into: dir)
        let rows = try SentimentDataOptions.parse(["--data", sample]).load()
        let out = dir + "/bundle"
        try SentimentCommandTests.run([
            "train", "sentiment", "--data", sample, "--out", out, "--epochs", "1", "--batch-size", "8",
            "--max-length", "24", "--dev-fraction", "0.25", "--seed", "5",
        ])
        let folder = URL(fileURLWithPath: out, isDirectory: true)
        // The checkpoint is only for resuming an interrupted run: a finished run removes it.
        #expect(!FileManager.default.fileExists(atPath: out + "/checkpoint.safetensors"))
        #expect(FineTunedBundle.byteSize(of: folder) < FineTunedBundle.shippedSizeLimit)
        let bundle = try FineTunedBundle.load(from: folder)
        #expect(bundle.config.task == .sentiment)
        #expect(bundle.config.labels == Array(Set(rows.map(\.label))).sorted())
        #expect(bundle.config.history.count == 1)
        #expect(bundle.config.devMetrics["accuracy"] != nil)
        // LoRA tensors, LayerNorms and the head; never a base weight matrix.
        #expect(bundle.tensors.keys.contains { $0.contains("lora") })
        #expect(bundle.tensors.values.allSatisfy { $0.values.count < 400_000 })

        // The classifier commands use (adapters merged into the encoder) gives the probabilities of the model the
        // bundle restores (training-time forward pass, dropout off).
        let base = try SentimentCommandTests.encoder()
        let classifier = try SentimentClassifier(model: .fineTuned(bundle), encoder: base)
        #expect(classifier.modelID == bundle.modelID)
        let texts = rows.prefix(6).map(\.text)
        let predicted = try classifier.classify(texts)
        let restored = try MiniLMSequenceClassifier.restore(bundle: bundle, modelDirectory: base.modelDirectory)
        let tokenizer = try BertTokenizer(modelFolder: base.modelDirectory, maxLength: bundle.config.maxLength)
        let expected = try restored.probabilities(tokenIDs: tokenizer.encodeEach(texts).map(\.ids))
        for (prediction, p) in zip(predicted, expected) {
            for entry in prediction.topK {
                let index = try #require(bundle.config.labels.firstIndex(of: entry.label))
                #expect(abs(entry.probability - p[index]) < 1e-4)
            }
        }
        // `findoc eval MODEL` recognises the fine-tuned bundle.
        try SentimentCommandTests.run(["eval", out, "--data", sample, "--format", "json"])
        // A bundle for another task is refused with the file named.
        #expect(throws: FineTunedModelError.self) {
            _ = try MiniLMTokenClassifier.restore(bundle: bundle, modelDirectory: base.modelDirectory)
        }
    }

    @Test("--replace-default installs a bundle only when it beats the current default, and swaps it in whole")
    func replaceDefaultOnlyWhenBetter() throws {
        let dir = NSTemporaryDirectory() + "findoc-ft-default-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sample = try SentimentCommandTests.phraseBankSample(count: 40, into: dir)
        let rows = try SentimentDataOptions.parse(["--data", sample]).load()
        let newBundle = dir + "/bundle"
        try SentimentCommandTests.run([
            "train", "sentiment", "--data", sample, "--out", newBundle, "--epochs", "1", "--batch-size", "8",
            "--max-length", "24", "--dev-fraction", "0.25", "--seed", "5",
        ])
        // The current default: a frozen head, installed where `--replace-default` installs.
        let target = URL(fileURLWithPath: dir + "/models/sentiment/default", isDirectory: true)
        try SentimentCommandTests.run(["train", "sentiment", "--frozen", "--data", sample, "--out", target.path])
        let frozenHeader = target.appendingPathComponent(SentimentBundle.headerFile).path
        let config = target.appendingPathComponent(FineTunedBundle.configFile).path
        let newURL = URL(fileURLWithPath: newBundle, isDirectory: true)

        // Worse than the current default: nothing changes.
        try TrainSentiment.replaceDefaultIfBetter(
            newFolder: newURL, newAccuracy: -1, devRows: rows, current: target, target: target)
        #expect(FileManager.default.fileExists(atPath: frozenHeader))
        #expect(!FileManager.default.fileExists(atPath: config))

        // Better: the fine-tuned bundle replaces the frozen head entirely (no stale sentiment.json beside it).
        try TrainSentiment.replaceDefaultIfBetter(
            newFolder: newURL, newAccuracy: 1.5, devRows: rows, current: target, target: target)
        #expect(!FileManager.default.fileExists(atPath: frozenHeader))
        let installed = try SentimentModel.load(from: target)
        #expect(installed.modelID == (try FineTunedBundle.load(from: newURL)).modelID)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/models/sentiment") == ["default"])

        // A tie is not better: the installed model's own accuracy on the rows, measured here, keeps it.
        let classifier = try SentimentClassifier(model: installed, encoder: SentimentCommandTests.encoder())
        let accuracy = ClassificationMetrics(
            gold: rows.map(\.label), predicted: try classifier.classify(rows.map(\.text)).map(\.label)
        ).accuracy
        let before = try Data(contentsOf: URL(fileURLWithPath: config))
        try TrainSentiment.replaceDefaultIfBetter(
            newFolder: newURL, newAccuracy: accuracy, devRows: rows, current: target, target: target)
        #expect(try Data(contentsOf: URL(fileURLWithPath: config)) == before)

        // No default at all: the bundle is installed, creating the folders.
        let fresh = URL(fileURLWithPath: dir + "/fresh/sentiment/default", isDirectory: true)
        try TrainSentiment.replaceDefaultIfBetter(
            newFolder: newURL, newAccuracy: 0, devRows: rows, current: nil, target: fresh)
        #expect(SentimentModel.isModel(at: fresh))
    }
}
