import ArgumentParser
import FinDocCore
import FinDocStore

/// `findoc query balances`: every balance the stored statements report.
struct QueryBalances: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "balances",
        abstract: "List the balances stored statements report: opening, closing, available, forward, interim.",
        discussion: """
            One row per balance, by account, then balance date. `kind` is the meaning across formats (opening, \
            closing, opening_available, available, forward_available, interim_booked, interim_available, other); \
            `code` is the type as the file writes it (MT940 60F/62F/64/65, OFX LEDGERBAL/AVAILBAL, camt \
            OPBD/CLBD/CLAV/FWAV/ITBD/…, QIF $). `amount` is the exact decimal (negative: a debit balance); \
            `amount_minor` the same in minor units. Columns are stable (see Schemas/export/balances.md).

            Examples:
              findoc query balances
              findoc query balances --account DE89370400440532013000 --kind available
              findoc query balances --format csv > balances.csv
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "Account identifier, exactly or its ending (e.g. the last four digits).")
    var account: String?
    @Option(help: "Only this kind: opening, closing, available, forward_available, interim_booked, … or other.")
    var kind: String?
    @Option(help: "Output format: table, csv, jsonl.")
    var format: OutputFormat = .table

    func validate() throws {
        if let kind, StatementBalance.Kind(rawValue: kind) == nil {
            let kinds = StatementBalance.Kind.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("--kind \(kind) is not a balance kind; expected one of \(kinds)")
        }
    }

    func run() throws {
        let store = try store.open(mustExist: true)
        let output = TextOutput.standardOutput()
        let sink = format.sink(output)
        try store.balances(account: account, kind: kind.flatMap(StatementBalance.Kind.init(rawValue:)), into: sink)
        try output.finish()
    }
}
