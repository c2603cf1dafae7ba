import FinDocML
import FinDocStore
import Foundation

/// Labels stored transactions with rules and a category bundle, in batches, recording label, probability,
/// top-3, model id and reason (`rule:<name>`, or the JSON of the features that decided).
enum CategoryLabelling {
    /// Counts of one labelling run.
    struct Summary {
        var items = 0
        var byRule = 0
        var byModel = 0
        var unknown = 0
    }

    /// The default bundle, when one was trained (`findoc train categories` writes it).
    static func defaultBundleFolder() -> URL {
        ModelsDirectory.resolve().folder(named: "categories/default")
    }

    /// Loads `path` or, when nil, the default bundle if present (nil when there is none).
    static func loadBundle(path: String?) throws -> CategoryBundle? {
        if let path { return try CategoryBundle.load(from: URL(fileURLWithPath: path, isDirectory: true)) }
        let folder = defaultBundleFolder()
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent(CategoryBundle.headerFile).path) else {
            return nil
        }
        return try CategoryBundle.load(from: folder)
    }

    /// Labels the transactions not yet labelled by this classifier (or all of them with `all`).
    static func run(
        store: Store, classifier: CategoryClassifier, all: Bool = false, limit: Int? = nil,
        onDecision: ((LabellingTransaction, CategoryDecision) -> Void)? = nil
    ) throws -> Summary {
        let modelIDs = [classifier.bundle?.modelID, classifier.rules?.id].compactMap { $0 }
        var ids = try store.itemIDsToLabel(
            task: "categories", itemKind: CategoryItemKind.transaction.rawValue, modelIDs: modelIDs, includeLabelled: all)
        if let limit { ids = Array(ids.prefix(max(0, limit))) }
        var summary = Summary()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for start in stride(from: 0, to: ids.count, by: 5000) {
            let transactions = try store.labellingTransactions(ids: Array(ids[start..<min(start + 5000, ids.count)]))
            let decisions = classifier.classify(batch: transactions.map(\.categoryItem), threads: 2, explain: true)
            var predictions: [StoredPrediction] = []
            for (transaction, decision) in zip(transactions, decisions) {
                guard let decision else { continue }
                summary.items += 1
                if decision.reason.hasPrefix("rule:") {
                    summary.byRule += 1
                } else {
                    summary.byModel += 1
                    if decision.label == CategoryBundle.unknownLabel { summary.unknown += 1 }
                }
                var reason = decision.reason
                if decision.reason == "model", let data = try? encoder.encode(decision.features) {
                    reason = String(decoding: data, as: UTF8.self)
                }
                let topK = (try? encoder.encode(decision.topK)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
                predictions.append(
                    StoredPrediction(
                        task: "categories", itemKind: CategoryItemKind.transaction.rawValue, itemID: transaction.id,
                        label: decision.label, probability: Double(decision.probability), topK: topK,
                        modelID: decision.modelID, reason: reason))
                onDecision?(transaction, decision)
            }
            try store.savePredictions(predictions)
        }
        return summary
    }

    /// One line about a decision, for `--explain`.
    static func explanation(_ transaction: LabellingTransaction, _ decision: CategoryDecision) -> String {
        var line = "\(transaction.id)\t\(transaction.description)\t\(decision.label)\t"
            + String(format: "%.3f", decision.probability) + "\t"
        if decision.reason.hasPrefix("rule:") {
            line += decision.reason
        } else {
            line += "top: " + decision.topK.map { "\($0.label) " + String(format: "%.3f", $0.probability) }.joined(separator: ", ")
            line += "; features: " + decision.features.map { "\($0.feature) " + String(format: "%+.3f", $0.weight) }.joined(separator: ", ")
        }
        return line
    }
}

extension CategoryLabelling {
    /// The labelling step of `findoc run`: labels new transactions with the default bundle when one exists.
    static func labelAfterRun(storeOptions: StoreOptions) throws {
        let bundle: CategoryBundle?
        do {
            bundle = try loadBundle(path: nil)
        } catch {
            Terminal.error("categories: \(error)")
            return
        }
        guard let bundle else {
            Terminal.output("labelling: no category model yet (train one with `findoc train categories`)\n")
            return
        }
        let store = try storeOptions.open(mustExist: true)
        let summary = try run(store: store, classifier: CategoryClassifier(rules: nil, bundle: bundle))
        Terminal.output(
            "labelling: \(Terminal.grouped(summary.items)) transactions categorised by \(bundle.modelID) "
                + "(\(Terminal.grouped(summary.unknown)) UNKNOWN)\n")
    }
}
