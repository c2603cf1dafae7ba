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
        return try inImportTransaction { db in
            try importInTransaction(db, item) { writer in
                // Rows are read in place through a buffer pointer: copying each `Transaction` (a dozen strings and
                // an array) in every loop showed up as a tenth of import time in perf.
                try item.document.transactions.withUnsafeBufferPointer { rows in
                    try writer.add(rows, keys: item.dedupKeys, rawFieldsJSON: item.rawFieldsJSON)
                }
                return item.document
            }
        }
    }

    /// Stores a document whose transactions arrive in chunks while it is read, in one SQLite transaction like
    /// `importDocument` and with the same results (same rows, keys, de-duplication and diagnostics), so that a large
    /// statement never has to be held in memory whole.
    ///
    /// - Parameters:
    ///   - item: the file's identity; its `document` is not read (pass an empty one) and `strict` must be false,
    ///     since a strict import can only be judged once the whole file is read.
    ///   - next: the next chunk of transactions, in file order, with one dedup key each (`DedupKey.Builder` makes
    ///     keys for a stream) and their raw-field JSON (or none, then it is built from `rawFields`); nil at the end.
    ///   - completed: called after `next` returned nil: the document as read, with its statements, diagnostics and
    ///     rejected count (its `transactions` are ignored).
    /// - Throws: what `next` throws, or a store error; then nothing of the document is stored.
    public func importStreamedDocument(
        _ item: DocumentImport, next: () throws -> ImportChunk?, completed: () -> StatementDocument
    ) throws -> ImportOutcome {
        precondition(!item.strict, "a streamed document cannot be judged strictly before it is read whole")
        // A smaller page cache for the stream: memory is the point of streaming, and the 64 MiB cache (see
        // `Store.open`) was most of a streamed camt import's footprint. Restored afterwards.
        let cacheSize = try queue.read { try Int.fetchOne($0, sql: "PRAGMA cache_size") } ?? -65_536
        try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA cache_size = \(Self.streamedCacheSize)") }
        defer { try? queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA cache_size = \(cacheSize)") } }
        return try inImportTransaction { db in
            try importInTransaction(db, item) { writer in
                while let chunk = try next() {
                    precondition(chunk.dedupKeys.count == chunk.transactions.count, "one dedup key per transaction")
                    try chunk.transactions.withUnsafeBufferPointer { rows in
                        try writer.add(rows, keys: chunk.dedupKeys, rawFieldsJSON: chunk.rawFieldsJSON)
                    }
                }
                return completed()
            }
        }
    }

    /// The page cache (SQLite's `cache_size`, negative: KiB) while a streamed document is stored.
    static let streamedCacheSize = -16_384

    /// Runs `body` in one SQLite transaction with foreign-key checks off.
    ///
    /// Foreign keys are not checked row by row during an import: every id written there was read or created in the
    /// same transaction, and the checks cost 30% of a large import (measured on 200,000 rows). The pragma cannot
    /// change inside a transaction, hence the outer block; the failed document's dependants are deleted explicitly
    /// instead of by cascade.
    private func inImportTransaction(_ body: (Database) throws -> ImportOutcome) throws -> ImportOutcome {
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
            var result: ImportOutcome?
            try db.inTransaction {
                result = try body(db)
                return .commit
            }
            guard let result else { throw StoreError.unreadable(path: path, reason: "import did not complete") }
            return result
        }
    }

    /// Writes the document row, the transactions that `feed` hands to the writer (it returns the document as read),
    /// the statements, diagnostics and counts. The document's status is judged on the document as read; a failed
    /// document keeps its row and findings but none of its transactions, statements or new accounts.
    private func importInTransaction(
        _ db: Database, _ item: DocumentImport, feed: (TransactionWriter) throws -> StatementDocument
    ) throws -> ImportOutcome {
        let failed = "SELECT id FROM documents WHERE sha256 = ? AND status = 'failed'"
        for table in ["diagnostics", "statements", "transactions"] {
            try db.execute(sql: "DELETE FROM \(table) WHERE document_id IN (\(failed))", arguments: [item.sha256])
        }
        try db.execute(sql: "DELETE FROM documents WHERE sha256 = ? AND status = 'failed'", arguments: [item.sha256])
        // Written first (its id tags every row) and completed at the end, once the document has been read.
        try db.execute(
            sql: """
                INSERT INTO documents(sha256, path, format, size_bytes, status, ingested_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                item.sha256, item.path, item.format?.rawValue, item.sizeBytes, DocumentStatus.failed.rawValue,
                Timestamp.nowISO(),
            ])
        let documentID = db.lastInsertedRowID
        let writer = try TransactionWriter(
            db, documentID: documentID,
            outcome: ImportOutcome(
                documentID: documentID, status: .failed, stored: 0, duplicatesSkipped: 0, possibleDuplicates: 0,
                rejected: 0, pendingMatched: 0, storeDiagnostics: []))
        // A document already known to have failed (unreadable, or strict with warnings) is not fed at all.
        let document = item.status == .failed ? item.document : try feed(writer)
        let status = item.status(of: document, transactionCount: max(writer.rowsSeen, document.transactions.count))
        var outcome = writer.outcome
        if status == .failed {
            if writer.rowsSeen > 0 {
                try db.execute(sql: "DELETE FROM transactions WHERE document_id = ?", arguments: [documentID])
            }
            for account in writer.createdAccounts {
                try db.execute(sql: "DELETE FROM accounts WHERE id = ?", arguments: [account])
            }
            outcome.stored = 0
            outcome.duplicatesSkipped = 0
            outcome.possibleDuplicates = 0
            outcome.pendingMatched = 0
            outcome.storeDiagnostics = []
        } else {
            try writer.finish(statements: document.statements)
            outcome = writer.outcome
        }
        outcome.status = status
        outcome.rejected = document.rejectedRecords
        try writeDiagnostics(db, document.diagnostics + outcome.storeDiagnostics, documentID: documentID)
        let firstError = document.diagnostics.first { $0.severity == .error }
        try db.execute(
            sql: """
                UPDATE documents SET profile = ?, status = ?, error = ?, records_rejected = ?, records_stored = ?,
                                     duplicates_skipped = ?
                WHERE id = ?
                """,
            arguments: [
                document.profile, status.rawValue, firstError.map { "\($0.location): \($0.message)" },
                document.rejectedRecords, outcome.stored, outcome.duplicatesSkipped, documentID,
            ])
        return outcome
    }

    func writeDiagnostics(_ db: Database, _ diagnostics: [Diagnostic], documentID: Int64) throws {
        guard !diagnostics.isEmpty else { return }
        let insert = try DiagnosticInsert(db)
        for diagnostic in diagnostics { try insert.write(diagnostic, documentID: documentID) }
    }

    /// Days around a booked row's date in which its pending twin may lie: card authorisations are usually booked
    /// within a few days, sometimes dated a day or two after the booking.
    static let pendingWindow = (before: 10, after: 2)
}

/// The prepared insert of a finding into `diagnostics`, bound column by column. Only used inside a `Database` access
/// block, on that connection.
final class DiagnosticInsert {
    private let statement: PreparedStatement

    /// Prepares the insert on `db`'s connection.
    init(_ db: Database) throws {
        statement = try PreparedStatement(
            db,
            sql: """
                INSERT INTO diagnostics(document_id, severity, code, message, line, col, xpath, source_line)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
    }

    /// Writes `finding` about document `documentID`.
    func write(_ finding: Diagnostic, documentID: Int64) throws {
        statement.bind(1, documentID)
        statement.bind(2, finding.severity.rawValue)
        statement.bind(3, finding.code)
        statement.bind(4, finding.message)
        statement.bind(5, finding.location.line)
        statement.bind(6, finding.location.column)
        statement.bind(7, finding.location.xpath)
        statement.bind(8, finding.sourceLine)
        try statement.run()
    }
}
