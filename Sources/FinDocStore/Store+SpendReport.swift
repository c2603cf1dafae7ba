import FinDocCore
import GRDB

extension Store {
    /// The label of an item's category in reports and exports: a person's label, else one that came with an
    /// import into `labels`, else the newest prediction, else NULL. SQL over `alias`, the item's table.
    static func categoryLabelSQL(kind: String, alias: String) -> String {
        """
        COALESCE(
            (SELECT lab.label FROM labels lab WHERE lab.task = 'categories' AND lab.item_kind = '\(kind)' AND lab.item_id = \(alias).id
             ORDER BY CASE lab.source WHEN 'person' THEN 0 ELSE 1 END LIMIT 1),
            (SELECT pre.label FROM predictions pre WHERE pre.task = 'categories' AND pre.item_kind = '\(kind)'
             AND pre.item_id = \(alias).id ORDER BY pre.created_at DESC, pre.id DESC LIMIT 1))
        """
    }

    /// Where an item's category came from: `person`, `import`, `rule`, `model`, or NULL when there is none.
    static func categorySourceSQL(kind: String, alias: String) -> String {
        """
        COALESCE(
            (SELECT lab.source FROM labels lab WHERE lab.task = 'categories' AND lab.item_kind = '\(kind)' AND lab.item_id = \(alias).id
             ORDER BY CASE lab.source WHEN 'person' THEN 0 ELSE 1 END LIMIT 1),
            (SELECT CASE WHEN pre.reason LIKE 'rule:%' THEN 'rule' ELSE 'model' END FROM predictions pre
             WHERE pre.task = 'categories' AND pre.item_kind = '\(kind)' AND pre.item_id = \(alias).id
             ORDER BY pre.created_at DESC, pre.id DESC LIMIT 1))
        """
    }

    /// The category label of a transaction `t`.
    static let categoryLabelSQL = categoryLabelSQL(kind: "transaction", alias: "t")

    /// The category source of a transaction `t`.
    static let categorySourceSQL = categorySourceSQL(kind: "transaction", alias: "t")

    /// Spend per category (and month): items, signed total and money out, per currency. Categories are a
    /// person's label, else the newest prediction, else UNKNOWN. Replaced pending rows are left out.
    ///
    /// Invoice lines (`items` `.invoiceLines` or `.all`) count on their invoice's issue date with their net amount
    /// signed from the buyer's side (an invoice line is money out, a credit-note line money back); CII sub-lines of
    /// status GROUP or INFORMATION are left out so nothing is counted twice.
    ///
    /// Columns: `month` (YYYY-MM, only when `byMonth`), `category`, `currency`, `transactions` (the number of items
    /// of the selected kinds), `amount` (signed sum), `spent` (sum of the money out, positive).
    @discardableResult
    public func spendByCategory(
        byMonth: Bool, from: LocalDate? = nil, to: LocalDate? = nil, items: SpendItems = .transactions,
        into sink: RowSink
    ) throws -> Int {
        var parts: [String] = []
        var arguments: StatementArguments = []
        func dated(_ column: String) -> String {
            var clauses: [String] = []
            if let from {
                clauses.append("\(column) >= ?")
                arguments += [from.iso]
            }
            if let to {
                clauses.append("\(column) <= ?")
                arguments += [to.iso]
            }
            return clauses.map { " AND " + $0 }.joined()
        }
        if items != .invoiceLines {
            parts.append(
                """
                SELECT t.booking_date AS day, \(Self.categoryLabelSQL) AS label, t.currency AS currency,
                       t.currency_digits AS digits, t.amount_minor AS amount
                FROM transactions t WHERE t.replaced_by IS NULL\(dated("t.booking_date"))
                """)
        }
        if items != .transactions {
            parts.append(
                """
                SELECT COALESCE(i.issue_date, '') AS day, \(Self.categoryLabelSQL(kind: "invoice_line", alias: "x")) AS label,
                       COALESCE(i.currency, '') AS currency, i.currency_digits AS digits,
                       CASE WHEN i.is_credit_note = 1 THEN x.net_amount_minor ELSE -x.net_amount_minor END AS amount
                FROM invoice_lines x JOIN invoices i ON i.id = x.invoice_id
                WHERE x.net_amount_minor IS NOT NULL AND COALESCE(x.line_status, 'DETAIL') = 'DETAIL'\(dated("i.issue_date"))
                """)
        }
        let month = byMonth ? "substr(u.day, 1, 7) AS month, " : ""
        let sql = """
            SELECT \(month)COALESCE(u.label, 'UNKNOWN') AS category, u.currency, u.digits,
                   COUNT(*), SUM(u.amount), SUM(CASE WHEN u.amount < 0 THEN -u.amount ELSE 0 END)
            FROM (\(parts.joined(separator: "\nUNION ALL\n"))) u
            GROUP BY \(byMonth ? "month, " : "")category, u.currency, u.digits
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

/// Which items `spendByCategory` counts.
public enum SpendItems: String, Sendable, CaseIterable {
    /// Bank and card transactions (the default, as before invoice lines were labelled).
    case transactions
    /// Invoice lines, on their invoice's issue date.
    case invoiceLines = "invoice-lines"
    /// Both.
    case all
}
