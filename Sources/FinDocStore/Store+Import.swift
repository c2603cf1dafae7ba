import FinDocCore
import GRDB

extension Store {
    /// Share of the stored rows inside a new file's date window that the file must reproduce for it to count as an
    /// overlapping re-export of what is stored (rather than a new file that happens to repeat a row or two).
    ///
    /// Why: a bank download covering 1 Jan–15 Feb followed by one covering 1 Feb–15 Mar repeats *every* February row,
    /// and those repeats must be skipped. A monthly card file that re-reports one transaction from an earlier month
    /// (it happens in the Birmingham council exports: 2 of 37,133 rows) is not an overlap, and dropping that row would
    /// lose data, so it is kept and flagged with `duplicate_of` instead.
    public static let overlapThreshold = 0.5

    /// The stored document with these bytes, if any.
    public func knownDocument(sha256: String) throws -> KnownDocument? {
        try queue.read { db in
            // A cached statement: this runs once per input file, and preparing it anew each time showed in profiles
            // of 10,000-invoice batches.
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT id, path, status, records_stored FROM documents WHERE sha256 = ?"),
                    arguments: [sha256])
            else { return nil }
            return KnownDocument(
                id: row["id"], path: row["path"], status: DocumentStatus(rawValue: row["status"]) ?? .failed,
                recordsStored: row["records_stored"])
        }
    }

    /// Stores one document, its diagnostics and its transactions in a single SQLite transaction, so that a crash
    /// leaves either all of it or none of it.
    ///
    /// De-duplication: a transaction whose bank id is already stored for the account is skipped. Rows keyed by
    /// content are skipped when this file overlaps stored rows (see `overlapThreshold`), otherwise kept and flagged.
    /// A document that failed before is replaced; one that was stored is never stored twice (callers check
    /// `knownDocument(sha256:)` first, and the unique sha256 enforces it).
    public func importDocument(_ item: DocumentImport) throws -> ImportOutcome {
        precondition(item.dedupKeys.count == item.document.transactions.count, "one dedup key per transaction")
        precondition(
            item.rawFieldsJSON.isEmpty || item.rawFieldsJSON.count == item.document.transactions.count,
            "one raw-fields JSON per transaction, or none")
        // Foreign keys are not checked row by row during this import: every id written here was read or created in
        // the same transaction, and the checks cost 30% of a large import (measured on 200,000 rows). The pragma
        // cannot change inside a transaction, hence the outer block; the failed document's dependants are deleted
        // explicitly instead of by cascade.
        return try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
            var result: ImportOutcome?
            try db.inTransaction {
                result = try importInTransaction(db, item)
                return .commit
            }
            guard let result else { throw StoreError.unreadable(path: path, reason: "import did not complete") }
            return result
        }
    }

    private func importInTransaction(_ db: Database, _ item: DocumentImport) throws -> ImportOutcome {
        let failed = "SELECT id FROM documents WHERE sha256 = ? AND status = 'failed'"
        for table in ["diagnostics", "statements", "transactions"] {
            try db.execute(sql: "DELETE FROM \(table) WHERE document_id IN (\(failed))", arguments: [item.sha256])
        }
        try db.execute(sql: "DELETE FROM documents WHERE sha256 = ? AND status = 'failed'", arguments: [item.sha256])
        let status = item.status
        let firstError = item.document.diagnostics.first { $0.severity == .error }
        try db.execute(
            sql: """
                INSERT INTO documents(sha256, path, format, profile, size_bytes, status, error, records_rejected,
                                      ingested_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                item.sha256, item.path, item.format?.rawValue, item.document.profile, item.sizeBytes,
                status.rawValue, firstError.map { "\($0.location): \($0.message)" },
                item.document.rejectedRecords, Timestamp.nowISO(),
            ])
        let documentID = db.lastInsertedRowID
        var outcome = ImportOutcome(
            documentID: documentID, status: status, stored: 0, duplicatesSkipped: 0, possibleDuplicates: 0,
            rejected: item.document.rejectedRecords, pendingMatched: 0, storeDiagnostics: [])
        if status != .failed {
            try writeTransactions(db, item: item, documentID: documentID, outcome: &outcome)
        }
        try writeStatementsWithoutTransactions(db, item, documentID: documentID, status: status)  // Store+Balances
        try writeDiagnostics(db, item.document.diagnostics + outcome.storeDiagnostics, documentID: documentID)
        try db.execute(
            sql: "UPDATE documents SET records_stored = ?, duplicates_skipped = ? WHERE id = ?",
            arguments: [outcome.stored, outcome.duplicatesSkipped, documentID])
        return outcome
    }

    func writeDiagnostics(_ db: Database, _ diagnostics: [Diagnostic], documentID: Int64) throws {
        guard !diagnostics.isEmpty else { return }
        let insert = try PreparedStatement(
            db,
            sql: """
                INSERT INTO diagnostics(document_id, severity, code, message, line, col, xpath, source_line)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for diagnostic in diagnostics {
            insert.bind(1, documentID)
            insert.bind(2, diagnostic.severity.rawValue)
            insert.bind(3, diagnostic.code)
            insert.bind(4, diagnostic.message)
            insert.bind(5, diagnostic.location.line)
            insert.bind(6, diagnostic.location.column)
            insert.bind(7, diagnostic.location.xpath)
            insert.bind(8, diagnostic.sourceLine)
            try insert.run()
        }
    }

    private func writeTransactions(
        _ db: Database, item: DocumentImport, documentID: Int64, outcome: inout ImportOutcome
    ) throws {
        // Rows are read in place through a buffer pointer: copying each `Transaction` (a dozen strings and an array)
        // in every loop showed up as a tenth of import time in perf.
        try item.document.transactions.withUnsafeBufferPointer { rows in
            guard !rows.isEmpty else { return }
            let keys = item.dedupKeys

            // Accounts: find or create each one once; then every row's account id.
            var accountIDs: [String: Int64] = [:]
            let findAccount = try PreparedStatement(db, sql: "SELECT id FROM accounts WHERE identifier = ?")
            let addAccount = try PreparedStatement(
                db, sql: "INSERT INTO accounts(identifier, currency, created_at) VALUES (?, ?, ?)")
            let now = Timestamp.nowISO()
            var accountOfRow = [Int64](repeating: 0, count: rows.count)
            for index in rows.indices {
                if let id = accountIDs[rows[index].account] {
                    accountOfRow[index] = id
                    continue
                }
                findAccount.bind(1, rows[index].account)
                if let id = try findAccount.firstInt() {
                    accountIDs[rows[index].account] = id
                } else {
                    addAccount.bind(1, rows[index].account)
                    addAccount.bind(2, rows[index].amount.currency.code)
                    addAccount.bind(3, now)
                    try addAccount.run()
                    accountIDs[rows[index].account] = db.lastInsertedRowID
                }
                accountOfRow[index] = accountIDs[rows[index].account] ?? 0
            }

            // Statements, and the statement each transaction belongs to (first statement of its account).
            var statementOf: [Int64: Int64] = [:]
            var statementIDs: [Int64] = []
            for info in item.document.statements {
                let account = try accountID(db, info.account, currency: info.currency, cache: &accountIDs)
                try db.execute(
                    sql: """
                        INSERT INTO statements(document_id, account_id, identifier, currency, period_start, period_end,
                                               opening_balance_minor, closing_balance_minor)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        documentID, account, info.identifier, info.currency?.code, info.periodStart?.iso,
                        info.periodEnd?.iso, info.openingBalance?.minorUnits, info.closingBalance?.minorUnits,
                    ])
                statementIDs.append(db.lastInsertedRowID)
                try writeBalances(db, info.balances, statementID: db.lastInsertedRowID)  // Store+Balances.swift
                if statementOf[account] == nil { statementOf[account] = db.lastInsertedRowID }
            }

            // Which rows are already stored, and whether this file is an overlapping export of stored rows.
            var windows: [Int64: (lo: LocalDate, hi: LocalDate)] = [:]
            for index in rows.indices where keys[index].hasPrefix("c:") {
                let date = rows[index].bookingDate
                if let window = windows[accountOfRow[index]] {
                    windows[accountOfRow[index]] = (min(window.lo, date), max(window.hi, date))
                } else {
                    windows[accountOfRow[index]] = (date, date)
                }
            }
            var storedInWindow: Int64 = 0
            if !windows.isEmpty {
                let countWindow = try PreparedStatement(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM transactions
                        WHERE account_id = ? AND booking_date BETWEEN ? AND ? AND substr(dedup_key, 1, 2) = 'c:'
                          AND duplicate_of IS NULL
                        """)
                for (account, window) in windows {
                    countWindow.bind(1, account)
                    countWindow.bind(2, window.lo.iso)
                    countWindow.bind(3, window.hi.iso)
                    storedInWindow += try countWindow.firstInt() ?? 0
                }
            }
            // Bank-id keys are looked up whenever the account already has rows; content keys only when stored rows
            // share the window. A fresh account or a new period costs no lookups (they were 60% of storing a
            // 100,000-transaction OFX or MT940 file into a fresh store).
            var accountHasRows: [Int64: Bool] = [:]
            let anyRow = try PreparedStatement(db, sql: "SELECT 1 FROM transactions WHERE account_id = ? LIMIT 1")
            for account in Set(accountOfRow) {
                anyRow.bind(1, account)
                accountHasRows[account] = try anyRow.firstInt() != nil
            }
            var matchOf = [Int64?](repeating: nil, count: rows.count)
            var contentMatches = 0
            let existing = try PreparedStatement(
                db, sql: "SELECT id FROM transactions WHERE account_id = ? AND dedup_key = ?")
            for index in rows.indices {
                let isContent = keys[index].hasPrefix("c:")
                guard accountHasRows[accountOfRow[index]] == true, !isContent || storedInWindow > 0 else { continue }
                existing.bind(1, accountOfRow[index])
                existing.bind(2, keys[index])
                if let id = try existing.firstInt() {
                    matchOf[index] = id
                    if isContent { contentMatches += 1 }
                }
            }
            let overlapping =
                contentMatches > 0 && Double(contentMatches) >= Self.overlapThreshold * Double(storedInWindow)

            // Rows go in ordered by (account, dedup key): the key starts with the booking date, so every index on
            // the table then grows almost sequentially instead of at random pages, which halves SQLite's insert time
            // for a large document (measured with the C API on 200,000 rows). File order stays in `position`.
            let order = rows.indices.sorted { a, b in
                if accountOfRow[a] != accountOfRow[b] { return accountOfRow[a] < accountOfRow[b] }
                return keys[a].utf8.lexicographicallyPrecedes(keys[b].utf8)
            }
            let insert = try PreparedStatement(
                db,
                sql: """
                    INSERT INTO transactions(document_id, account_id, statement_id, source_line, source_xpath,
                        position, booking_date, value_date, amount_minor, currency, currency_digits,
                        original_amount_minor, original_currency, description, payee, reference, bank_id,
                        booking_status, source_category, dedup_key, duplicate_of, raw_fields)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            var rawEncoder = RawFieldsEncoder()
            let precomputedJSON = item.rawFieldsJSON.count == rows.count
            // Pending/booked matching needs the new rows' ids only when the store holds open pending rows, or this
            // document brings pending ones; otherwise (the common case) it costs nothing.
            let accountsWithOpenPending = Set(
                try Int64.fetchAll(
                    db,
                    sql: """
                        SELECT DISTINCT account_id FROM transactions
                        WHERE booking_status = 'pending' AND replaced_by IS NULL
                        """))
            var matchCandidates: [(id: Int64, index: Int)] = []
            for index in order {
                var key = keys[index]
                var duplicateOf: Int64?
                if let match = matchOf[index] {
                    if !key.hasPrefix("c:") || overlapping {
                        outcome.duplicatesSkipped += 1
                        continue
                    }
                    duplicateOf = match
                    key += "~d\(documentID)"
                    outcome.possibleDuplicates += 1
                    outcome.storeDiagnostics.append(
                        Diagnostic(
                            .warning, code: "dedup.possible-duplicate",
                            message: "same account, date, amount and text as stored transaction \(match); kept and "
                                + "flagged (duplicate_of) because this file is not an overlapping export of the "
                                + "stored rows",
                            location: rows[index].location))
                }
                let row = rows.baseAddress.map { $0 + index }
                guard let row else { continue }
                insert.bind(1, documentID)
                insert.bind(2, accountOfRow[index])
                let statement = row.pointee.statementIndex.flatMap { $0 >= 0 && $0 < statementIDs.count ? statementIDs[$0] : nil }
                insert.bind(3, statement ?? statementOf[accountOfRow[index]])
                insert.bind(4, row.pointee.location.line)
                insert.bind(5, row.pointee.location.xpath)
                insert.bind(6, row.pointee.position)
                insert.bind(7, row.pointee.bookingDate.iso)
                insert.bind(8, row.pointee.valueDate?.iso)
                insert.bind(9, row.pointee.amount.minorUnits)
                insert.bind(10, row.pointee.amount.currency.code)
                insert.bind(11, row.pointee.amount.currency.minorUnitDigits)
                insert.bind(12, row.pointee.originalAmount?.minorUnits)
                insert.bind(13, row.pointee.originalAmount?.currency.code)
                insert.bind(14, row.pointee.description)
                insert.bind(15, row.pointee.payee)
                insert.bind(16, row.pointee.reference)
                insert.bind(17, row.pointee.bankId)
                insert.bind(18, row.pointee.status.rawValue)
                insert.bind(19, row.pointee.sourceCategory)
                insert.bind(20, key)
                insert.bind(21, duplicateOf)
                insert.bind(22, precomputedJSON ? item.rawFieldsJSON[index] : rawEncoder.encode(row.pointee.rawFields))
                try insert.run()
                outcome.stored += 1
                if row.pointee.status == .pending
                    || (row.pointee.status == .booked && accountsWithOpenPending.contains(accountOfRow[index]))
                {
                    matchCandidates.append((db.lastInsertedRowID, index))
                }
            }
            try matchPending(db, candidates: matchCandidates, rows: rows, accounts: accountOfRow, outcome: &outcome)
        }
    }

    /// Days around a booked row's date in which its pending twin may lie: card authorisations are usually booked
    /// within a few days, sometimes dated a day or two after the booking.
    static let pendingWindow = (before: 10, after: 2)

    /// Links pending transactions to the booked transactions that settle them (same account, currency and amount,
    /// booking date within `pendingWindow`), in either arrival order, so that nothing is counted twice.
    private func matchPending(
        _ db: Database, candidates: [(id: Int64, index: Int)], rows: UnsafeBufferPointer<Transaction>,
        accounts: [Int64], outcome: inout ImportOutcome
    ) throws {
        guard !candidates.isEmpty else { return }
        let findPending = try PreparedStatement(
            db,
            sql: """
                SELECT id FROM transactions
                WHERE account_id = ? AND booking_status = 'pending' AND replaced_by IS NULL AND amount_minor = ?
                  AND currency = ? AND booking_date BETWEEN ? AND ? AND id <> ?
                ORDER BY booking_date DESC, id LIMIT 1
                """)
        let findBooked = try PreparedStatement(
            db,
            sql: """
                SELECT t.id FROM transactions t
                WHERE t.account_id = ? AND t.booking_status = 'booked' AND t.amount_minor = ? AND t.currency = ?
                  AND t.booking_date BETWEEN ? AND ? AND t.replaced_by IS NULL
                  AND NOT EXISTS (SELECT 1 FROM transactions p WHERE p.replaced_by = t.id)
                ORDER BY t.booking_date, t.id LIMIT 1
                """)
        let link = try PreparedStatement(db, sql: "UPDATE transactions SET replaced_by = ? WHERE id = ?")
        for (id, index) in candidates {
            let row = rows[index]
            let booked = row.status == .booked
            let lookup = booked ? findPending : findBooked
            // For a booked row the pending twin lies before it; for a pending row the booked twin lies after it.
            let from = row.bookingDate.adding(days: booked ? -Self.pendingWindow.before : -Self.pendingWindow.after)
            let to = row.bookingDate.adding(days: booked ? Self.pendingWindow.after : Self.pendingWindow.before)
            guard let from, let to else { continue }
            lookup.bind(1, accounts[index])
            lookup.bind(2, row.amount.minorUnits)
            lookup.bind(3, row.amount.currency.code)
            lookup.bind(4, from.iso)
            lookup.bind(5, to.iso)
            if booked { lookup.bind(6, id) }
            guard let twin = try lookup.firstInt() else { continue }
            link.bind(1, booked ? id : twin)
            link.bind(2, booked ? twin : id)
            try link.run()
            outcome.pendingMatched += 1
            outcome.storeDiagnostics.append(
                Diagnostic(
                    .note, code: "pending.matched",
                    message: booked
                        ? "booked transaction settles pending transaction \(twin), which is now replaced_by it"
                        : "pending transaction was already booked as transaction \(twin); stored as replaced_by it",
                    location: row.location))
        }
    }

    private func accountID(
        _ db: Database, _ identifier: String, currency: CurrencyCode?, cache: inout [String: Int64]
    ) throws -> Int64 {
        if let id = cache[identifier] { return id }
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM accounts WHERE identifier = ?", arguments: [identifier]) {
            cache[identifier] = id
            return id
        }
        try db.execute(
            sql: "INSERT INTO accounts(identifier, currency, created_at) VALUES (?, ?, ?)",
            arguments: [identifier, currency?.code, Timestamp.nowISO()])
        cache[identifier] = db.lastInsertedRowID
        return db.lastInsertedRowID
    }
}
