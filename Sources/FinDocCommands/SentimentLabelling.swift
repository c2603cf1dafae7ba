import ArgumentParser
import FinDocML
import FinDocStore
import Foundation

/// Labels stored transcript sentences with a sentiment bundle: shared by `findoc label --task sentiment` and
/// `findoc run`.
enum SentimentLabelling {
    /// What one labelling pass did.
    struct Summary: Equatable {
        /// Sentences labelled now.
        var labelled = 0
        /// Sentences per label.
        var byLabel: [String: Int] = [:]
    }

    /// Sentences read, embedded and saved per step: bounds memory and makes an interrupted run keep its progress.
    static let chunk = 2_000

    /// Labels the sentences `classifier`'s model has not labelled yet (all with `all`), at most `limit`; each
    /// prediction keeps the label, its probability, every label's probability (top-k), the model id and the
    /// score P(pos) − P(neg). Progress goes to stderr.
    static func run(store: Store, classifier: SentimentClassifier, all: Bool = false, limit: Int? = nil) throws
        -> Summary
    {
        let modelID = classifier.modelID
        var ids = try store.itemIDsToLabel(
            task: Store.sentimentTask, itemKind: "sentence", modelIDs: [modelID], includeLabelled: all)
        if let limit { ids = Array(ids.prefix(max(0, limit))) }
        var summary = Summary()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let total = ids.count
        for start in stride(from: 0, to: ids.count, by: chunk) {
            let sentences = try store.sentenceTexts(ids: Array(ids[start..<min(start + chunk, ids.count)]))
            let predictions = try classifier.classify(sentences.map(\.text)) { done in
                Terminal.progress("sentiment: \(Terminal.grouped(start + done)) / \(Terminal.grouped(total)) sentences")
            }
            var rows: [StoredPrediction] = []
            rows.reserveCapacity(predictions.count)
            for (sentence, prediction) in zip(sentences, predictions) {
                let topK = (try? encoder.encode(prediction.topK)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
                rows.append(
                    StoredPrediction(
                        task: Store.sentimentTask, itemKind: "sentence", itemID: sentence.id, label: prediction.label,
                        probability: Double(prediction.probability), score: prediction.score.map(Double.init),
                        topK: topK, modelID: modelID, reason: "model"))
                summary.byLabel[prediction.label, default: 0] += 1
            }
            try store.savePredictions(rows)
            summary.labelled += rows.count
        }
        Terminal.endProgress()
        return summary
    }

    /// One line: how many sentences, per label.
    static func describe(_ summary: Summary, modelID: String) -> String {
        let parts = summary.byLabel.keys.sorted().map { "\(Terminal.grouped(summary.byLabel[$0] ?? 0)) \($0)" }
        return "labelled \(Terminal.grouped(summary.labelled)) sentences by \(modelID)"
            + (parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")")
    }

    /// `findoc run`'s step: labels new transcript sentences with the default bundle when there are any. A missing
    /// base model or bundle prints one note on how to get it and never fails the batch.
    static func labelAfterRun(storeOptions: StoreOptions) throws {
        let store = try storeOptions.open(mustExist: true)
        let bundle: SentimentModel
        do {
            bundle = try SentimentModels.loadBundle(path: nil)
        } catch {
            // Only worth a note when there are sentences waiting.
            if try !store.itemIDsToLabel(task: Store.sentimentTask, itemKind: "sentence", modelIDs: []).isEmpty {
                Terminal.output("sentiment: not labelled (\(error))\n")
            }
            return
        }
        let pending = try store.itemIDsToLabel(task: Store.sentimentTask, itemKind: "sentence", modelIDs: [bundle.modelID])
        guard !pending.isEmpty else { return }
        let encoder: MiniLMEncoder
        do {
            encoder = try MiniLMEncoder()
        } catch {
            Terminal.output(
                "sentiment: \(Terminal.grouped(pending.count)) sentences not labelled: the base model is not installed. "
                    + BaseModel.installHint + " Then run `findoc label --task sentiment`.\n")
            return
        }
        let summary = try run(store: store, classifier: SentimentClassifier(model: bundle, encoder: encoder))
        Terminal.output("sentiment: " + describe(summary, modelID: bundle.modelID) + "\n")
    }
}

/// `findoc report call ID`: a call's sentiment for the whole call, per section and per speaker.
struct CallSentimentReport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call",
        abstract: "A call's sentiment: for the call, per section (prepared, qa) and per speaker.",
        discussion: """
            Counts the sentence predictions of one model (`findoc label --task sentiment`): --model, else the model \
            that labelled the call most recently, named on stderr; so two models' scores are never mixed. Columns: \
            call_id, scope (call | section | speaker), name, role, sentences, labelled, positive, neutral, negative, \
            mean_score (mean of P(positive) − P(negative) over the labelled sentences; empty when none).

            Examples:
              findoc report call 1
              findoc report call 1 --format csv > call-1-sentiment.csv
              findoc report call 1 --model sentiment-minilm-frozen@4f1c2a9b7e01+int8
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: "The call id (see `findoc query calls`).")
    var call: Int64
    @Option(help: "Count this model's predictions (a model id as `query calls` shows it; default: the newest).")
    var model: String?
    @Option(help: "Output format: table, csv, jsonl.")
    var format: OutputFormat = .table

    func run() throws {
        let store = try store.open(mustExist: true)
        try TranscriptOutput.requireCall(call, in: store)
        if let used = try store.callSentimentModel(call: call, model: model) {
            Terminal.diagnostic("sentiment by \(used)")
        } else {
            Terminal.diagnostic("call \(call) has no sentiment predictions yet: run `findoc label --task sentiment`")
        }
        let output = TextOutput.standardOutput()
        try store.callSentiment(call: call, model: model, into: TranscriptOutput.sink(format, output))
        try output.finish()
    }
}
