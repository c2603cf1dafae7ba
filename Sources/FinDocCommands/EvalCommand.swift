import ArgumentParser
import FinDocML
import Foundation

/// `findoc eval ...`: score a model on labelled data. `findoc eval MODEL` means `findoc eval categories MODEL`;
/// later tasks join as subcommands.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score a trained model on labelled data: accuracy, macro-F1, weighted-F1, per class.",
        subcommands: [EvalCategories.self, EvalSentiment.self, EvalEntities.self],
        defaultSubcommand: EvalCategories.self)
}

/// `findoc eval categories MODEL`.
struct EvalCategories: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "categories",
        abstract: "Score a category bundle on labelled CSV/TSV files.",
        discussion: """
            Accuracy and F1 count the model's best label for every row (as the anchors do); the UNKNOWN figures say \
            how many rows were at or above the bundle's threshold (coverage) and how many of those were right \
            (precision). `--format json` prints keys accuracy, macro_f1, weighted_f1, per_class, confusion, unknown, \
            timing. Rows whose label the model never saw are counted wrong.

            Examples:
              findoc eval ~/.cache/findoc/models/categories/default --data 2017-07.csv --text-column "MERCHANT NAME" --label-column "TRANS CAC DESC 1"
              findoc eval ./cats --data test.csv --text-column Payee --label-column Category --format json
              findoc eval ./cats --data test.csv --text-column Payee --label-column Category --timing-runs 21   # benchmark
            """)

    @Argument(help: "The bundle folder.")
    var model: String
    @OptionGroup var dataOptions: CategoryDataOptions
    @Option(help: "Output: text or json.")
    var format: EvalFormat = .text
    @Option(help: "Prediction threads.")
    var threads: Int = 2
    @Option(help: "Predict the rows this many times and report the median timing (for benchmarks; the metrics are the same).")
    var timingRuns: Int = 1
    @Flag(help: "Sentiment and entities bundles only: run the encoder's linear layers in int8.")
    var int8 = false

    enum EvalFormat: String, ExpressibleByArgument { case text, json }

    func validate() throws {
        // `findoc eval MODEL` with a sentiment bundle is handed to `eval sentiment` in run(), whose columns default.
        let folder = URL(fileURLWithPath: model, isDirectory: true)
        if SentimentModel.isModel(at: folder) || EntityModels.isEntitiesBundle(at: folder) { return }
        try dataOptions.validateForFiles()
        guard timingRuns >= 1 else { throw ValidationError("--timing-runs expects a count of at least 1") }
    }

    func run() throws {
        if EntityModels.isEntitiesBundle(at: URL(fileURLWithPath: model, isDirectory: true)) {
            let entities = try EvalEntities.parse(
                [model, "--format", format.rawValue, "--data"] + dataOptions.data + (int8 ? ["--int8"] : []))
            try entities.run()
            return
        }
        if SentimentModel.isModel(at: URL(fileURLWithPath: model, isDirectory: true)) {
            let sentiment = try EvalSentiment.parse(
                [model, "--format", format.rawValue, "--label-column", dataOptions.labelColumn ?? "label", "--data"]
                    + dataOptions.data + (dataOptions.textColumn.map { ["--text-column", $0] } ?? [])
                    + (int8 ? ["--int8"] : []))
            try sentiment.run()
            return
        }
        if int8 {
            Terminal.error("--int8 applies to sentiment bundles; \(model) is a category bundle")
            throw ExitCode(64)
        }
        let bundle: CategoryBundle
        do {
            bundle = try CategoryBundle.load(from: URL(fileURLWithPath: model, isDirectory: true))
        } catch {
            Terminal.error("\(error)")
            throw ExitCode.failure
        }
        let rows = try dataOptions.load()
        let (metrics, extra) = Self.evaluate(bundle: bundle, rows: rows, threads: threads, timingRuns: timingRuns)
        let unknown = extra["unknown"] as? [String: Double] ?? [:]
        let timing = extra["timing"] as? [String: Any] ?? [:]
        let coverage = unknown["coverage"] ?? 0, precision = unknown["precision"] ?? 0
        let itemsPerSecond = timing["items_per_s"] as? Double ?? 0
        switch format {
        case .json:
            Terminal.output(try metrics.json(extra: extra) + "\n")
        case .text:
            var text = "model \(bundle.modelID) on \(Terminal.grouped(rows.count)) rows\n"
            text += String(
                format: "accuracy %.4f  macro-F1 %.4f  weighted-F1 %.4f\n", metrics.accuracy, metrics.macroF1,
                metrics.weightedF1)
            text += String(
                format: "UNKNOWN below %.3f: coverage %.4f, precision %.4f\n", bundle.unknownThreshold, coverage, precision)
            text += String(
                format: "prediction: %.0f items/s wall (%d threads), %.0f items per CPU-second\n\n", itemsPerSecond, threads,
                timing["items_per_cpu_s"] as? Double ?? 0)
            text += "label\tprecision\trecall\tf1\tsupport\n"
            for figures in metrics.perClass.sorted(by: { $0.support > $1.support }) {
                text += figures.label + "\t"
                    + String(format: "%.4f\t%.4f\t%.4f\t%d\n", figures.precision, figures.recall, figures.f1, figures.support)
            }
            Terminal.output(text)
        }
    }

    /// Scores `bundle` on `rows`: the metrics of its best label, plus `model`, `unknown` (threshold, coverage,
    /// precision) and `timing` (predict_seconds, items_per_s, threads, runs) for the JSON report. With `timingRuns`
    /// above 1 the rows are predicted that many times (each run from scratch, caches included) and the timing is the
    /// median run's.
    static func evaluate(bundle: CategoryBundle, rows: [LabelledCategoryItem], threads: Int, timingRuns: Int = 1)
        -> (ClassificationMetrics, [String: Any])
    {
        let classifier = CategoryClassifier(rules: nil, bundle: bundle)
        let items = rows.map(\.item)
        var runs: [(wall: Double, cpu: Double)] = []
        var decisions: [CategoryDecision?] = []
        for _ in 0..<max(1, timingRuns) {
            let clock = CPUClock()
            decisions = classifier.classify(batch: items, threads: threads)
            runs.append((clock.wallSeconds, clock.cpuSeconds))
        }
        let median = runs.sorted { $0.wall < $1.wall }[runs.count / 2]
        let seconds = median.wall, cpu = median.cpu
        let best = decisions.map { $0?.topK.first?.label ?? CategoryBundle.unknownLabel }
        let gold = rows.map(\.label)
        let metrics = ClassificationMetrics(gold: gold, predicted: best)
        var accepted = 0, acceptedRight = 0
        for (index, decision) in decisions.enumerated() where decision?.label != CategoryBundle.unknownLabel {
            accepted += 1
            if decision?.label == gold[index] { acceptedRight += 1 }
        }
        let coverage = rows.isEmpty ? 0 : Double(accepted) / Double(rows.count)
        let precision = accepted == 0 ? 0 : Double(acceptedRight) / Double(accepted)
        let extra: [String: Any] = [
            "model": bundle.modelID,
            "unknown": ["threshold": Double(bundle.unknownThreshold), "coverage": coverage, "precision": precision],
            "timing": [
                "predict_seconds": seconds, "items_per_s": seconds > 0 ? Double(rows.count) / seconds : 0,
                "threads": threads, "runs": runs.count, "cpu_seconds": cpu, "items_per_cpu_s": cpu > 0 ? Double(rows.count) / cpu : 0,
            ] as [String: Any],
        ]
        return (metrics, extra)
    }
}
