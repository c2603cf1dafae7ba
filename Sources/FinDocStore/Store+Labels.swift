import FinDocCore
import GRDB

/// Who set a label.
public enum LabelSource: String, Sendable, Hashable {
    /// A person confirmed or corrected it (`findoc correct`): it wins and is never overwritten by labelling.
    case person
    /// It came with the data.
    case `import`
}

/// A label kept in the `labels` table.
public struct StoredLabel: Hashable, Sendable {
    /// The task.
    public var task: String
    /// The item kind.
    public var itemKind: String
    /// The item id.
    public var itemID: Int64
    /// The label.
    public var label: String
    /// Who set it.
    public var source: LabelSource
    /// A free note.
    public var note: String?
}

/// A transaction as labelling and training need it: its text, amount and account, plus its label for training.
public struct LabellingTransaction: Hashable, Sendable {
    /// The transaction id.
    public var id: Int64
    /// The description (merchant).
    public var description: String
    /// The payee, when the source has one.
    public var payee: String?
    /// The reference, when the source has one.
    public var reference: String?
    /// Signed amount in minor units.
    public var amountMinor: Int64
    /// Digits of the currency.
    public var currencyDigits: Int
    /// ISO 4217 code.
    public var currency: String
    /// The account identifier.
    public var account: String
    /// For training: a person's label, else the category that came with the source.
    public var label: String?
}

extension Store {
    /// Records a person's label for items (one transaction). A person's newer label replaces their older one; labels
    /// from an import are replaced by a person's. Predictions never touch this table.
    ///
    /// - Returns: the number of items labelled.
    @discardableResult
    public func setPersonLabel(task: String, itemKind: String, itemIDs: [Int64], label: String, note: String? = nil)
        throws -> Int
    {
        let now = Timestamp.nowISO()
        return try queue.write { db in
            let statement = try db.makeStatement(
                sql: """
                    INSERT INTO labels (task, item_kind, item_id, label, source, note, created_at)
                    VALUES (?, ?, ?, ?, 'person', ?, ?)
                    ON CONFLICT (task, item_kind, item_id) DO UPDATE SET
                        label = excluded.label, source = 'person', note = excluded.note, created_at = excluded.created_at
                    """)
            for id in itemIDs { try statement.execute(arguments: [task, itemKind, id, label, note, now]) }
            return itemIDs.count
        }
    }

    /// Labels of `task` (optionally of one source), in item order.
    public func labels(task: String, itemKind: String, source: LabelSource? = nil) throws -> [StoredLabel] {
        try queue.read { db in
            var sql = "SELECT task, item_kind, item_id, label, source, note FROM labels WHERE task = ? AND item_kind = ?"
            var arguments: StatementArguments = [task, itemKind]
            if let source {
                sql += " AND source = ?"
                arguments += [source.rawValue]
            }
            return try Row.fetchAll(db, sql: sql + " ORDER BY item_id", arguments: arguments).map {
                StoredLabel(
                    task: $0[0], itemKind: $0[1], itemID: $0[2], label: $0[3],
                    source: LabelSource(rawValue: $0[4]) ?? .import, note: $0[5])
            }
        }
    }

    /// Ids of the transactions `filter` selects (its limit ignored), for bulk corrections.
    public func transactionIDs(matching filter: TransactionFilter) throws -> [Int64] {
        var unlimited = filter
        unlimited.limit = nil
        let sink = IDCollector()
        try transactions(matching: unlimited, columns: ["id"], into: sink)
        return sink.ids
    }

    /// Transactions by id (missing ids are left out), in id order.
    public func labellingTransactions(ids: [Int64]) throws -> [LabellingTransaction] {
        try queue.read { db in
            var out: [LabellingTransaction] = []
            out.reserveCapacity(ids.count)
            for chunk in stride(from: 0, to: ids.count, by: 500) {
                let part = Array(ids[chunk..<min(chunk + 500, ids.count)])
                let marks = Array(repeating: "?", count: part.count).joined(separator: ",")
                let rows = try Row.fetchAll(
                    db, sql: Self.labellingSelect + " WHERE t.id IN (\(marks)) ORDER BY t.id",
                    arguments: StatementArguments(part))
                out += rows.map(Self.labellingTransaction)
            }
            return out
        }
    }

    /// Training rows for the categories task: every current transaction with a person's label or, failing that, a
    /// category that came with its source. A person's label wins.
    public func categoryTrainingRows() throws -> [LabellingTransaction] {
        try queue.read { db in
            try Row.fetchAll(
                db,
                sql: Self.labellingSelect + """
                     WHERE t.replaced_by IS NULL
                       AND (l.label IS NOT NULL OR (t.source_category IS NOT NULL AND TRIM(t.source_category) <> ''))
                     ORDER BY t.booking_date, t.id
                    """
            ).map(Self.labellingTransaction)
        }
    }

    private static let labellingSelect = """
        SELECT t.id, t.description, t.payee, t.reference, t.amount_minor, t.currency_digits, t.currency, a.identifier,
               COALESCE(l.label, NULLIF(TRIM(t.source_category), ''))
        FROM transactions t JOIN accounts a ON a.id = t.account_id
        LEFT JOIN labels l ON l.task = 'categories' AND l.item_kind = 'transaction' AND l.item_id = t.id
                          AND l.source = 'person'
        """

    private static func labellingTransaction(_ row: Row) -> LabellingTransaction {
        LabellingTransaction(
            id: row[0], description: row[1], payee: row[2], reference: row[3], amountMinor: row[4],
            currencyDigits: row[5], currency: row[6], account: row[7], label: row[8])
    }
}

/// Collects the `id` column of a row stream.
final class IDCollector: RowSink {
    var ids: [Int64] = []
    func begin(columns: [String]) throws {}
    func row(_ cells: [Cell]) throws {
        if case .integer(let id) = cells.first { ids.append(id) }
    }
    func end() throws {}
}
