import ArgumentParser
import FinDocML
import Foundation

/// `findoc train sentiment --frozen`: a logistic-regression head on frozen MiniLM sentence embeddings (the model
/// the fine-tuned one replaced; seconds instead of minutes to train).
///
/// Every sentence is embedded once (mean-pooled, L2-normalised, max 128 tokens); each `--l2` value is scored on the
/// dev rows (macro-F1) and the best is refitted on every row unless `--no-refit`.
struct FrozenSentimentTraining {
    /// The command's parsed flags.
    let command: TrainSentiment

    /// The seed used when none is given (the shipped frozen bundle's).
    static let defaultSeed: UInt64 = 13

    func run(rows: [LabelledSentence], classes: [String], devFile: [LabelledSentence]) throws {
        let seed = command.flags.seed ?? Self.defaultSeed
        let out = command.flags.out
        let all = rows + devFile
        let encoder = try SentimentCommandSupport.encoder()
        let tokenizer = try BertTokenizer(modelFolder: encoder.modelDirectory)
        let clock = CPUClock()
        let embeddings = try SentimentClassifier.embeddings(
            all.map(\.text), tokenizer: tokenizer, encoder: encoder, batch: command.flags.batchSize,
            progress: SentimentCommandSupport.progress(total: all.count, what: "embedded"))
        Terminal.endProgress()
        Terminal.diagnostic(String(format: "embedded %d sentences in %.1f s", all.count, clock.wallSeconds))
        let labelIndex = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        // Dev rows with a label absent from --data cannot be fitted on; they are left out.
        let usable = all.indices.filter { labelIndex[all[$0].label] != nil }
        let gold = all.map { labelIndex[$0.label] ?? 0 }
        let trainRows: [Int]
        let devRows: [Int]
        if devFile.isEmpty {
            (trainRows, devRows) = SentimentDataOptions.split(rows, devFraction: command.devFraction, seed: seed)
        } else {
            trainRows = Array(rows.indices)
            devRows = usable.filter { $0 >= rows.count }
        }

        var options = SentimentTrainingOptions()
        options.balanced = command.balanced
        var notes: [String: String] = [
            "data": command.dataOptions.data.joined(separator: " "), "dev_fraction": "\(command.devFraction)",
            "seed": "\(seed)",
        ]
        if !devFile.isEmpty { notes["dev"] = command.dev.joined(separator: " ") }
        var best: (l2: Float, metrics: ClassificationMetrics)?
        if !devRows.isEmpty {
            for penalty in command.penalties {
                options.l2 = penalty
                let head = SentimentHeadTrainer.train(
                    embeddings: trainRows.map { embeddings[$0] }, labels: trainRows.map { gold[$0] }, classes: classes,
                    options: options)
                let predicted = SentimentClassifier.predictions(head: head, embeddings: devRows.map { embeddings[$0] })
                let metrics = ClassificationMetrics(gold: devRows.map { all[$0].label }, predicted: predicted.map(\.label))
                Terminal.diagnostic(
                    String(format: "l2 %g: dev accuracy %.4f, macro-F1 %.4f", penalty, metrics.accuracy, metrics.macroF1))
                if best == nil || metrics.macroF1 > (best?.metrics.macroF1 ?? 0) { best = (penalty, metrics) }
            }
        }
        options.l2 = best?.l2 ?? command.penalties[0]
        let fitRows = command.noRefit || devRows.isEmpty ? trainRows : usable
        let head = SentimentHeadTrainer.train(
            embeddings: fitRows.map { embeddings[$0] }, labels: fitRows.map { gold[$0] }, classes: classes,
            options: options)
        if let best {
            notes["dev_rows"] = "\(devRows.count)"
            notes["dev_accuracy"] = String(format: "%.4f", best.metrics.accuracy)
            notes["dev_macro_f1"] = String(format: "%.4f", best.metrics.macroF1)
            notes["refit_on_all_rows"] = command.noRefit ? "false" : "true"
        }
        let bundle = SentimentBundle(
            head: head, name: command.name ?? "sentiment-minilm-frozen", training: options, rows: fitRows.count,
            notes: notes)
        let id = try bundle.save(to: URL(fileURLWithPath: out, isDirectory: true))
        var summary =
            "trained \(id) on \(Terminal.grouped(fitRows.count)) sentences, labels \(classes.joined(separator: ", ")), l2 \(options.l2)"
        if let best {
            summary += String(
                format: "; dev (%d rows, seed %llu): accuracy %.4f, macro-F1 %.4f", devRows.count, seed,
                best.metrics.accuracy, best.metrics.macroF1)
        }
        Terminal.output(summary + "\nwrote \(out)/\(SentimentBundle.headerFile)\n")
    }
}
