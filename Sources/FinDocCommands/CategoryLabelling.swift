import FinDocML
import FinDocStore
import Foundation

/// Labels stored transactions and invoice lines with rules and a category bundle, in batches, recording label, probability,
/// top-3, model id and reason (`rule:<name>`, or the JSON of the features that decided).
enum CategoryLabelling {
    /// Counts of one labelling run.
    struct Summary {
        var items = 0
        var byRule = 0
        var byModel = 0
        var unknown = 0
        /// Of `items`, how many were invoice lines.
        var invoiceLines = 0
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

    /// One item handed to `onDecision`: its kind, id and the text shown by `--explain`.
    struct ItemRef {
        var kind: CategoryItemKind
        var id: Int64
        var text: String
    }

    /// The item kinds the categories task labels, in labelling order.
    static let kinds: [CategoryItemKind] = [.transaction, .invoiceLine]

    /// Loads the items of `kind` with these ids, as the categoriser sees them.
    static func load(store: Store, kind: CategoryItemKind, ids: [Int64]) throws -> [(ItemRef, CategoryItem)] {
        if kind == .invoiceLine {
            return try store.labellingInvoiceLines(ids: ids).map {
                let text = [$0.name, $0.seller].compactMap { $0 }.joined(separator: " | ")
                return (ItemRef(kind: kind, id: $0.id, text: text), $0.categoryItem)
            }
        }
        return try store.labellingTransactions(ids: ids).map {
            (ItemRef(kind: kind, id: $0.id, text: $0.description), $0.categoryItem)
        }
    }

    /// Labels the transactions and invoice lines not yet labelled by this classifier (or all of them with `all`).
    /// `limit` counts items of every kind together, transactions first.
    static func run(
        store: Store, classifier: CategoryClassifier, all: Bool = false, limit: Int? = nil,
        onDecision: ((ItemRef, CategoryDecision) -> Void)? = nil
    ) throws -> Summary {
        let modelIDs = [classifier.bundle?.modelID, classifier.rules?.id].compactMap { $0 }
        var summary = Summary()
        var left = limit.map { max(0, $0) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for kind in kinds {
            var ids = try store.itemIDsToLabel(
                task: "categories", itemKind: kind.rawValue, modelIDs: modelIDs, includeLabelled: all)
            if let remaining = left {
                ids = Array(ids.prefix(remaining))
                left = remaining - ids.count
            }
            for start in stride(from: 0, to: ids.count, by: 5000) {
                let items = try load(store: store, kind: kind, ids: Array(ids[start..<min(start + 5000, ids.count)]))
                let decisions = classifier.classify(batch: items.map(\.1), threads: 2, explain: true)
                var predictions: [StoredPrediction] = []
                for ((ref, _), decision) in zip(items, decisions) {
                    guard let decision else { continue }
                    summary.items += 1
                    if kind == .invoiceLine { summary.invoiceLines += 1 }
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
                            task: "categories", itemKind: kind.rawValue, itemID: ref.id, label: decision.label,
                            probability: Double(decision.probability), topK: topK, modelID: decision.modelID,
                            reason: reason))
                    onDecision?(ref, decision)
                }
                try store.savePredictions(predictions)
            }
        }
        return summary
    }

    /// "N transactions and M invoice lines" for a summary.
    static func describeItems(_ summary: Summary) -> String {
        "\(Terminal.grouped(summary.items - summary.invoiceLines)) transactions and "
            + "\(Terminal.grouped(summary.invoiceLines)) invoice lines"
    }

    /// One line about a decision, for `--explain`.
    static func explanation(_ item: ItemRef, _ decision: CategoryDecision) -> String {
        var line = "\(item.kind.rawValue)\t\(item.id)\t\(item.text)\t\(decision.label)\t"
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
    /// The labelling step of `findoc run`: labels new transactions and invoice lines with the default bundle when one exists.
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
            "labelling: \(describeItems(summary)) categorised by \(bundle.modelID) "
                + "(\(Terminal.grouped(summary.unknown)) UNKNOWN)\n")
    }
}
