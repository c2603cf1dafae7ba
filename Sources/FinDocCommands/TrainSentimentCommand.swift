import ArgumentParser
import FinDocCore
import FinDocML
import Foundation

/// `findoc train sentiment`: fine-tunes the encoder with low-rank adapters and a sentence head (the default), or
/// fits the frozen-encoder logistic head (`--frozen`).
struct TrainSentiment: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sentiment",
        abstract: "Fine-tune a sentence sentiment model on your labelled sentences (LoRA adapters + head).",
        discussion: """
            Fine-tunes the installed all-MiniLM-L6-v2 in Swift on both cores: rank-8 LoRA adapters on every layer's \
            query/key/value, attention-output, intermediate and output projections, the LayerNorms, and a linear head \
            over the mean-pooled hidden states; AdamW with linear warm-up and decay, gradient clipping, dropout 0.1, \
            mini-batches by length. After every epoch the dev accuracy is measured (on --dev, else on a stratified \
            --dev-fraction slice held out of --data), the best epoch is kept (--patience stops early) and a checkpoint \
            is written, so Ctrl-C leaves the last finished epoch; rerun with --resume to continue. The bundle \
            (config.json + adapters.safetensors, about 1.3 MB; the base encoder is not copied) goes to --out. Same \
            data and seed, same bundle. With --replace-default, the bundle also becomes the default model \
            (<models dir>/sentiment/default) when its dev accuracy beats the current default's on the same rows.

            --frozen fits the older, faster model instead: a logistic-regression head on frozen, L2-normalised \
            embeddings (--l2 values are scored on the dev slice, then the head is refitted on every row).

            Examples:
              findoc train sentiment --data train.tsv --out Models/sentiment-minilm-lora
              findoc train sentiment --data labelled.csv --text-column Sentence --label-column Sentiment --dev dev.csv --epochs 6 --lr 3e-4 --out ./my-sentiment
              findoc train sentiment --data train.tsv --out ./s --resume          # after Ctrl-C
              findoc train sentiment --data train.tsv --frozen --out Models/sentiment-minilm-frozen
            """)

    @OptionGroup var dataOptions: SentimentDataOptions
    @Option(parsing: .upToNextOption, help: "Labelled dev files for model selection (default: a slice of --data).")
    var dev: [String] = []
    @Option(help: "Share of --data held back (stratified) as the dev slice when no --dev is given.")
    var devFraction: Double = 0.1
    @OptionGroup var flags: FineTuneFlags
    @Option(help: "Bundle name, recorded in the model id.")
    var name: String?
    @Flag(help: "Make the bundle the default model when it beats the current default on the dev rows.")
    var replaceDefault = false
    @Flag(help: "Fit the frozen-encoder logistic head instead of fine-tuning.")
    var frozen = false
    @Option(help: "--frozen only: L2 penalties to try, comma-separated (the best on dev macro-F1 wins).")
    var l2: String = "0.0003,0.001,0.003,0.01,0.03"
    @Flag(help: "--frozen only: weigh rows so every label counts alike.")
    var balanced = false
    @Flag(help: "--frozen only: keep the head fitted on the training part only (default: refit on every row).")
    var noRefit = false

    /// Fine-tuning defaults for sentiment: adapters take a larger rate than full fine-tuning.
    static let defaults = FineTunerOptions(epochs: 5, learningRate: 5e-4, seed: 13, patience: 2)
    /// Word pieces read per sentence by default (the anchors' 64 covers all but a few PhraseBank sentences).
    static let defaultMaxLength = 64

    var penalties: [Float] { l2.split(separator: ",").compactMap { Float($0.trimmingCharacters(in: .whitespaces)) } }

    func validate() throws {
        try dataOptions.validateFiles()
        guard (0..<1).contains(devFraction) else { throw ValidationError("--dev-fraction expects 0 ≤ x < 1") }
        guard !penalties.isEmpty, penalties.allSatisfy({ $0 >= 0 }) else {
            throw ValidationError("--l2 expects comma-separated non-negative numbers such as 0.001,0.01")
        }
    }

    func run() throws {
        let rows = try dataOptions.load()
        let classes = Array(Set(rows.map(\.label))).sorted()
        guard classes.count >= 2 else {
            Terminal.error("training needs at least two labels; found \(classes)")
            throw ExitCode.failure
        }
        var devRows: [LabelledSentence] = []
        if !dev.isEmpty {
            var devOptions = dataOptions
            devOptions.data = dev
            devRows = try devOptions.load()
        }
        if frozen { return try FrozenSentimentTraining(command: self).run(rows: rows, classes: classes, devFile: devRows) }
        try fineTune(rows: rows, classes: classes, devFile: devRows)
    }

    private func fineTune(rows: [LabelledSentence], classes: [String], devFile: [LabelledSentence]) throws {
        let options = flags.trainerOptions(defaults: Self.defaults)
        let maxLength = flags.maxLength ?? Self.defaultMaxLength
        let folder = try FineTuneRun.baseModelFolder()
        let tokenizer = try BertTokenizer(modelFolder: folder, maxLength: maxLength)
        let labelIndex = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })

        let trainRows: [LabelledSentence]
        let devRows: [LabelledSentence]
        var data = ["train": dataOptions.data.joined(separator: " ")]
        if devFile.isEmpty {
            let (train, held) = SentimentDataOptions.split(rows, devFraction: devFraction, seed: options.seed)
            trainRows = train.map { rows[$0] }
            devRows = held.map { rows[$0] }
            data["dev"] = "stratified \(devFraction) of train, seed \(options.seed)"
        } else {
            trainRows = rows
            devRows = devFile.filter { labelIndex[$0.label] != nil }
            data["dev"] = dev.joined(separator: " ")
            if devRows.count < devFile.count {
                Terminal.diagnostic("note: \(devFile.count - devRows.count) dev rows carry labels absent from --data; ignored")
            }
        }
        data["train_rows"] = "\(trainRows.count)"
        data["dev_rows"] = "\(devRows.count)"

        let model: MiniLMSequenceClassifier
        do {
            model = try MiniLMSequenceClassifier(
                modelDirectory: folder, labelCount: classes.count, options: flags.modelOptions, seed: options.seed)
        } catch {
            Terminal.error("\(error)")
            throw ExitCode.failure
        }
        let examples = tokenizer.encodeEach(trainRows.map(\.text)).enumerated().compactMap { index, encoded in
            labelIndex[trainRows[index].label].map { SequenceClassificationExample(tokenIDs: encoded.ids, label: $0) }
        }
        try FineTuneRun.checkExamples(examples, check: { try model.check($0, index: $1) }) {
            "training row \($0 + 1) of \(dataOptions.data.joined(separator: " "))"
        }
        let devIDs = tokenizer.encodeEach(devRows.map(\.text)).map(\.ids)
        let devGold = devRows.map(\.label)
        Terminal.diagnostic(
            "fine-tuning on \(Terminal.grouped(examples.count)) sentences (dev \(Terminal.grouped(devRows.count))), "
                + "labels \(classes.joined(separator: ", ")), LoRA rank \(flags.rank), \(options.epochs) epochs, "
                + "lr \(options.learningRate), batch \(options.batchSize), max length \(maxLength), seed \(options.seed)")

        var lastMetrics: ClassificationMetrics?
        let metric: ((MiniLMSequenceClassifier) throws -> Double)? =
            devRows.isEmpty
            ? nil
            : { model in
                let metrics = ClassificationMetrics(
                    gold: devGold, predicted: try Self.predict(model, ids: devIDs, classes: classes))
                lastMetrics = metrics
                return metrics.accuracy
            }
        let result = try FineTuneRun.train(
            model: model, examples: examples, flags: flags, options: options, metricName: "accuracy", devMetric: metric)

        // The model now holds the best epoch: score it once more for the record (macro-F1 beside accuracy).
        var devMetrics: [String: Double] = [:]
        if !devRows.isEmpty {
            let metrics = ClassificationMetrics(gold: devGold, predicted: try Self.predict(model, ids: devIDs, classes: classes))
            lastMetrics = metrics
            devMetrics = ["accuracy": metrics.accuracy, "macro_f1": metrics.macroF1, "weighted_f1": metrics.weightedF1]
        }
        if let epoch = result.bestEpoch { data["best_epoch"] = "\(epoch)" }
        guard let adapters = FineTunedBundle.Adapters(flags.modelOptions) else { throw ExitCode.failure }
        var bundle = FineTunedBundle(
            config: FineTunedBundle.Config(
                name: name ?? URL(fileURLWithPath: flags.out).lastPathComponent, task: .sentiment, labels: classes,
                adapters: adapters, maxLength: maxLength, training: options, history: result.history,
                devMetrics: devMetrics, data: data),
            tensors: model.trainableParameters.tensorsByName)
        let id = try FineTuneRun.save(&bundle, flags: flags)
        var summary = "trained \(id) on \(Terminal.grouped(examples.count)) sentences in \(result.history.count) epochs"
        if let metrics = lastMetrics {
            summary += String(
                format: "; dev (%d rows): accuracy %.4f, macro-F1 %.4f", devRows.count, metrics.accuracy, metrics.macroF1)
        }
        Terminal.output(summary + "\nwrote \(flags.out)/\(FineTunedBundle.configFile) and \(FineTunedBundle.adaptersFile)\n")
        if replaceDefault, let metrics = lastMetrics {
            try Self.replaceDefaultIfBetter(
                newFolder: URL(fileURLWithPath: flags.out, isDirectory: true), newAccuracy: metrics.accuracy,
                devRows: devRows)
        }
    }

    /// The best label of every sequence.
    static func predict(_ model: MiniLMSequenceClassifier, ids: [[Int32]], classes: [String]) throws -> [String] {
        try model.probabilities(tokenIDs: ids).map { p in
            classes[p.indices.max { p[$0] < p[$1] } ?? 0]
        }
    }

    /// Installs the new bundle as the default model when it beats the current default on `devRows`.
    ///
    /// `current` is the folder of the model now in use (installed or shipped) and `target` where the default is
    /// installed; the command passes the real ones, tests pass temporary folders. The bundle is copied into a
    /// sibling folder first and then swapped in by renames, so a failed copy never leaves a half-written default.
    static func replaceDefaultIfBetter(
        newFolder: URL, newAccuracy: Double, devRows: [LabelledSentence],
        current currentFolder: URL? = SentimentModels.defaultBundleFolder(),
        target: URL = SentimentModels.installedDefaultFolder
    ) throws {
        var current: Double?
        var currentID = "none"
        if let folder = currentFolder, let model = try? SentimentModel.load(from: folder) {
            let classifier = try SentimentClassifier(model: model, encoder: SentimentCommandSupport.encoder())
            let predicted = try classifier.classify(devRows.map(\.text))
            current = ClassificationMetrics(gold: devRows.map(\.label), predicted: predicted.map(\.label)).accuracy
            currentID = classifier.modelID
        }
        guard current.map({ newAccuracy > $0 }) ?? true else {
            Terminal.output(
                String(format: "kept the default %@ (dev accuracy %.4f ≥ %.4f)\n", currentID, current ?? 0, newAccuracy))
            return
        }
        let manager = FileManager.default
        let parent = target.deletingLastPathComponent()
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent)-new-\(UUID().uuidString)")
        let retired = parent.appendingPathComponent(".\(target.lastPathComponent)-old-\(UUID().uuidString)")
        do {
            try manager.createDirectory(at: staging, withIntermediateDirectories: true)
            for file in [FineTunedBundle.adaptersFile, FineTunedBundle.configFile] {
                try manager.copyItem(at: newFolder.appendingPathComponent(file), to: staging.appendingPathComponent(file))
            }
            if manager.fileExists(atPath: target.path) { try manager.moveItem(at: target, to: retired) }
            try manager.moveItem(at: staging, to: target)
            try? manager.removeItem(at: retired)
        } catch {
            try? manager.removeItem(at: staging)
            // Put the previous default back if it was moved aside before the failure.
            if !manager.fileExists(atPath: target.path), manager.fileExists(atPath: retired.path) {
                try? manager.moveItem(at: retired, to: target)
            }
            Terminal.error("cannot install the bundle as the default in \(target.path): \(error.localizedDescription)")
            throw ExitCode.failure
        }
        Terminal.output(
            "the new bundle is now the default (\(target.path)): dev accuracy "
                + String(format: "%.4f", newAccuracy) + (current.map { String(format: " beats %.4f of \(currentID)", $0) } ?? "")
                + "\n")
    }
}
