import FinDocCore
import GRDB

extension Store {
    /// The label of a transaction's category in reports and exports: a person's label, else one that came with an
    /// import into `labels`, else the newest prediction, else UNKNOWN. SQL over `t` (transactions).
    static let categoryLabelSQL = """
        COALESCE(
            (SELECT l.label FROM labels l WHERE l.task = 'categories' AND l.item_kind = 'transaction' AND l.item_id = t.id
             ORDER BY CASE l.source WHEN 'person' THEN 0 ELSE 1 END LIMIT 1),
            (SELECT p.label FROM predictions p WHERE p.task = 'categories' AND p.item_kind = 'transaction'
             AND p.item_id = t.id ORDER BY p.created_at DESC, p.id DESC LIMIT 1))
        """

    /// Where the category came from: `person`, `import`, `rule`, `model`, or NULL when there is none.
    static let categorySourceSQL = """
        COALESCE(
            (SELECT l.source FROM labels l WHERE l.task = 'categories' AND l.item_kind = 'transaction' AND l.item_id = t.id
             ORDER BY CASE l.source WHEN 'person' THEN 0 ELSE 1 END LIMIT 1),
            (SELECT CASE WHEN p.reason LIKE 'rule:%' THEN 'rule' ELSE 'model' END FROM predictions p
             WHERE p.task = 'categories' AND p.item_kind = 'transaction' AND p.item_id = t.id
             ORDER BY p.created_at DESC, p.id DESC LIMIT 1))
        """

    /// Spend per category (and month): transactions, signed total and money out, per currency. Categories are a
    /// person's label, else the newest prediction, else UNKNOWN. Replaced pending rows are left out.
    ///
    /// Columns: `month` (YYYY-MM, only when `byMonth`), `category`, `currency`, `transactions`, `amount` (signed
    /// sum), `spent` (sum of the money out, positive).
    @discardableResult
    public func spendByCategory(byMonth: Bool, from: LocalDate? = nil, to: LocalDate? = nil, into sink: RowSink) throws -> Int {
        var clauses = ["t.replaced_by IS NULL"]
        var arguments: StatementArguments = []
        if let from {
            clauses.append("t.booking_date >= ?")
            arguments += [from.iso]
        }
        if let to {
            clauses.append("t.booking_date <= ?")
            arguments += [to.iso]
        }
        let month = byMonth ? "substr(t.booking_date, 1, 7) AS month, " : ""
        let sql = """
            SELECT \(month)COALESCE(\(Self.categoryLabelSQL), 'UNKNOWN') AS category, t.currency, t.currency_digits,
                   COUNT(*), SUM(t.amount_minor), SUM(CASE WHEN t.amount_minor < 0 THEN -t.amount_minor ELSE 0 END)
            FROM transactions t WHERE \(clauses.joined(separator: " AND "))
            GROUP BY \(byMonth ? "month, " : "")category, t.currency, t.currency_digits
            ORDER BY \(byMonth ? "month, 7" : "6") DESC, category
            """
        return try queue.read { db in
            try sink.begin(columns: (byMonth ? ["month"] : []) + ["category", "currency", "transactions", "amount", "spent"])
            var count = 0
            let offset = byMonth ? 1 : 0
            for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
                let digits: Int = row[offset + 2]
                var cells: [Cell] = []
                if byMonth { cells.append(.text(row[0])) }
                cells += [
                    .text(row[offset]), .text(row[offset + 1]), .integer(row[offset + 3]),
                    .decimal(Money.format(minorUnits: row[offset + 4], digits: digits)),
                    .decimal(Money.format(minorUnits: row[offset + 5], digits: digits)),
                ]
                try sink.row(cells)
                count += 1
            }
            try sink.end()
            return count
        }
    }
}
