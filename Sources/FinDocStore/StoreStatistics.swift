import FinDocCore
import GRDB

/// A summary of what a store holds, for `findoc stats`.
public struct StoreStatistics: Sendable, Hashable {
    /// Schema version.
    public var schemaVersion: Int
    /// Documents by status (`ingested`, `partial`, `failed`).
    public var documentsByStatus: [String: Int]
    /// Transactions stored.
    public var transactions: Int
    /// Pending transactions replaced by their booked twins (not counted in `transactions` or the totals).
    public var replacedPending: Int
    /// Transactions flagged as possible duplicates.
    public var possibleDuplicates: Int
    /// Accounts.
    public var accounts: Int
    /// Earliest and latest booking dates.
    public var firstBookingDate: String?
    /// Latest booking date.
    public var lastBookingDate: String?
    /// Diagnostics by severity.
    public var diagnosticsBySeverity: [String: Int]
    /// Sum of amounts per currency as exact decimal text, e.g. `["GBP": "-1234.56"]`.
    public var totalsByCurrency: [String: String]
}

extension Store {
    /// Counts what the store holds.
    public func statistics() throws -> StoreStatistics {
        try queue.read { db in
            func grouped(_ sql: String) throws -> [String: Int] {
                var result: [String: Int] = [:]
                for row in try Row.fetchAll(db, sql: sql) { result[row[0]] = row[1] }
                return result
            }
            var totals: [String: String] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT currency, currency_digits, SUM(amount_minor) FROM transactions WHERE replaced_by IS NULL GROUP BY 1, 2")
            {
                totals[row[0]] = Money.format(minorUnits: row[2], digits: row[1])
            }
            let range = try Row.fetchOne(db, sql: "SELECT MIN(booking_date), MAX(booking_date) FROM transactions")
            return StoreStatistics(
                schemaVersion: try Migrator.currentVersion(db),
                documentsByStatus: try grouped("SELECT status, COUNT(*) FROM documents GROUP BY status"),
                transactions: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM transactions WHERE replaced_by IS NULL") ?? 0,
                replacedPending: try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM transactions WHERE replaced_by IS NOT NULL") ?? 0,
                possibleDuplicates: try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM transactions WHERE duplicate_of IS NOT NULL") ?? 0,
                accounts: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM accounts") ?? 0,
                firstBookingDate: range?[0], lastBookingDate: range?[1],
                diagnosticsBySeverity: try grouped("SELECT severity, COUNT(*) FROM diagnostics GROUP BY severity"),
                totalsByCurrency: totals)
        }
    }
}
