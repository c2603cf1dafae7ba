import FinDocCore
import Foundation
import GRDB

extension Store {
    /// The columns of `findoc query transactions --format csv|jsonl` and `findoc export transactions`, in order.
    /// Stable: later versions only append. Documented in `Schemas/export/transactions.md` and its JSON Schema.
    public static let transactionColumns = [
        "id", "document_id", "source_path", "source_line", "account", "booking_date", "value_date", "amount",
        "currency", "original_amount", "original_currency", "description", "payee", "reference", "bank_id", "status",
        "source_category", "duplicate_of", "raw_fields", "replaced_by", "category", "category_source",
    ]

    /// The columns of the table view (`--format table`): the ones a person reads on a terminal.
    public static let transactionTableColumns = [
        "id", "booking_date", "account", "amount", "currency", "description", "source_category",
    ]

    /// Streams the transactions that `filter` selects into `sink`, ordered by booking date, then as they stood in
    /// their files (document, position).
    ///
    /// - Parameter columns: a subset of `transactionColumns` (default: all of them).
    /// - Returns: the number of rows written.
    @discardableResult
    public func transactions(
        matching filter: TransactionFilter, columns: [String] = Store.transactionColumns, into sink: RowSink
    ) throws -> Int {
        var clauses: [String] = []
        var arguments: [SQLArgument] = []
        if let from = filter.from {
            clauses.append("t.booking_date >= ?")
            arguments.append(.text(from.iso))
        }
        if let to = filter.to {
            clauses.append("t.booking_date <= ?")
            arguments.append(.text(to.iso))
        }
        if let account = filter.account {
            clauses.append("(a.identifier = ? OR a.identifier LIKE ? ESCAPE '\\')")
            arguments += [.text(account), .text("%" + Self.likeEscaped(account))]
        }
        if let text = filter.text {
            clauses.append(
                "(t.description LIKE ? ESCAPE '\\' OR t.payee LIKE ? ESCAPE '\\' OR t.reference LIKE ? ESCAPE '\\')")
            let pattern = SQLArgument.text("%" + Self.likeEscaped(text) + "%")
            arguments += [pattern, pattern, pattern]
        }
        let scaled = """
            t.amount_minor * (CASE t.currency_digits WHEN 0 THEN 10000 WHEN 1 THEN 1000 WHEN 2 THEN 100 \
            WHEN 3 THEN 10 ELSE 1 END)
            """
        if let min = filter.minAmount.flatMap(TransactionFilter.parseAmountBound) {
            clauses.append("\(scaled) >= ?")
            arguments.append(.integer(min))
        }
        if let max = filter.maxAmount.flatMap(TransactionFilter.parseAmountBound) {
            clauses.append("\(scaled) <= ?")
            arguments.append(.integer(max))
        }
        if !filter.includeReplaced { clauses.append("t.replaced_by IS NULL") }
        if let documentID = filter.documentID {
            clauses.append("t.document_id = ?")
            arguments.append(.integer(documentID))
        }
        // The category columns cost two indexed look-ups per row: only when asked for.
        let categories = columns.contains("category") || columns.contains("category_source")
        var sql = """
            SELECT t.id, t.document_id, d.path, t.source_line, a.identifier, t.booking_date, t.value_date,
                   t.amount_minor, t.currency, t.currency_digits, t.original_amount_minor, t.original_currency,
                   t.description, t.payee, t.reference, t.bank_id, t.booking_status, t.source_category,
                   t.duplicate_of, t.raw_fields, t.replaced_by, \(categories ? Self.categoryLabelSQL : "NULL"),
                   \(categories ? Self.categorySourceSQL : "NULL")
            FROM transactions t JOIN documents d ON d.id = t.document_id JOIN accounts a ON a.id = t.account_id
            """
        if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
        sql += " ORDER BY t.booking_date, t.document_id, t.position"
        if let limit = filter.limit {
            sql += " LIMIT ?"
            arguments.append(.integer(Int64(max(0, limit))))
        }
        let selected = columns.compactMap { Self.transactionColumns.firstIndex(of: $0) }
        return try queue.read { db in
            try sink.begin(columns: selected.map { Self.transactionColumns[$0] })
            // Stepped through the C API: decoding GRDB rows cost more than writing them out (perf, 200,000 rows).
            let query = try PreparedStatement(db, sql: sql)
            for (index, argument) in arguments.enumerated() {
                switch argument {
                case let .text(value): query.bind(Int32(index + 1), value)
                case let .integer(value): query.bind(Int32(index + 1), value)
                }
            }
            func text(_ column: Int32) -> Cell { query.isNull(column) ? .null : .text(query.text(column)) }
            func integer(_ column: Int32) -> Cell { query.isNull(column) ? .null : .integer(query.int64(column)) }
            var count = 0
            var all = [Cell](repeating: .null, count: Self.transactionColumns.count)
            var selectedCells = [Cell](repeating: .null, count: selected.count)
            while try query.step() {
                let digits = Int(query.int64(9))
                all[0] = .integer(query.int64(0))
                all[1] = .integer(query.int64(1))
                all[2] = .text(query.text(2))
                all[3] = integer(3)
                all[4] = .text(query.text(4))
                all[5] = .text(query.text(5))
                all[6] = text(6)
                all[7] = .decimal(Money.format(minorUnits: query.int64(7), digits: digits))
                all[8] = .text(query.text(8))
                if query.isNull(10) {
                    all[9] = .null
                    all[10] = .null
                } else {
                    let currency = query.text(11)
                    let originalDigits = CurrencyCode(currency)?.minorUnitDigits ?? digits
                    all[9] = .decimal(Money.format(minorUnits: query.int64(10), digits: originalDigits))
                    all[10] = text(11)
                }
                all[11] = .text(query.text(12))
                all[12] = text(13)
                all[13] = text(14)
                all[14] = text(15)
                all[15] = .text(query.text(16))
                all[16] = text(17)
                all[17] = integer(18)
                all[18] = .json(query.text(19))
                all[19] = integer(20)
                all[20] = text(21)
                all[21] = text(22)
                for (position, column) in selected.enumerated() { selectedCells[position] = all[column] }
                try sink.row(selectedCells)
                count += 1
            }
            try sink.end()
            return count
        }
    }

    /// Runs one read-only SQL statement and streams its result into `sink`.
    ///
    /// - Throws: `StoreError.writeRefused` for a statement that would change the store (checked by SQLite itself,
    ///   and the connection is read-only as well), or the database error for invalid SQL.
    @discardableResult
    public func readOnlyQuery(_ sql: String, into sink: RowSink) throws -> Int {
        try queue.read { db in
            let statement = try db.makeStatement(sql: sql)
            guard statement.isReadonly else { throw StoreError.writeRefused(sql: sql) }
            try sink.begin(columns: statement.columnNames)
            let cursor = try Row.fetchCursor(statement)
            var count = 0
            while let row = try cursor.next() {
                var cells: [Cell] = []
                cells.reserveCapacity(row.count)
                for value in row.databaseValues {
                    switch value.storage {
                    case .null: cells.append(.null)
                    case let .int64(v): cells.append(.integer(v))
                    case let .double(v): cells.append(.real(v))
                    case let .string(v): cells.append(.text(v))
                    case let .blob(v): cells.append(.text("x'" + v.map { String(format: "%02x", $0) }.joined() + "'"))
                    }
                }
                try sink.row(cells)
                count += 1
            }
            try sink.end()
            return count
        }
    }


    /// A bound value of a query built here.
    private enum SQLArgument {
        case text(String)
        case integer(Int64)
    }

    static func likeEscaped(_ text: String) -> String {
        var out = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
