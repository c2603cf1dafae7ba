import ArgumentParser
import FinDocStore

/// `findoc export ...`: write stored data to a file.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write stored data to a CSV or JSON Lines file with stable, documented columns.",
        subcommands: [ExportTransactions.self, ExportInvoiceLines.self])
}

/// `findoc export transactions --out FILE`.
struct ExportTransactions: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transactions",
        abstract: "Export transactions (RFC 4180 CSV or JSON Lines).",
        discussion: """
            Columns: \(Store.transactionColumns.joined(separator: ", ")).
            They are documented in Schemas/export/transactions.md (JSON Schema: transactions.schema.json); later \
            versions only add columns at the end. The format follows the file extension (.jsonl/.ndjson → JSON \
            Lines) unless --format says otherwise.

            Examples:
              findoc export transactions --out transactions.csv
              findoc export transactions --account 5770 --out card-5770.csv
              findoc export transactions --out all.jsonl
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var filters: TransactionFilterOptions
    @Option(help: "The file to write (replaced if it exists).")
    var out: String
    @Option(help: "csv or jsonl (default: from the extension of --out, else csv).")
    var format: OutputFormat?

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
        let count = try store.transactions(matching: filters.filter(limit: nil), into: sink)
        try output.finish()
        Terminal.output("exported \(Terminal.grouped(count)) transactions to \(out)\n")
    }
}
