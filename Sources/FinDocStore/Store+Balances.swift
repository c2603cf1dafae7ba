import FinDocCore
import GRDB

extension Store {
    /// The columns of `findoc query balances`, in order (stable; see `Schemas/export/balances.md`).
    public static let balanceColumns = [
        "balance_id", "statement_id", "document_id", "source_path", "account", "statement_identifier", "position",
        "kind", "code", "balance_date", "amount", "amount_minor", "currency", "currency_digits", "source_line",
        "source_xpath",
    ]

    /// Writes the balances of one statement, in source order. Called inside the import's transaction right after the
    /// statement row is written (`TransactionWriter.finish`), so the balances share its all-or-nothing fate.
    static func writeBalances(_ db: Database, _ balances: [StatementBalance], statementID: Int64) throws {
        guard !balances.isEmpty else { return }
        let insert = try PreparedStatement(
            db,
            sql: """
                INSERT INTO statement_balances(statement_id, position, kind, code, amount_minor, currency,
                                               currency_digits, balance_date, source_line, source_xpath)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for (position, balance) in balances.enumerated() {
            insert.bind(1, statementID)
            insert.bind(2, Int64(position))
            insert.bind(3, balance.kind.rawValue)
            insert.bind(4, balance.code)
            insert.bind(5, balance.amount.minorUnits)
            insert.bind(6, balance.amount.currency.code)
            insert.bind(7, balance.amount.currency.minorUnitDigits)
            insert.bind(8, balance.date?.iso)
            insert.bind(9, balance.location?.line)
            insert.bind(10, balance.location?.xpath)
            try insert.run()
        }
    }

    /// Streams the stored statement balances into `sink` (columns `balanceColumns`), ordered by account, balance date
    /// and source order. `account` keeps the account with that identifier or ending in it (the last digits of an IBAN
    /// or card, as `query transactions --account` takes it); `kind` keeps one kind (`available`, …).
    @discardableResult
    public func balances(account: String? = nil, kind: StatementBalance.Kind? = nil, into sink: RowSink) throws -> Int {
        var sql = """
            SELECT b.id, s.id, d.id, d.path, a.identifier, s.identifier, b.position, b.kind, b.code, b.balance_date,
                   b.amount_minor, b.amount_minor, b.currency, b.currency_digits, b.source_line, b.source_xpath
            FROM statement_balances b
            JOIN statements s ON s.id = b.statement_id
            JOIN documents d ON d.id = s.document_id
            JOIN accounts a ON a.id = s.account_id
            WHERE 1 = 1
            """
        var arguments: StatementArguments = []
        if let account {
            sql += " AND (a.identifier = ? OR a.identifier LIKE ? ESCAPE '\\')"
            arguments += [account, "%" + Self.likeEscaped(account)]
        }
        if let kind {
            sql += " AND b.kind = ?"
            arguments += [kind.rawValue]
        }
        sql += " ORDER BY a.identifier, b.balance_date IS NULL, b.balance_date, s.id, b.position"
        return try queue.read { db in
            try sink.begin(columns: Self.balanceColumns)
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            var count = 0
            while let row = try cursor.next() {
                var cells: [Cell] = []
                cells.reserveCapacity(Self.balanceColumns.count)
                for (index, value) in row.databaseValues.enumerated() {
                    if index == 10, case .int64(let minor) = value.storage {
                        // `amount`: the exact decimal text in major units (never a float), from the minor units and
                        // the currency's digits stored beside them.
                        let digits = Int(row[13] as Int64? ?? 2)
                        cells.append(.text(Money.format(minorUnits: minor, digits: digits)))
                        continue
                    }
                    switch value.storage {
                    case .null, .blob: cells.append(.null)
                    case .int64(let v): cells.append(.integer(v))
                    case .double(let v): cells.append(.real(v))
                    case .string(let v): cells.append(.text(v))
                    }
                }
                try sink.row(cells)
                count += 1
            }
            try sink.end()
            return count
        }
    }
}
