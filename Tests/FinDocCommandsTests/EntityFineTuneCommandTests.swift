import ArgumentParser
import FinDocML
import FinDocStore
import Foundation
import Testing

@testable import FinDocCommands

/// `findoc train entities`, `findoc eval` and `findoc label --task entities --model` end to end on a tiny
/// hand-tagged, fictional CoNLL file. Needs the installed base model (set-up installs it).
@Suite(.serialized) struct EntityFineTuneCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let data = root.path + "/Tests/FinDocMLTests/Fixtures/entities/tiny-fictional.conll"

    static func run(_ arguments: [String]) throws {
        var command = try Findoc.parseAsRoot(arguments)
        try command.run()
    }

    @Test("train entities overfits eight sentences; eval scores them; label stores model spans beside the rules'")
    func trainEvalLabel() throws {
        let dir = NSTemporaryDirectory() + "findoc-ner-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = dir + "/entities"
        // The same file as train and dev: the point is that backward pass, optimiser and decoding can fit it.
        try Self.run([
            "train", "entities", "--data", Self.data, "--dev", Self.data, "--out", out, "--epochs", "12",
            "--lr", "3e-3", "--batch-size", "4", "--patience", "0", "--seed", "3",
        ])
        let bundle = try FineTunedBundle.load(from: URL(fileURLWithPath: out, isDirectory: true))
        #expect(bundle.config.task == .entities)
        #expect(bundle.config.labels == ["B-LOC", "B-ORG", "B-PER", "I-ORG", "I-PER", "O"])
        let f1 = try #require(bundle.config.devMetrics["entity_f1"])
        #expect(f1 > 0.8, "the tagger should fit its eight training sentences (entity F1 \(f1))")

        // The bundle reloaded through the merged encoder tags the words as the training-time model scored them.
        let sentences = try NERDataReader.read(contentsOf: URL(fileURLWithPath: Self.data))
        let model = try EntityTokenModel(bundle: bundle, modelDirectory: BaseModel.folder(in: .resolve()))
        let tagged = try model.tag(sentences.map(\.words)).map(\.tags)
        let metrics = try EntityMetrics.anchorScoring(gold: sentences.map(\.tags), predicted: tagged)
        #expect(abs(metrics.overall.f1 - f1) < 1e-9)
        for tags in tagged { #expect(BIODecoder(labels: model.labels).isValid(tags)) }
        try Self.run(["eval", out, "--data", Self.data, "--format", "json"])

        // Label the sample transcripts with the model: its spans are stored under its model id, next to the rules'.
        let db = dir + "/s.sqlite"
        try Self.run(["ingest", "--db", db, Self.root.path + "/Samples/transcripts"])
        try Self.run(["label", "--db", db, "--task", "entities", "--model", out])
        let store = try Store.open(path: db, mustExist: true)
        let runs = EntityCommandTests.Rows()
        try store.readOnlyQuery("SELECT DISTINCT run_id FROM entity_runs", into: runs)
        #expect(runs.column("run_id").contains { $0.hasPrefix(bundle.modelID) })
    }
}
