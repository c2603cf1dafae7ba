import ArgumentParser
import FinDocStore

/// `findoc sql "SELECT ..."`: read-only SQL over the store.
struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Run one read-only SQL query on the store.",
        discussion: """
            Statements that would change the store (INSERT, UPDATE, DELETE, CREATE, ...) are refused. Tables: \
            documents, diagnostics, accounts, statements, transactions (schema in Migrations/).

            Examples:
              findoc sql "SELECT source_category, COUNT(*) FROM transactions GROUP BY 1"
              findoc sql "SELECT path, status, error FROM documents" --format csv
              findoc sql "SELECT * FROM diagnostics WHERE line > 1" --format jsonl
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: "The query.")
    var query: String
    @Option(help: "Output format: table, csv, jsonl.")
    var format: OutputFormat = .table

    func run() throws {
        let store = try store.open(mustExist: true)
        let output = TextOutput.standardOutput()
        let sink: RowSink =
            switch format {
            case .table: TableWriter(output: output, maxCellWidth: 60)
            case .csv: CSVWriter(output: output)
            case .jsonl: JSONLinesWriter(output: output)
            }
        do {
            try store.readOnlyQuery(query, into: sink)
            try output.finish()
        } catch let error as StoreError {
            Terminal.error("\(error)")
            throw ExitCode(64)
        } catch {
            Terminal.error("\(error)")
            throw ExitCode(64)
        }
    }
}
