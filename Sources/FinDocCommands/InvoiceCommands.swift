import ArgumentParser
import FinDocCore
import FinDocStore

/// The filters of `query invoices`, `query invoice-lines` and `export invoice-lines`.
struct InvoiceFilterOptions: ParsableArguments {
    @Option(help: "Seller: text in the seller's name (case-insensitive), or its VAT id exactly.")
    var seller: String?
    @Option(help: "Issue date on or after this day (YYYY-MM-DD).")
    var from: String?
    @Option(help: "Issue date on or before this day (YYYY-MM-DD).")
    var to: String?
    @Option(help: "Text in a line's name, description or note (case-insensitive); invoices: those with such a line.")
    var text: String?
    @Option(help: "Only the invoice with this number (BT-1).")
    var invoice: String?

    func validate() throws {
        for (name, value) in [("--from", from), ("--to", to)] {
            if let value, LocalDate(iso: value) == nil {
                throw ValidationError("\(name) expects a date as YYYY-MM-DD, got \"\(value)\"")
            }
        }
    }

    func filter(limit: Int?) -> InvoiceFilter {
        InvoiceFilter(
            seller: seller, from: from.flatMap { LocalDate(iso: $0) }, to: to.flatMap { LocalDate(iso: $0) },
            invoiceNumber: invoice, limit: limit, text: text)
    }
}

/// Runs a listing query with the table/csv/jsonl writers, the table capped at 100 rows unless --limit says otherwise.
private func list(
    format: OutputFormat, limit: Int?,
    _ query: (_ sink: RowSink, _ limit: Int?, _ table: Bool) throws -> Void
) throws {
    let output = TextOutput.standardOutput()
    let tableDefault = 100
    let sink = format.sink(output)
    let limited = LimitedSink(sink, limit: format == .table && limit == nil ? tableDefault : nil)
    try query(limited, format == .table && limit == nil ? tableDefault + 1 : limit, format == .table)
    try output.finish()
    if limited.truncated {
        Terminal.diagnostic("showing the first \(tableDefault) rows; use --limit N, or --format csv for all")
    }
}

/// `findoc query invoices`.
struct QueryInvoices: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoices",
        abstract: "List stored e-invoices (UBL, CII), by issue date.",
        discussion: """
            Amounts are as the invoice states them; is_credit_note = 1 marks credit notes, whose positive amounts \
            are owed back to the buyer. errors counts the invoice's error findings (broken EN 16931 rules, missing \
            fields); see them with `findoc sql "SELECT * FROM diagnostics WHERE document_id = N"`.

            Examples:
              findoc query invoices
              findoc query invoices --seller "Muster GmbH" --from 2024-01-01 --to 2024-03-31
              findoc query invoices --invoice RE-2024-0042 --format jsonl
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var filters: InvoiceFilterOptions
    @Option(help: "At most this many rows.")
    var limit: Int?
    @Option(help: "Output format: table, csv, jsonl.")
    var format: OutputFormat = .table

    func run() throws {
        let store = try store.open(mustExist: true)
        try list(format: format, limit: limit) { sink, limit, table in
            try store.invoices(
                matching: filters.filter(limit: limit),
                columns: table ? Store.invoiceTableColumns : Store.invoiceColumns, into: sink)
        }
    }
}

/// `findoc query invoice-lines`.
struct QueryInvoiceLines: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoice-lines",
        abstract: "List the lines of stored e-invoices: the items to classify.",
        discussion: """
            Each row carries what a categoriser needs: the line's name and description, the seller, item ids and \
            classification codes. net_amount is as stated; signed_net_amount is negated for credit notes. csv and \
            jsonl show the same stable columns as `findoc export invoice-lines` (Schemas/export/invoice-lines.md).

            Examples:
              findoc query invoice-lines --seller "Muster GmbH"
              findoc query invoice-lines --invoice RE-2024-0042
              findoc query invoice-lines --text versand
              findoc query invoice-lines --from 2024-01-01 --format csv > lines.csv
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var filters: InvoiceFilterOptions
    @Option(help: "At most this many rows.")
    var limit: Int?
    @Option(help: "Output format: table, csv, jsonl.")
    var format: OutputFormat = .table

    func run() throws {
        let store = try store.open(mustExist: true)
        try list(format: format, limit: limit) { sink, limit, table in
            try store.invoiceLines(
                matching: filters.filter(limit: limit),
                columns: table ? Store.invoiceLineTableColumns : Store.invoiceLineColumns, into: sink)
        }
    }
}

/// `findoc export invoice-lines --out FILE`.
struct ExportInvoiceLines: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoice-lines",
        abstract: "Export invoice lines (RFC 4180 CSV or JSON Lines).",
        discussion: """
            Columns: \(Store.invoiceLineColumns.joined(separator: ", ")).
            They are documented in Schemas/export/invoice-lines.md (JSON Schema: invoice-lines.schema.json); later \
            versions only add columns at the end. The format follows the file extension (.jsonl/.ndjson → JSON \
            Lines) unless --format says otherwise.

            Examples:
              findoc export invoice-lines --out lines.csv
              findoc export invoice-lines --seller "Muster GmbH" --from 2024-01-01 --out muster.jsonl
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var filters: InvoiceFilterOptions
    @Option(help: "The file to write (replaced if it exists).")
    var out: String
    @Option(help: "csv or jsonl (default: from the extension of --out, else csv).")
    var format: OutputFormat?
    @Option(help: "At most this many lines.")
    var limit: Int?

    func validate() throws {
        if format == .table { throw ValidationError("--format for export is csv or jsonl") }
    }

    func run() throws {
        let store = try store.open(mustExist: true)
        let lower = out.lowercased()
        let chosen = format ?? (lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") ? .jsonl : .csv)
        let output: TextOutput
        do {
            output = try TextOutput.file(atPath: out)
        } catch {
            Terminal.error("cannot write \(out): \(error.localizedDescription)")
            throw ExitCode.failure
        }
        let sink: RowSink = chosen == .jsonl ? JSONLinesWriter(output: output) : CSVWriter(output: output)
        let count = try store.invoiceLines(matching: filters.filter(limit: limit), into: sink)
        try output.finish()
        Terminal.output("exported \(Terminal.grouped(count)) invoice lines to \(out)\n")
    }
}
