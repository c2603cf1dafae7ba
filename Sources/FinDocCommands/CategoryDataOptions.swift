import ArgumentParser
import FinDocCore
import FinDocIngest
import FinDocML
import Foundation

/// `--data FILE... --text-column ... --label-column ...`: labelled CSV/TSV rows for training and evaluation, read
/// with the same encoding, delimiter and header detection as CSV ingest.
struct CategoryDataOptions: ParsableArguments {
    @Option(parsing: .upToNextOption, help: "CSV or TSV files of labelled rows (each file's encoding and delimiter are detected).")
    var data: [String] = []
    @Option(help: "Text column(s), comma-separated (names, case- and space-insensitive, or 0-based numbers).")
    var textColumn: String?
    @Option(help: "The column holding the category.")
    var labelColumn: String?
    @Option(help: "An amount column: adds sign and magnitude features (amounts are read exactly, as ingest reads them).")
    var amountColumn: String?
    @Option(help: "An account or card-number column: adds the account as a feature and lets rules match it.")
    var accountColumn: String?
    @Option(help: "Decimal digits of the amounts' currency.")
    var amountDigits: Int = 2

    /// The text columns asked for.
    var textColumns: [String] {
        (textColumn ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func validateForFiles() throws {
        guard !data.isEmpty else { throw ValidationError("give --data FILE... (or --from-store where offered)") }
        guard !textColumns.isEmpty else { throw ValidationError("--text-column is required with --data") }
        guard labelColumn != nil else { throw ValidationError("--label-column is required with --data") }
    }

    /// Reads every file; rows without a label are skipped and counted. Unreadable files and missing columns are
    /// reported with the file name and fail the command.
    func load() throws -> [LabelledCategoryItem] {
        var out: [LabelledCategoryItem] = []
        var failed = false
        for path in data {
            guard let table = DelimitedTable.readReporting(path: path) else {
                failed = true
                continue
            }
            func column(_ name: String, _ option: String) -> Int? {
                if let index = table.column(named: name) { return index }
                Terminal.error(
                    "\(path): no column \"\(name)\" for \(option); the header has: "
                        + table.header.map { "\"\($0)\"" }.joined(separator: ", "))
                failed = true
                return nil
            }
            let texts = textColumns.compactMap { column($0, "--text-column") }
            guard texts.count == textColumns.count, let labelColumn, let label = column(labelColumn, "--label-column") else {
                continue
            }
            var amounts: [Int64?]?
            if let amountColumn {
                guard let index = column(amountColumn, "--amount-column") else { continue }
                amounts = table.amounts(column: index, digits: amountDigits)
            }
            var account: Int?
            if let accountColumn {
                guard let index = column(accountColumn, "--account-column") else { continue }
                account = index
            }
            var skipped = 0
            for (index, row) in table.rows.enumerated() {
                let value = row[label].trimmingCharacters(in: .whitespaces)
                if value.isEmpty {
                    skipped += 1
                    continue
                }
                let fields = texts.map { CategoryTextField(name: table.header[$0], value: row[$0]) }
                out.append(
                    LabelledCategoryItem(
                        item: CategoryItem(
                            kind: .transaction, fields: fields, amountMinor: amounts?[index] ?? nil,
                            currencyDigits: amountDigits, account: account.map { row[$0] }),
                        label: value))
            }
            Terminal.diagnostic(
                "\(path): \(table.encoding), delimiter \(table.delimiter == "\t" ? "tab" : String(table.delimiter)), "
                    + "\(table.rows.count) rows, \(skipped) without a label")
        }
        if failed { throw ExitCode.failure }
        return out
    }
}

/// Feature and optimiser settings of `train categories`.
struct CategoryTrainingFlags: ParsableArguments {
    @Option(help: "Passes over the data.")
    var epochs: Int = CategoryTrainingOptions().epochs
    @Option(help: "Starting learning rate (decays linearly to 0).")
    var learningRate: Float = CategoryTrainingOptions().learningRate
    @Option(help: "Seed: the same data and seed give the same model.")
    var seed: UInt64 = CategoryTrainingOptions().seed
    @Option(help: "Training threads (the result does not depend on it).")
    var threads: Int = CategoryTrainingOptions().threads
    @Option(help: "log2 of the number of hash buckets.")
    var bucketBits: Int = FeatureSettings().bucketBits
    @Option(help: "Longest word n-gram (0: no word features).")
    var wordNgrams: Int = FeatureSettings().wordNgrams
    @Option(help: "Shortest character n-gram (0: no character features).")
    var charMin: Int = FeatureSettings().charMin
    @Option(help: "Longest character n-gram.")
    var charMax: Int = FeatureSettings().charMax
    @Flag(help: "Do not normalise merchant text (case, store numbers, acquirer prefixes, trailing locations).")
    var noNormalize = false
    @Flag(help: "Do not pair the account with each text (account-only feature remains).")
    var noAccountCross = false
    @Option(help: "Lift rare labels: rows weigh (label count / mean)^-x; 0 treats rows alike.")
    var classBalance: Float = CategoryTrainingOptions().classBalance
    @Option(help: "Share of rows held back to calibrate probabilities and the UNKNOWN threshold.")
    var calibrationFraction: Double = CategoryTrainingOptions().calibrationFraction
    @Option(help: "Precision the UNKNOWN threshold is chosen for on the held-back rows.")
    var targetPrecision: Double = CategoryTrainingOptions().targetPrecision
    @Flag(help: "Calibrate on a seeded random slice instead of the last rows in input order (the latest months when files or store rows come in date order).")
    var randomCalibrationSlice = false
    @Option(help: "Mini-batch size.")
    var batchSize: Int = CategoryTrainingOptions().batchSize

    func validate() throws {
        guard (10...30).contains(bucketBits) else { throw ValidationError("--bucket-bits expects 10...30") }
        guard epochs > 0, threads > 0, batchSize > 0 else {
            throw ValidationError("--epochs, --threads and --batch-size must be positive")
        }
        guard (0..<1).contains(calibrationFraction) else { throw ValidationError("--calibration-fraction expects 0 ≤ x < 1") }
    }

    func trainer(amount: Bool, account: Bool) -> CategoryTrainer {
        CategoryTrainer(
            features: FeatureSettings(
                bucketBits: bucketBits, wordNgrams: wordNgrams, charMin: charMin, charMax: charMax, normalize: !noNormalize,
                amount: amount, account: account, accountCross: !noAccountCross),
            options: CategoryTrainingOptions(
                epochs: epochs, learningRate: learningRate, batchSize: batchSize, seed: seed, threads: threads,
                calibrationFraction: calibrationFraction, targetPrecision: targetPrecision, refit: true,
                classBalance: classBalance, calibrateOnLatest: !randomCalibrationSlice))
    }
}

extension DelimitedTable {
    /// Reads a labelled data file given to a command (`train`, `eval`): a read error and the file's first findings
    /// go to stderr, and an unreadable file gives nil so the command can go on to the next one and fail at the end.
    static func readReporting(path: String) -> DelimitedTable? {
        do {
            let table = try DelimitedTable.read(path: path)
            for diagnostic in table.diagnostics.prefix(5) { Terminal.diagnostic(diagnostic.description) }
            return table
        } catch {
            Terminal.error("\(error)")
            return nil
        }
    }
}
