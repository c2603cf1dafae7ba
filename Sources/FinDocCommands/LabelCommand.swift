import ArgumentParser
import FinDocML
import FinDocStore
import Foundation

/// `findoc label --task categories`.
struct LabelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "label",
        abstract: "Label stored items: rules first, then the trained model, with an UNKNOWN bucket.",
        discussion: """
            --task sentiment labels every transcript sentence that the sentiment bundle (default: the shipped \
            Models/sentiment-minilm-lora, fine-tuned; a frozen-head bundle works too) has not labelled yet: label, probability, every label's probability and \
            the score P(positive) − P(negative); it needs the installed base model (`findoc models install`). With \
            --int8 the encoder runs int8 linear layers and the predictions carry the model id <bundle id>+int8, \
            kept apart from the fp32 ones.

            --task categories labels the transactions and invoice lines this model (and rules file) has not labelled yet. \
            Invoice lines are read as fields name, description, seller, classification and item_id, with the net \
            amount signed from the buyer's side (negative; positive for credit notes), so rules can address them \
            (Schemas/rules.md). Each prediction keeps its \
            label, calibrated probability, top 3, model id and reason: rule:<name>, or the features that decided. A \
            person's label (findoc correct) is never touched and always wins in reports and exports.

            --task entities runs the MONEY, PERCENT, DATE and TICKER recognisers over every transcript sentence they \
            have not seen (see `findoc query entities`); with --model DIR (an entities bundle such as the shipped \
            Models/entities-minilm-lora) the fine-tuned tagger's PER, ORG and LOC spans are merged in (recognisers win \
            where they overlap). Re-runs replace, never duplicate.

            Examples:
              findoc label --task categories
              findoc label --task categories --rules my-rules.json --model ./models/cats
              findoc label --task categories --all --explain --limit 20
              findoc label --task sentiment
              findoc label --task sentiment --model Models/sentiment-minilm-frozen --limit 1000
              findoc label --task sentiment --int8
              findoc label --task entities
              findoc label --task entities --model Models/entities-minilm-lora
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "The labelling task: categories, sentiment or entities.")
    var task: String = "categories"
    @Option(help: "Rules file (JSON, see Schemas/rules.md), tried before the model.")
    var rules: String?
    @Option(help: "Model bundle folder (categories and sentiment: default bundle if omitted; entities: adds the tagger).")
    var model: String?
    @Flag(help: "Re-label items this model already labelled.")
    var all = false
    @Option(help: "Label at most this many items.")
    var limit: Int?
    @Flag(help: "Print, for each item, the rule or the features that decided.")
    var explain = false
    @Flag(help: "--task sentiment or entities with a model: run the encoder's linear layers in int8 (model id <bundle id>+int8).")
    var int8 = false

    func validate() throws {
        guard task == "categories" || task == "sentiment" || task == "entities" else {
            throw ValidationError("--task expects categories, sentiment or entities")
        }
        if task == "entities", rules != nil || explain {
            throw ValidationError("--rules and --explain do not apply to --task entities")
        }
        if task == "entities", int8, model == nil {
            throw ValidationError("--int8 applies to --task entities only with --model (the recognisers have no encoder)")
        }
        if task == "sentiment", rules != nil || explain {
            throw ValidationError("--rules and --explain apply to --task categories")
        }
        if task == "categories", int8 { throw ValidationError("--int8 applies to --task sentiment") }
    }

    func run() throws {
        if task == "sentiment" { return try runSentiment() }
        if task == "entities" { return try runEntities() }
        let store = try store.open(mustExist: true)
        let bundle: CategoryBundle?
        let ruleSet: CategoryRules?
        do {
            bundle = try CategoryLabelling.loadBundle(path: model)
            ruleSet = try rules.map(CategoryRules.load(path:))
        } catch {
            Terminal.error("\(error)")
            throw ExitCode.failure
        }
        guard bundle != nil || ruleSet != nil else {
            Terminal.error("no category model: train one with `findoc train categories`, or give --model or --rules")
            throw ExitCode(64)
        }
        let classifier = CategoryClassifier(rules: ruleSet, bundle: bundle)
        let explain = self.explain
        let summary = try CategoryLabelling.run(store: store, classifier: classifier, all: all, limit: limit) {
            if explain { Terminal.output(CategoryLabelling.explanation($0, $1) + "\n") }
        }
        Terminal.output(
            "labelled \(CategoryLabelling.describeItems(summary)): \(Terminal.grouped(summary.byRule)) by rules, "
                + "\(Terminal.grouped(summary.byModel)) by \(bundle?.modelID ?? "no model") "
                + "(\(Terminal.grouped(summary.unknown)) UNKNOWN)\n")
    }

    /// `--task sentiment`.
    private func runSentiment() throws {
        let store = try store.open(mustExist: true)
        let bundle: SentimentModel
        do {
            bundle = try SentimentModels.loadBundle(path: model)
        } catch let error as ValidationError {
            throw error
        } catch {
            Terminal.error("\(error)")
            throw ExitCode.failure
        }
        let classifier = try SentimentClassifier(model: bundle, encoder: SentimentCommandSupport.encoder(int8: int8))
        let summary = try SentimentLabelling.run(store: store, classifier: classifier, all: all, limit: limit)
        Terminal.output(SentimentLabelling.describe(summary, modelID: classifier.modelID) + "\n")
    }
}
