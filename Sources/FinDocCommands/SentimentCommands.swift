import ArgumentParser
import FinDocCore
import FinDocML
import Foundation

/// `findoc eval sentiment MODEL --data FILE`.
struct EvalSentiment: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sentiment",
        abstract: "Score a sentiment bundle on labelled CSV/TSV sentences.",
        discussion: """
            Prints accuracy, macro-F1, per-class precision/recall/F1 and the confusion matrix (rows gold, columns \
            predicted). When the file has an `agreement` column (Financial PhraseBank), the figures on the rows \
            with 100 % agreement follow. `--format json` prints one object with keys accuracy, macro_f1, \
            weighted_f1, per_class, confusion, model, and agreement_100 when present. `findoc eval MODEL` \
            recognises a sentiment bundle by itself.

            Examples:
              findoc eval Models/sentiment-minilm-frozen --data dev.tsv
              findoc eval Models/sentiment-minilm-frozen --data dev.tsv --int8
              findoc eval sentiment ./my-head --data test.csv --text-column Sentence --label-column Sentiment --format json
            """)

    @Argument(help: "The bundle folder (holding sentiment.json).")
    var model: String
    @OptionGroup var dataOptions: SentimentDataOptions
    @Option(help: "Output: text or json.")
    var format: EvalCategories.EvalFormat = .text
    @Option(help: "Sentences per encoder call.")
    var batch: Int = 32
    @Flag(help: "Run the encoder's linear layers in int8 (the model id gets the suffix +int8).")
    var int8 = false

    func validate() throws { try dataOptions.validateFiles() }

    func run() throws {
        let bundle: SentimentModel
        do {
            bundle = try SentimentModel.load(from: URL(fileURLWithPath: model, isDirectory: true))
        } catch {
            Terminal.error("\(error)")
            throw ExitCode.failure
        }
        let rows = try dataOptions.load()
        let classifier = try SentimentClassifier(model: bundle, encoder: SentimentCommandSupport.encoder(int8: int8))
        let (metrics, agreed, extra) = try Self.evaluate(classifier: classifier, rows: rows, batch: batch)
        switch format {
        case .json:
            Terminal.output(try metrics.json(extra: extra) + "\n")
        case .text:
            let rate = (extra["timing"] as? [String: Any])?["items_per_s"] as? Double ?? 0
            var text = "model \(classifier.modelID) on \(Terminal.grouped(rows.count)) sentences "
            text += String(format: "(%.0f sentences/s)\n", rate)
            text += Self.describe(metrics)
            if let agreed {
                text += "\nrows with 100% agreement (\(Terminal.grouped(agreed.count))):\n" + Self.describe(agreed)
            }
            Terminal.output(text)
        }
    }

    /// Scores `classifier` on `rows`: the metrics, plus `model`, `timing` and, when rows carry an agreement
    /// level, `agreement_100` (the same figures on the rows at 100 %, also returned as a value) for the JSON report.
    static func evaluate(classifier: SentimentClassifier, rows: [LabelledSentence], batch: Int) throws
        -> (ClassificationMetrics, ClassificationMetrics?, [String: Any])
    {
        let clock = CPUClock()
        let predicted = try classifier.classify(
            rows.map(\.text), batch: batch, progress: SentimentCommandSupport.progress(total: rows.count, what: "scored"))
        Terminal.endProgress()
        let seconds = clock.wallSeconds
        let metrics = ClassificationMetrics(gold: rows.map(\.label), predicted: predicted.map(\.label))
        var extra: [String: Any] = [
            "model": classifier.modelID,
            "timing": ["seconds": seconds, "items_per_s": seconds > 0 ? Double(rows.count) / seconds : 0] as [String: Any],
        ]
        let agreed = rows.indices.filter { rows[$0].agreement?.trimmingCharacters(in: .whitespaces) == "100" }
        var figures: ClassificationMetrics?
        if !agreed.isEmpty {
            figures = ClassificationMetrics(gold: agreed.map { rows[$0].label }, predicted: agreed.map { predicted[$0].label })
            extra["agreement_100"] = figures?.jsonObject()
        }
        return (metrics, figures, extra)
    }

    /// Accuracy, F1, per-class table and confusion matrix as text.
    static func describe(_ metrics: ClassificationMetrics) -> String {
        var text = String(
            format: "accuracy %.4f  macro-F1 %.4f  weighted-F1 %.4f\n\n", metrics.accuracy, metrics.macroF1,
            metrics.weightedF1)
        text += "label\tprecision\trecall\tf1\tsupport\n"
        for figures in metrics.perClass {
            text += figures.label + "\t"
                + String(format: "%.4f\t%.4f\t%.4f\t%d\n", figures.precision, figures.recall, figures.f1, figures.support)
        }
        text += "\nconfusion (rows gold, columns predicted)\n\t" + metrics.labels.joined(separator: "\t") + "\n"
        for (label, row) in zip(metrics.labels, metrics.confusion) {
            text += label + "\t" + row.map(String.init).joined(separator: "\t") + "\n"
        }
        return text
    }
}

/// Pieces shared by the sentiment commands.
enum SentimentCommandSupport {
    /// The installed base encoder (int8 linear layers with `int8`), or a failure whose message says how to
    /// install it.
    static func encoder(int8: Bool = false) throws -> MiniLMEncoder {
        do {
            return try MiniLMEncoder(int8: int8)
        } catch {
            Terminal.error("\(error)")
            throw ExitCode.failure
        }
    }

    /// A progress callback that rewrites one stderr line.
    static func progress(total: Int, what: String) -> (Int) -> Void {
        { done in Terminal.progress("\(what) \(Terminal.grouped(done)) / \(Terminal.grouped(total))") }
    }
}
