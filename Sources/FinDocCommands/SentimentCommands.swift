import ArgumentParser
import FinDocCore
import FinDocML
import Foundation

/// `findoc train sentiment`: a logistic-regression head on frozen MiniLM sentence embeddings.
struct TrainSentiment: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sentiment",
        abstract: "Train the sentence sentiment head (logistic regression on frozen MiniLM embeddings).",
        discussion: """
            Embeds every sentence once with the installed all-MiniLM-L6-v2 (mean-pooled, L2-normalised, max 128 \
            tokens), then fits a multinomial logistic regression with an L2 penalty by full-batch Adam. With \
            --dev-fraction > 0 a stratified, seeded slice is held back: each --l2 value is scored on it (macro-F1), \
            the best is kept, and the head is refitted on every row (unless --no-refit). The bundle \
            (sentiment.json, a few tens of KB) goes to --out. Same data and seed, same bundle.

            Examples:
              findoc train sentiment --data ../shared/data/financial_phrasebank/train.tsv --out Models/sentiment-minilm-frozen
              findoc train sentiment --data labelled.csv --text-column Sentence --label-column Sentiment --dev-fraction 0.2 --seed 7
            """)

    @OptionGroup var dataOptions: SentimentDataOptions
    @Option(help: "Share of rows held back (stratified) to choose the L2 penalty and report dev figures.")
    var devFraction: Double = 0.1
    @Option(help: "Seed of the dev split.")
    var seed: UInt64 = 13
    @Option(help: "L2 penalties to try, comma-separated (the best on dev macro-F1 wins).")
    var l2: String = "0.0003,0.001,0.003,0.01,0.03"
    @Option(help: "Full-batch optimisation steps.")
    var epochs: Int = SentimentTrainingOptions().epochs
    @Option(help: "Adam step size.")
    var learningRate: Float = SentimentTrainingOptions().learningRate
    @Flag(help: "Weigh rows so every label counts alike (better macro-F1 on unbalanced data).")
    var balanced = false
    @Flag(help: "Keep the head fitted on the training part only (default: refit on every row).")
    var noRefit = false
    @Option(help: "Bundle folder to write.")
    var out: String = "sentiment-head"
    @Option(help: "Bundle name, recorded in the model id.")
    var name: String = "sentiment-minilm-frozen"
    @Option(help: "Sentences per encoder call.")
    var batch: Int = 32

    var penalties: [Float] { l2.split(separator: ",").compactMap { Float($0.trimmingCharacters(in: .whitespaces)) } }

    func validate() throws {
        try dataOptions.validateFiles()
        guard (0..<1).contains(devFraction) else { throw ValidationError("--dev-fraction expects 0 ≤ x < 1") }
        guard !penalties.isEmpty, penalties.allSatisfy({ $0 >= 0 }) else {
            throw ValidationError("--l2 expects comma-separated non-negative numbers such as 0.001,0.01")
        }
        guard epochs >= 1, learningRate > 0, batch >= 1 else {
            throw ValidationError("--epochs, --learning-rate and --batch expect positive numbers")
        }
    }

    func run() throws {
        let rows = try dataOptions.load()
        let classes = Array(Set(rows.map(\.label))).sorted()
        guard classes.count >= 2 else {
            Terminal.error("training needs at least two labels; found \(classes)")
            throw ExitCode.failure
        }
        let encoder = try SentimentCommandSupport.encoder()
        let tokenizer = try BertTokenizer(modelFolder: encoder.modelDirectory)
        let clock = CPUClock()
        let embeddings = try SentimentClassifier.embeddings(
            rows.map(\.text), tokenizer: tokenizer, encoder: encoder, batch: batch,
            progress: SentimentCommandSupport.progress(total: rows.count, what: "embedded"))
        Terminal.endProgress()
        Terminal.diagnostic(String(format: "embedded %d sentences in %.1f s", rows.count, clock.wallSeconds))
        let labelIndex = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let gold = rows.compactMap { labelIndex[$0.label] }
        let (trainRows, devRows) = SentimentDataOptions.split(rows, devFraction: devFraction, seed: seed)

        var options = SentimentTrainingOptions()
        options.epochs = epochs
        options.learningRate = learningRate
        options.balanced = balanced
        var notes: [String: String] = [
            "data": dataOptions.data.joined(separator: " "), "dev_fraction": "\(devFraction)", "seed": "\(seed)",
        ]
        var best: (l2: Float, metrics: ClassificationMetrics)?
        if !devRows.isEmpty {
            for penalty in penalties {
                options.l2 = penalty
                let head = SentimentHeadTrainer.train(
                    embeddings: trainRows.map { embeddings[$0] }, labels: trainRows.map { gold[$0] }, classes: classes,
                    options: options)
                let predicted = SentimentClassifier.predictions(head: head, embeddings: devRows.map { embeddings[$0] })
                let metrics = ClassificationMetrics(gold: devRows.map { rows[$0].label }, predicted: predicted.map(\.label))
                Terminal.diagnostic(
                    String(format: "l2 %g: dev accuracy %.4f, macro-F1 %.4f", penalty, metrics.accuracy, metrics.macroF1))
                if best == nil || metrics.macroF1 > (best?.metrics.macroF1 ?? 0) { best = (penalty, metrics) }
            }
        }
        options.l2 = best?.l2 ?? penalties[0]
        let fitRows = noRefit || devRows.isEmpty ? trainRows : Array(rows.indices)
        let head = SentimentHeadTrainer.train(
            embeddings: fitRows.map { embeddings[$0] }, labels: fitRows.map { gold[$0] }, classes: classes,
            options: options)
        if let best {
            notes["dev_rows"] = "\(devRows.count)"
            notes["dev_accuracy"] = String(format: "%.4f", best.metrics.accuracy)
            notes["dev_macro_f1"] = String(format: "%.4f", best.metrics.macroF1)
            notes["refit_on_all_rows"] = noRefit ? "false" : "true"
        }
        let bundle = SentimentBundle(head: head, name: name, training: options, rows: fitRows.count, notes: notes)
        let id = try bundle.save(to: URL(fileURLWithPath: out, isDirectory: true))
        var summary = "trained \(id) on \(Terminal.grouped(fitRows.count)) sentences, labels \(classes.joined(separator: ", ")), l2 \(options.l2)"
        if let best {
            summary += String(
                format: "; dev (%d rows, seed %llu): accuracy %.4f, macro-F1 %.4f", devRows.count, seed,
                best.metrics.accuracy, best.metrics.macroF1)
        }
        Terminal.output(summary + "\nwrote \(out)/\(SentimentBundle.headerFile)\n")
    }
}

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
        let bundle: SentimentBundle
        do {
            bundle = try SentimentBundle.load(from: URL(fileURLWithPath: model, isDirectory: true))
        } catch {
            Terminal.error("\(error)")
            throw ExitCode.failure
        }
        let rows = try dataOptions.load()
        let classifier = try SentimentClassifier(bundle: bundle, encoder: SentimentCommandSupport.encoder(int8: int8))
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
