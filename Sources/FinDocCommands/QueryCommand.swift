import ArgumentParser
import FinDocStore

/// `findoc query ...`: look at what is stored.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Show stored data as a table, CSV or JSON Lines.",
        subcommands: [
            QueryTransactions.self, QueryInvoices.self, QueryInvoiceLines.self, QueryCalls.self, QueryUtterances.self,
            QuerySentences.self, QueryEntities.self, QueryBalances.self,
        ])
}

/// `findoc query transactions`.
struct QueryTransactions: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transactions",
        abstract: "List stored transactions, oldest first.",
        discussion: """
            Amounts are signed from the account holder's view: negative is money out (a purchase). The table shows \
            the main columns and at most 100 rows unless --limit says otherwise; csv and jsonl show every column \
            (the same stable columns as `findoc export transactions`, see Schemas/export/transactions.md).

            Examples:
              findoc query transactions --from 2017-01-01 --to 2017-01-31
              findoc query transactions --account 5770 --text shell --format csv
              findoc query transactions --max -1000 --format jsonl   spends of 1,000+
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var filters: TransactionFilterOptions
    @Option(help: "At most this many rows.")
    var limit: Int?
    @Option(help: "Output format: table, csv, jsonl.")
    var format: OutputFormat = .table

    func run() throws {
        let store = try store.open(mustExist: true)
        let output = TextOutput.standardOutput()
        let tableDefault = 100
        var limit = self.limit
        if format == .table, limit == nil { limit = tableDefault + 1 }
        let sink = format.sink(output)
        let columns = format == .table ? Store.transactionTableColumns : Store.transactionColumns
        let limited = LimitedSink(sink, limit: format == .table && self.limit == nil ? tableDefault : nil)
        try store.transactions(matching: filters.filter(limit: limit), columns: columns, into: limited)
        try output.finish()
        if limited.truncated {
            Terminal.diagnostic("showing the first \(tableDefault) rows; use --limit N, or --format csv for all")
        }
    }
}

/// Passes at most `limit` rows on and remembers whether more came.
final class LimitedSink: RowSink {
    private let inner: RowSink
    private let limit: Int?
    private var count = 0
    private(set) var truncated = false

    init(_ inner: RowSink, limit: Int?) {
        self.inner = inner
        self.limit = limit
    }

    func begin(columns: [String]) throws { try inner.begin(columns: columns) }

    func row(_ cells: [Cell]) throws {
        if let limit, count >= limit {
            truncated = true
            return
        }
        count += 1
        try inner.row(cells)
    }

    func end() throws { try inner.end() }
}
