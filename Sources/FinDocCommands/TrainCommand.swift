import ArgumentParser
import FinDocML
import FinDocStore
import Foundation

/// `findoc train ...`: fit a model for one labelling task. Each task is a subcommand, so later tasks (sentiment)
/// join here.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model for a labelling task on your own data.",
        subcommands: [TrainCategories.self, TrainSentiment.self, TrainEntities.self])
}

/// `findoc train categories`.
struct TrainCategories: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "categories",
        abstract: "Train the transaction category model (hashed n-grams, linear softmax) in seconds.",
        discussion: """
            Learns your chart of accounts from labelled history: CSV/TSV files (--data) or the store (--from-store: \
            transactions whose source carried a category, and every transaction or invoice line a person labelled \
            with `findoc correct`; a person's label wins). A slice of the rows (--calibration-fraction) is held back to calibrate the \
            probabilities and to choose the UNKNOWN threshold for --target-precision; the model is then refitted on \
            every row. The bundle (bundle.json + weights.bin) goes to --out, default the models directory's \
            categories/<name>, which `findoc label` and `findoc run` use.

            --label-source accounting-reference (with --from-store) also learns from invoice lines whose source \
            carries BT-133, the buyer's accounting reference (UBL cac:InvoiceLine/cbc:AccountingCost, CII \
            ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID on the line): your own chart-of-accounts code, \
            taken as the line's label unless a person labelled the line (a person's label wins). Transactions keep \
            their imported category or a person's label.

            Examples:
              findoc train categories --data 2017-*.csv --text-column "MERCHANT NAME" --label-column "TRANS CAC DESC 1"
              findoc train categories --data history.tsv --text-column Payee,Memo --label-column Category --amount-column Amount
              findoc train categories --from-store --out ./models/cats
              findoc train categories --from-store --label-source accounting-reference --name accounts
            """)

    @OptionGroup var dataOptions: CategoryDataOptions
    @OptionGroup var flags: CategoryTrainingFlags
    @OptionGroup var store: StoreOptions
    @Flag(help: "Train on the store's labelled transactions and invoice lines instead of files.")
    var fromStore = false
    @Option(
        help: ArgumentHelp(
            "Invoice lines' label when no person labelled them (with --from-store): labels or accounting-reference (BT-133).",
            valueName: "source"))
    var labelSource: String = InvoiceLineLabelSource.labels.rawValue
    @Option(help: "Bundle folder to write (default: <models dir>/categories/<name>).")
    var out: String?
    @Option(help: "Bundle name, recorded in the model id.")
    var name: String = "default"
    @Option(help: "Drop weights smaller than this in magnitude from the bundle (smaller, faster; 0 keeps all).")
    var pruneBelow: Float = 0.1

    func validate() throws {
        if !fromStore { try dataOptions.validateForFiles() }
        if fromStore, !dataOptions.data.isEmpty { throw ValidationError("give either --data or --from-store, not both") }
        guard let source = InvoiceLineLabelSource(rawValue: labelSource) else {
            throw ValidationError(
                "--label-source expects "
                    + InvoiceLineLabelSource.allCases.map(\.rawValue).joined(separator: " or ") + ", got \"\(labelSource)\"")
        }
        if source != .labels, !fromStore { throw ValidationError("--label-source applies to --from-store only") }
    }

    func run() throws {
        let rows: [LabelledCategoryItem]
        var textFields = dataOptions.textColumns
        var amount = dataOptions.amountColumn != nil
        var account = dataOptions.accountColumn != nil
        if fromStore {
            let store = try store.open(mustExist: true)
            let transactions = try store.categoryTrainingRows().compactMap { row in
                row.label.map { LabelledCategoryItem(item: row.categoryItem, label: $0) }
            }
            let lines = try store.invoiceLineTrainingRows(source: InvoiceLineLabelSource(rawValue: labelSource) ?? .labels).compactMap { row in
                row.label.map { LabelledCategoryItem(item: row.categoryItem, label: $0) }
            }
            rows = transactions + lines
            textFields = ["description", "payee", "reference"] + (lines.isEmpty ? [] : ["name", "seller", "classification", "item_id"])
            amount = true
            account = true
        } else {
            rows = try dataOptions.load()
        }
        let trainer = flags.trainer(amount: amount, account: account)
        let clock = CPUClock()
        let result: CategoryTrainer.Result
        do {
            result = try trainer.train(rows)
        } catch {
            Terminal.error("\(error)")
            throw ExitCode.failure
        }
        let seconds = clock.wallSeconds, cpu = clock.cpuSeconds
        var bundle = CategoryBundle(result: result, training: trainer.options, textFields: textFields)
        let folder = out.map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? ModelsDirectory.resolve().folder(named: "categories/\(name)")
        let id = try bundle.save(to: folder, name: "categories/\(name)", pruneBelow: pruneBelow)
        Terminal.output(
            "trained \(id) on \(Terminal.grouped(result.rows)) rows, \(result.model.labels.count) labels, "
                + "\(Terminal.grouped(result.model.rowCount)) feature rows in \(String(format: "%.2f", seconds)) s "
                + "(\(String(format: "%.2f", cpu)) CPU-s, \(trainer.options.threads) threads)\n")
        if let c = result.calibration {
            Terminal.output(
                String(
                    format: "calibration on %d held-back rows: temperature %.3f, NLL %.4f -> %.4f, accuracy %.4f; "
                        + "UNKNOWN below %.3f gives precision %.4f at coverage %.4f\n",
                    c.rows, c.temperature, c.nllBefore, c.nllAfter, c.accuracy, c.threshold, c.precision, c.coverage))
        }
        Terminal.output("bundle: \(folder.path)\n")
    }
}
