import ArgumentParser
import FinDocCore
import FinDocIngest
import FinDocPipeline
import FinDocStore
import Foundation

/// `--db`, shared by every command that touches the store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The SQLite store (default: $FINDOC_DB, else ./findoc.sqlite).")
    var db: String?

    var path: String { db ?? Store.defaultPath() }

    /// Opens the store, turning failures into a one-line message and exit code 1.
    func open(mustExist: Bool) throws -> Store {
        do {
            return try Store.open(path: path, mustExist: mustExist)
        } catch {
            Terminal.error("\(error)")
            throw ExitCode.failure
        }
    }
}

/// Output format of query-like commands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, jsonl

    /// The writer for this format over `output`.
    func sink(_ output: TextOutput) -> RowSink {
        switch self {
        case .table: TableWriter(output: output)
        case .csv: CSVWriter(output: output)
        case .jsonl: JSONLinesWriter(output: output)
        }
    }
}

/// The filters of `query transactions` and `export transactions`.
struct TransactionFilterOptions: ParsableArguments {
    @Option(help: "Booking date on or after this day (YYYY-MM-DD).")
    var from: String?
    @Option(help: "Booking date on or before this day (YYYY-MM-DD).")
    var to: String?
    @Option(help: "Account identifier, exactly or its ending (e.g. the last four card digits).")
    var account: String?
    @Option(help: "Case-insensitive text in the description, payee or reference.")
    var text: String?
    @Option(help: "Amount at least this (signed; purchases are negative).")
    var min: String?
    @Option(help: "Amount at most this (signed).")
    var max: String?
    @Option(help: "Only transactions from this document id.")
    var document: Int64?
    @Flag(help: "Also pending transactions that a later booked transaction replaced.")
    var includeReplaced = false

    func validate() throws {
        for (name, value) in [("--from", from), ("--to", to)] {
            if let value, LocalDate(iso: value) == nil {
                throw ValidationError("\(name) expects a date as YYYY-MM-DD, got \"\(value)\"")
            }
        }
        for (name, value) in [("--min", min), ("--max", max)] {
            if let value, TransactionFilter.parseAmountBound(value) == nil {
                throw ValidationError("\(name) expects a number such as -12.50, got \"\(value)\"")
            }
        }
    }

    func filter(limit: Int?) -> TransactionFilter {
        TransactionFilter(
            from: from.flatMap { LocalDate(iso: $0) }, to: to.flatMap { LocalDate(iso: $0) }, account: account,
            text: text, minAmount: min, maxAmount: max, documentID: document, includeReplaced: includeReplaced,
            limit: limit)
    }
}

/// Options that control how files are read, shared by `ingest` and `run`.
struct ReadOptions: ParsableArguments {
    @Option(
        help: "Read every file as this format instead of sniffing its content: auto, csv, ofx, qif, mt940, camt, ubl, cii, transcript.")
    var format: String = "auto"
    @Option(help: "CSV column mapping: a shipped profile name (see Schemas/profiles) or a profile JSON file.")
    var profile: String?
    @Option(help: "Account identifier for files that name none (CSV without an account column, QIF), or to override.")
    var account: String?
    @Option(help: "ISO 4217 currency for files without one (CSV without a currency column, QIF), e.g. GBP.")
    var currency: String?
    @Option(help: "Force the date order when a CSV or QIF file's dates are ambiguous: dmy, mdy, ymd.")
    var dateOrder: DateOrder?
    @Flag(help: "Read and report, but store nothing.")
    var dryRun = false
    @Flag(help: "Reject a whole file if any row is rejected or anything is warned about (e.g. unbalanced).")
    var strict = false
    @Flag(name: .shortAndLong, help: "List every file and every note, not only problems.")
    var verbose = false
    @Flag(
        help: ArgumentHelp(
            "Also validate e-invoices (UBL, CII) against the XSDs in Schemas/xsd (or $FINDOC_SCHEMAS), and camt files "
                + "against ISO 20022 XSDs you provide in $FINDOC_CAMT_SCHEMAS or Schemas/xsd/camt (not shipped)."))
    var validate = false

    func ingestOptions() throws -> IngestOptions {
        var format: DocumentFormat?
        if self.format != "auto" {
            guard let chosen = DocumentFormat(rawValue: self.format) else {
                throw ValidationError(
                    "--format expects auto or one of \(DocumentFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            format = chosen
        }
        var currencyCode: CurrencyCode?
        if let currency {
            guard let code = CurrencyCode(currency) else {
                throw ValidationError("--currency expects a three-letter ISO 4217 code such as GBP, got \"\(currency)\"")
            }
            currencyCode = code
        }
        var chosenProfile: CSVProfile?
        if let profile {
            if let shipped = CSVProfile.shipped.first(where: { $0.name == profile }) {
                chosenProfile = shipped
            } else if FileManager.default.fileExists(atPath: profile) {
                do {
                    chosenProfile = try CSVProfile.load(from: profile)
                } catch {
                    throw ValidationError("--profile \(profile): \(error)")
                }
            } else {
                throw ValidationError(
                    "--profile expects a profile file or one of: "
                        + CSVProfile.shipped.map(\.name).joined(separator: ", "))
            }
        }
        var options = IngestOptions(
            format: format,
            csv: CSVOptions(profile: chosenProfile, account: account, defaultCurrency: currencyCode, dateOrder: dateOrder),
            dryRun: dryRun, strict: strict)
        if validate {
            guard let directory = InvoiceSchemas.locate() else {
                throw ValidationError(
                    "--validate needs the invoice XSDs: run from the findoc folder (Schemas/xsd) or set FINDOC_SCHEMAS")
            }
            do {
                options.invoiceSchemas = try InvoiceSchemas(directory: directory)
                options.camtSchemas = try CAMTSchemas.locate().map { try CAMTSchemas(directory: $0) }
            } catch {
                throw ValidationError("--validate: \(error)")
            }
            if options.camtSchemas == nil {
                Terminal.diagnostic(
                    "--validate: no ISO 20022 camt XSDs found (set FINDOC_CAMT_SCHEMAS to a folder of camt.05x.001.NN.xsd); "
                        + "camt files are read but not validated")
            }
        }
        return options
    }
}

extension DateOrder: ExpressibleByArgument {}
