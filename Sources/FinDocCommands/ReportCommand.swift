import ArgumentParser
import FinDocCore
import FinDocStore

/// `findoc report ...`: summaries of labelled data.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Summaries of labelled data (spend by category and month; a call's sentiment).",
        subcommands: [SpendReport.self, CallSentimentReport.self])
}

/// `findoc report spend`.
struct SpendReport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spend",
        abstract: "Spend per category (and month), per currency.",
        discussion: """
            A transaction's category is a person's label (findoc correct), else the newest prediction (findoc label), \
            else UNKNOWN. Columns: month (with --month), category, currency, transactions, amount (signed sum), spent \
            (money out, positive). Biggest spend first within a month.

            --items chooses what is counted: transactions (the default, unchanged), invoice-lines or all. An invoice \
            line counts on its invoice's issue date with its net amount as money out (money back for a credit note); \
            the transactions column then counts items of every chosen kind.

            Examples:
              findoc report spend --by category --month
              findoc report spend --by category --items all --month
              findoc report spend --by category --from 2017-01-01 --to 2017-03-31 --format csv
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "Group by: category.")
    var by: String = "category"
    @Flag(help: "Also group by booking month.")
    var month = false
    @Option(help: "Booking date on or after this day (YYYY-MM-DD).")
    var from: String?
    @Option(help: "Booking date on or before this day (YYYY-MM-DD).")
    var to: String?
    @Option(
        help: "Items counted: transactions (the default, as before), invoice-lines (on the invoice's issue date) or all.")
    var items: String = SpendItems.transactions.rawValue
    @Option(help: "Output format: table, csv, jsonl.")
    var format: OutputFormat = .table

    func validate() throws {
        guard SpendItems(rawValue: items) != nil else {
            throw ValidationError("--items expects transactions, invoice-lines or all, got \"\(items)\"")
        }
        guard by == "category" else { throw ValidationError("--by: only category is available") }
        for (name, value) in [("--from", from), ("--to", to)] {
            if let value, LocalDate(iso: value) == nil {
                throw ValidationError("\(name) expects a date as YYYY-MM-DD, got \"\(value)\"")
            }
        }
    }

    func run() throws {
        let store = try store.open(mustExist: true)
        let output = TextOutput.standardOutput()
        let sink = format.sink(output)
        try store.spendByCategory(
            byMonth: month, from: from.flatMap { LocalDate(iso: $0) }, to: to.flatMap { LocalDate(iso: $0) },
            items: SpendItems(rawValue: items) ?? .transactions, into: sink)
        try output.finish()
    }
}
