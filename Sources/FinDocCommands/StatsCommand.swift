import ArgumentParser
import FinDocStore

/// `findoc stats`: what the store holds.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Summarise what the store holds.",
        discussion: """
            Examples:
              findoc stats
              findoc stats --db ~/finance.sqlite
            """)

    @OptionGroup var store: StoreOptions

    func run() throws {
        let opened = try store.open(mustExist: true)
        let stats = try opened.statistics()
        func list(_ counts: [String: Int]) -> String {
            counts.isEmpty ? "none" : counts.sorted { $0.key < $1.key }.map { "\($0.key) \(Terminal.grouped($0.value))" }
                .joined(separator: ", ")
        }
        var lines = ["store: \(store.path) (schema version \(stats.schemaVersion))"]
        lines.append("documents: \(list(stats.documentsByStatus))")
        lines.append("accounts: \(Terminal.grouped(stats.accounts))")
        lines.append(
            "transactions: \(Terminal.grouped(stats.transactions))"
                + (stats.possibleDuplicates > 0 ? " (\(stats.possibleDuplicates) flagged as possible duplicates)" : "")
                + (stats.replacedPending > 0 ? "; \(stats.replacedPending) pending replaced by their booked twins" : ""))
        if let first = stats.firstBookingDate, let last = stats.lastBookingDate {
            lines.append("booking dates: \(first) to \(last)")
        }
        if !stats.totalsByCurrency.isEmpty {
            lines.append(
                "net amount: "
                    + stats.totalsByCurrency.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(
                        separator: ", "))
        }
        lines.append("diagnostics: \(list(stats.diagnosticsBySeverity))")
        Terminal.output(lines.joined(separator: "\n") + "\n")
    }
}
