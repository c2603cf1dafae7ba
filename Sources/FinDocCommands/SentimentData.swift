import ArgumentParser
import FinDocCore
import FinDocIngest
import FinDocML
import Foundation

/// One labelled sentence of a sentiment file.
struct LabelledSentence: Sendable, Equatable {
    /// The text.
    var text: String
    /// The gold label.
    var label: String
    /// The annotator agreement level, when the file has an `agreement` column (PhraseBank: 50/66/75/100).
    var agreement: String?
}

/// `--data FILE... [--text-column] [--label-column]` for sentiment training and evaluation: CSV/TSV read as CSV
/// ingest reads them. Defaults fit the Financial PhraseBank TSV (`sentence`, `label`, `agreement`).
struct SentimentDataOptions: ParsableArguments {
    @Option(parsing: .upToNextOption, help: "CSV or TSV files of labelled sentences.")
    var data: [String] = []
    @Option(help: "The text column (default: sentence, else text).")
    var textColumn: String?
    @Option(help: "The label column.")
    var labelColumn: String = "label"

    func validateFiles() throws {
        guard !data.isEmpty else { throw ValidationError("give --data FILE...") }
    }

    /// Reads every file; rows with an empty text or label are skipped and counted. Unreadable files and missing
    /// columns are reported with the file name and fail the command.
    func load() throws -> [LabelledSentence] {
        var out: [LabelledSentence] = []
        var failed = false
        for path in data {
            guard let table = DelimitedTable.readReporting(path: path) else {
                failed = true
                continue
            }
            let names = textColumn.map { [$0] } ?? ["sentence", "text"]
            guard let text = names.lazy.compactMap({ table.column(named: $0) }).first,
                let label = table.column(named: labelColumn)
            else {
                Terminal.error(
                    "\(path): expected a text column (\(names.joined(separator: " or "))) and a label column "
                        + "(\(labelColumn)); the header has: " + table.header.map { "\"\($0)\"" }.joined(separator: ", "))
                failed = true
                continue
            }
            let agreement = table.column(named: "agreement")
            var skipped = 0
            for row in table.rows {
                let value = label < row.count ? row[label].trimmingCharacters(in: .whitespaces) : ""
                let sentence = text < row.count ? row[text] : ""
                guard !value.isEmpty, !sentence.trimmingCharacters(in: .whitespaces).isEmpty else {
                    skipped += 1
                    continue
                }
                out.append(
                    LabelledSentence(
                        text: sentence, label: value, agreement: agreement.flatMap { $0 < row.count ? row[$0] : nil }))
            }
            Terminal.diagnostic("\(path): \(table.rows.count) rows, \(skipped) without text or label")
        }
        if failed { throw ExitCode.failure }
        return out
    }

    /// A stratified, seeded split: from each label, `round(count × fraction)` rows (after a SplitMix64 shuffle,
    /// and never all of them) go to dev. The same rows, fraction and seed give the same split.
    static func split(_ rows: [LabelledSentence], devFraction: Double, seed: UInt64) -> (train: [Int], dev: [Int]) {
        guard devFraction > 0 else { return (Array(rows.indices), []) }
        var byLabel: [String: [Int]] = [:]
        for (index, row) in rows.enumerated() { byLabel[row.label, default: []].append(index) }
        var dev = Set<Int>()
        for label in byLabel.keys.sorted() {
            guard var indices = byLabel[label] else { continue }
            var generator = SplitMix64(seed: seed)
            indices.shuffle(using: &generator)
            // At least one row of each label stays in train, so a tiny file never leaves training empty.
            dev.formUnion(indices.prefix(min(indices.count - 1, Int((Double(indices.count) * devFraction).rounded()))))
        }
        return (rows.indices.filter { !dev.contains($0) }, rows.indices.filter { dev.contains($0) })
    }
}

/// Loading the encoder and a sentiment bundle for commands, with messages that say what to do.
enum SentimentModels {
    /// The shipped bundles, best first: the fine-tuned one, then the frozen head it replaced.
    static let shippedBundles = ["Models/sentiment-minilm-lora", "Models/sentiment-minilm-frozen"]

    /// The models directory's `sentiment/default` (where `findoc train sentiment --replace-default` puts a better
    /// model).
    static var installedDefaultFolder: URL {
        ModelsDirectory.resolve().folder(named: "sentiment").appendingPathComponent("default")
    }

    /// The default model: the models directory's `sentiment/default` when there is one, else a shipped bundle
    /// (`Models/sentiment-minilm-lora`, then `Models/sentiment-minilm-frozen`).
    static func defaultBundleFolder() -> URL? {
        ShippedModels.candidates(installed: installedDefaultFolder, shipped: shippedBundles).first {
            SentimentModel.isModel(at: $0)
        }
    }

    /// The model at `path`, or the default one; throws a message naming what is missing.
    static func loadBundle(path: String?) throws -> SentimentModel {
        if let path { return try SentimentModel.load(from: URL(fileURLWithPath: path, isDirectory: true)) }
        guard let folder = defaultBundleFolder() else {
            throw ValidationError(
                "no sentiment model found: give --model DIR, or train one with `findoc train sentiment --data FILE`")
        }
        return try SentimentModel.load(from: folder)
    }
}

/// Where commands look for a default model: the models directory's installed default first, then each shipped
/// bundle in the current folder and beside the repository this binary was built from.
enum ShippedModels {
    /// The folders to try, in order.
    static func candidates(installed: URL, shipped: [String]) -> [URL] {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        // The repository this binary was built from (this file sits three levels below its root).
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        let repository = URL(fileURLWithPath: parts.joined(separator: "/"), isDirectory: true)
        return [installed] + shipped.flatMap { [cwd.appendingPathComponent($0), repository.appendingPathComponent($0)] }
    }
}
