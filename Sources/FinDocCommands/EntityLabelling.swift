import ArgumentParser
import FinDocCore
import FinDocML
import FinDocStore
import Foundation

/// Finds entities in stored transcript sentences: the deterministic recognisers (MONEY, PERCENT, DATE, TICKER)
/// always, merged with a token-classification model's PER/ORG/LOC spans when a tagger is given
/// (`EntitySpanMerger`: rules win where they overlap, then the longer span). Shared by `findoc label --task entities`.
enum EntityLabelling {
    /// A model's spans for a batch of sentence texts: one list per text, offsets in Unicode scalars of that text
    /// (`SentenceWords.spans(tags:in:probabilities:)` builds them from per-word tags).
    typealias Tagger = ([String]) throws -> [[EntitySpan]]

    /// What one labelling pass did.
    struct Summary: Equatable {
        /// Sentences processed now.
        var sentences = 0
        /// Entities stored, per type.
        var byType: [String: Int] = [:]
    }

    /// Sentences read, tagged and saved per step: bounds memory and keeps an interrupted run's progress.
    static let chunk = 2_000

    /// The labelling id a run stores under: the recognisers' id alone, or `<model id>+<recognisers' id>`.
    static func runID(modelID: String?) -> String {
        modelID.map { "\($0)+\(EntityRecognizer.modelID)" } ?? EntityRecognizer.modelID
    }

    /// Labels the sentences this run id has not processed yet (all with `all`), at most `limit`. With a `tagger`,
    /// `modelID` names its model (stored on its spans). Each sentence's previous entities of this run id are
    /// replaced, so re-runs are idempotent.
    static func run(
        store: Store, tagger: Tagger? = nil, modelID: String? = nil, all: Bool = false, limit: Int? = nil
    ) throws -> Summary {
        let runID = runID(modelID: tagger == nil ? nil : modelID ?? "model")
        var ids = try store.sentenceIDsForEntities(runID: runID, includeDone: all)
        if let limit { ids = Array(ids.prefix(max(0, limit))) }
        var summary = Summary()
        for start in stride(from: 0, to: ids.count, by: chunk) {
            let sentences = try store.sentenceTexts(ids: Array(ids[start..<min(start + chunk, ids.count)]))
            let texts = sentences.map(\.text)
            let modelSpans = try tagger?(texts) ?? Array(repeating: [], count: texts.count)
            guard modelSpans.count == texts.count else {
                throw EntityLabellingError.taggerCount(expected: texts.count, got: modelSpans.count)
            }
            var results: [SentenceEntities] = []
            results.reserveCapacity(sentences.count)
            for ((id, text), model) in zip(sentences, modelSpans) {
                let length = text.unicodeScalars.count
                // A tagger's span outside its sentence would be stored with wrong offsets: drop it.
                let valid = model.filter { $0.start >= 0 && $0.end <= length && $0.start < $0.end }
                let merged = EntitySpanMerger.merge(model: valid, rules: EntityRecognizer.recognize(text))
                for span in merged { summary.byType[span.type.rawValue, default: 0] += 1 }
                results.append(SentenceEntities(sentenceID: id, spans: merged))
            }
            try store.replaceEntities(results, runID: runID, modelID: modelID, ruleID: EntityRecognizer.modelID)
            summary.sentences += results.count
            Terminal.progress("entities: \(Terminal.grouped(start + results.count)) / \(Terminal.grouped(ids.count)) sentences")
        }
        Terminal.endProgress()
        return summary
    }

    /// The tagger of a loaded entities model: sentence texts → PER/ORG/LOC spans.
    static func tagger(_ model: EntityTokenModel) -> Tagger {
        let tagger = EntityTagger(labels: model.labels, tokenizer: model.tokenizer, maxLength: model.maxLength)
        return { texts in try tagger.spans(in: texts) { try model.logProbabilities($0) } }
    }

    /// `findoc run`'s step: entities of new transcript sentences, with the default entities bundle when it and the
    /// base model are there (else the recognisers alone, with a note). Never fails the batch.
    static func labelAfterRun(storeOptions: StoreOptions) throws {
        let store = try storeOptions.open(mustExist: true)
        var model: EntityTokenModel?
        var note = ""
        if let folder = EntityModels.defaultBundleFolder() {
            do {
                model = try EntityTokenModel(
                    bundle: try FineTunedBundle.load(from: folder), modelDirectory: BaseModel.folder(in: .resolve()))
            } catch {
                note = " (PER/ORG/LOC skipped: \(error))"
            }
        }
        let runID = runID(modelID: model?.modelID)
        guard !(try store.sentenceIDsForEntities(runID: runID, includeDone: false)).isEmpty else { return }
        let summary = try run(store: store, tagger: model.map(tagger), modelID: model?.modelID)
        Terminal.output("entities: " + describe(summary, runID: runID) + note + "\n")
    }

    /// One line: sentences processed and entities per type.
    static func describe(_ summary: Summary, runID: String) -> String {
        let parts = summary.byType.keys.sorted().map { "\(Terminal.grouped(summary.byType[$0] ?? 0)) \($0)" }
        return "labelled \(Terminal.grouped(summary.sentences)) sentences with entities by \(runID)"
            + (parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")")
    }
}

/// A tagger that broke its contract.
enum EntityLabellingError: Error, CustomStringConvertible {
    /// It returned a different number of span lists than sentences.
    case taggerCount(expected: Int, got: Int)

    var description: String {
        switch self {
        case let .taggerCount(expected, got): "the entity tagger returned \(got) results for \(expected) sentences"
        }
    }
}

extension LabelCommand {
    /// `--task entities`: the recognisers over every stored transcript sentence not yet labelled by them.
    func runEntities() throws {
        let store = try store.open(mustExist: true)
        // With --model, the fine-tuned tagger's PER/ORG/LOC spans merge with the recognisers'; without, only the
        // recognisers run (MONEY, PERCENT, DATE, TICKER).
        if let model {
            let tokenModel = try EntityModels.tagger(path: model, int8: int8)
            let summary = try EntityLabelling.run(
                store: store, tagger: EntityLabelling.tagger(tokenModel), modelID: tokenModel.modelID, all: all,
                limit: limit)
            Terminal.output(EntityLabelling.describe(summary, runID: EntityLabelling.runID(modelID: tokenModel.modelID)) + "\n")
            return
        }
        let summary = try EntityLabelling.run(store: store, tagger: nil, modelID: nil, all: all, limit: limit)
        Terminal.output(EntityLabelling.describe(summary, runID: EntityLabelling.runID(modelID: nil)) + "\n")
    }
}
