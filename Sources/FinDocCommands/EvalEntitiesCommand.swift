import ArgumentParser
import FinDocML
import Foundation

/// `findoc eval entities MODEL --data FILE`: entity-level precision, recall and F1 per type.
struct EvalEntities: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "entities",
        abstract: "Score an entities bundle on labelled sentences: exact-span precision, recall, F1 per type.",
        discussion: """
            Reads CoNLL or FiNER-ORD CSV data (as `findoc train entities` does), tags every sentence's words with the \
            bundle (valid-BIO Viterbi) and counts entities as conlleval/seqeval do: an entity is right only when its \
            type and both ends match. Types other than PER, ORG and LOC count as O; when the gold data has no B- \
            tags (IO scheme), gold and predictions are compared as IO. `--format json` prints keys n_sentences, \
            n_gold_entities, precision, recall, micro_f1, per_type, model, timing. `findoc eval MODEL` recognises an \
            entities bundle by itself.

            Examples:
              findoc eval Models/entities-minilm-lora --data ../shared/data/finer_ord/val.csv
              findoc eval entities ./my-entities --data test.conll --format json
            """)

    @Argument(help: "The bundle folder (config.json + adapters.safetensors).")
    var model: String
    @Option(parsing: .upToNextOption, help: "Labelled files (CoNLL or FiNER-ORD CSV).")
    var data: [String] = []
    @Option(help: "Input layout: conll or finer (default: detected from the content).")
    var dataFormat: NERFileFormat?
    @Option(help: "Output: text or json.")
    var format: EvalCategories.EvalFormat = .text
    @Option(help: "Sentences per encoder call.")
    var batch: Int = 32
    @Flag(help: "Run the encoder's linear layers in int8 (the model id gets the suffix +int8).")
    var int8 = false

    func validate() throws {
        guard !data.isEmpty else { throw ValidationError("give --data FILE...") }
    }

    func run() throws {
        let tagger = try EntityModels.tagger(path: model, int8: int8)
        let sentences = try NERFiles.read(data, format: dataFormat?.readerFormat)
        let clock = CPUClock()
        let predicted = try tagger.tag(sentences.map(\.words), batch: batch).map(\.tags)
        let seconds = clock.wallSeconds
        let metrics = try EntityMetrics.anchorScoring(gold: sentences.map(\.tags), predicted: predicted)
        let words = sentences.reduce(0) { $0 + $1.words.count }
        switch format {
        case .json:
            let timing: [String: Any] = [
                "seconds": seconds, "sentences_per_s": seconds > 0 ? Double(sentences.count) / seconds : 0,
                "words_per_s": seconds > 0 ? Double(words) / seconds : 0,
            ]
            Terminal.output(try metrics.json(extra: ["model": tagger.modelID, "timing": timing]) + "\n")
        case .text:
            var text = "model \(tagger.modelID) on \(Terminal.grouped(sentences.count)) sentences "
            text += String(format: "(%.0f sentences/s)\n", seconds > 0 ? Double(sentences.count) / seconds : 0)
            text += String(
                format: "entity F1 %.4f  precision %.4f  recall %.4f\n\ntype\tprecision\trecall\tf1\tsupport\n",
                metrics.overall.f1, metrics.overall.precision, metrics.overall.recall)
            for (type, score) in metrics.perType.sorted(by: { $0.key < $1.key }) where NERTags.keptTypes.contains(type) {
                text += type + String(format: "\t%.4f\t%.4f\t%.4f\t%d\n", score.precision, score.recall, score.f1, score.support)
            }
            Terminal.output(text)
        }
    }
}

/// Loading an entities bundle for commands, with messages that say what to do.
enum EntityModels {
    /// The shipped bundle's folder name.
    static let shippedBundle = "Models/entities-minilm-lora"

    /// The default bundle: the models directory's `entities/default`, else the shipped one.
    static func defaultBundleFolder() -> URL? {
        let installed = ModelsDirectory.resolve().folder(named: "entities").appendingPathComponent("default")
        return ShippedModels.candidates(installed: installed, shipped: [shippedBundle]).first { isEntitiesBundle(at: $0) }
    }

    /// True when `folder` holds a fine-tuned entities bundle.
    static func isEntitiesBundle(at folder: URL) -> Bool { FineTunedBundle.task(at: folder) == .entities }

    /// The tagger of the bundle at `path` (or the default bundle) over the installed base encoder.
    static func tagger(path: String?, int8: Bool = false) throws -> EntityTokenModel {
        guard let folder = path.map({ URL(fileURLWithPath: $0, isDirectory: true) }) ?? defaultBundleFolder() else {
            throw ValidationError(
                "no entities model found: give --model DIR, or train one with `findoc train entities --data FILE`")
        }
        do {
            let bundle = try FineTunedBundle.load(from: folder)
            return try EntityTokenModel(bundle: bundle, modelDirectory: try FineTuneRun.baseModelFolder(), int8: int8)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Terminal.error("\(error)")
            throw ExitCode.failure
        }
    }
}
