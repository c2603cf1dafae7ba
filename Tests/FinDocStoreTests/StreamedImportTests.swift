import FinDocCore
import FinDocStore
import Foundation
import Testing

/// `Store.importStreamedDocument`: a document stored chunk by chunk gives the same store as the document stored
/// whole, stays one transaction, and keeps the de-duplication rules.
@Suite struct StreamedImportTests {
    struct Failure: Error {}

    /// Stores `item`'s transactions `size` at a time through the streamed path.
    func streamed(_ store: Store, _ item: DocumentImport, chunkSize size: Int, failAfter: Int? = nil) throws
        -> ImportOutcome
    {
        var header = item
        header.document.transactions = []
        header.dedupKeys = []
        var offset = 0
        var handed = 0
        return try store.importStreamedDocument(
            header,
            next: {
                if let failAfter, handed == failAfter { throw Failure() }
                guard offset < item.document.transactions.count else { return nil }
                let end = min(offset + size, item.document.transactions.count)
                defer {
                    offset = end
                    handed += 1
                }
                return ImportChunk(
                    transactions: Array(item.document.transactions[offset..<end]),
                    dedupKeys: Array(item.dedupKeys[offset..<end]))
            },
            completed: {
                var document = item.document
                document.transactions = []
                return document
            })
    }

    /// Every stored column that does not depend on insertion order (ids do), in file order.
    func contents(_ store: Store) throws -> [[String]] {
        let sink = CollectingSink()
        try store.readOnlyQuery(
            """
            SELECT t.position, a.identifier, s.identifier, t.source_line, t.booking_date, t.value_date, t.amount_minor,
                   t.currency, t.description, t.bank_id, t.booking_status, t.dedup_key, t.duplicate_of IS NOT NULL,
                   t.replaced_by IS NOT NULL, t.raw_fields, d.status, d.records_stored, d.duplicates_skipped
            FROM transactions t JOIN accounts a ON a.id = t.account_id JOIN documents d ON d.id = t.document_id
            LEFT JOIN statements s ON s.id = t.statement_id
            ORDER BY d.id, t.position
            """, into: sink)
        return sink.rows.map { $0.map(\.text) }
    }

    /// Two accounts, two statements, bank ids (one repeated), identical content rows and a pending/booked pair.
    func document(_ sha: String, month: Int = 3) -> DocumentImport {
        var rows: [Transaction] = []
        for n in 0..<23 {
            var t = transaction(
                String(format: "2024-%02d-%02d", month, 1 + n % 27), Int64(-100 * (n % 5 + 1)), "shop \(n % 4)",
                account: n % 3 == 0 ? "acct-B" : "acct-A", bankID: n % 4 == 0 ? "FIT\(month)-\(n)" : nil,
                line: n + 2, position: n)
            t.statementIndex = n % 3 == 0 ? 1 : 0
            rows.append(t)
        }
        var pending = transaction(String(format: "2024-%02d-10", month), -2599, "CARD AUTH", account: "acct-A", position: 23)
        pending.status = .pending
        pending.statementIndex = 0
        var booked = transaction(String(format: "2024-%02d-12", month), -2599, "ACME LTD", account: "acct-A", position: 24)
        booked.statementIndex = 0
        rows += [pending, booked]
        var item = makeImport(sha, rows)
        item.document.statements = [
            StatementInfo(account: "acct-A", currency: gbp, identifier: "S-A"),
            StatementInfo(account: "acct-B", currency: gbp, identifier: "S-B"),
        ]
        return item
    }

    @Test(arguments: [1, 4, 1000])
    func chunksGiveTheSameStoreAsAWholeDocument(chunkSize: Int) throws {
        let dir = try TemporaryDirectory()
        let whole = try Store.open(path: dir.file("whole.sqlite"))
        let chunked = try Store.open(path: dir.file("chunked.sqlite"))
        // A first file, then an overlapping re-export of it (rows skipped) and a file with a stray repeat.
        let first = document("one")
        let overlap = document("two")
        // April, with one March row repeated in it.
        var stray = document("three", month: 4)
        stray.document.transactions[5] = first.document.transactions[1]
        stray.document.transactions[5].position = 5
        let statements = stray.document.statements
        stray = makeImport("three", stray.document.transactions)
        stray.document.statements = statements
        var outcomes: [[Int]] = []
        for item in [first, overlap, stray] {
            let a = try whole.importDocument(item)
            let b = try streamed(chunked, item, chunkSize: chunkSize)
            outcomes.append([a.stored, b.stored, a.duplicatesSkipped, b.duplicatesSkipped, a.possibleDuplicates,
                             b.possibleDuplicates, a.pendingMatched, b.pendingMatched])
            #expect(a.status == b.status)
            #expect(a.storeDiagnostics.map(\.code).sorted() == b.storeDiagnostics.map(\.code).sorted())
        }
        for row in outcomes {
            #expect(row[0] == row[1] && row[2] == row[3] && row[4] == row[5] && row[6] == row[7], "\(outcomes)")
        }
        // The overlapping re-export adds nothing; the stray repeat is kept and flagged (read off the inputs above).
        #expect(outcomes[0][0] == 25 && outcomes[0][6] == 1)
        #expect(outcomes[1][0] == 0 && outcomes[1][2] == 25)
        #expect(outcomes[2][4] == 1)
        let expected = try contents(whole)
        #expect(expected.count == 50)
        #expect(try contents(chunked) == expected)
    }

    @Test func aFailureMidwayLeavesNothing() throws {
        let dir = try TemporaryDirectory()
        let store = try Store.open(path: dir.file("s.sqlite"))
        #expect(throws: Failure.self) { try streamed(store, document("one"), chunkSize: 5, failAfter: 2) }
        let sink = CollectingSink()
        try store.readOnlyQuery(
            """
            SELECT (SELECT COUNT(*) FROM transactions), (SELECT COUNT(*) FROM documents),
                   (SELECT COUNT(*) FROM accounts), (SELECT COUNT(*) FROM statements)
            """, into: sink)
        #expect(sink.rows.map { $0.map(\.text) } == [["0", "0", "0", "0"]])
        // The same file afterwards is stored in full.
        #expect(try streamed(store, document("one"), chunkSize: 5).stored == 25)
    }

    /// A streamed file whose reader ends in an error with no rows is stored as failed, with its finding.
    @Test func aStreamThatEndsUnreadableIsFailed() throws {
        let dir = try TemporaryDirectory()
        let store = try Store.open(path: dir.file("s.sqlite"))
        var item = makeImport("bad", [])
        item.document.diagnostics = [
            Diagnostic(.error, code: "camt.xml", message: "broken", location: SourceLocation(file: "b.xml", line: 9))
        ]
        let outcome = try streamed(store, item, chunkSize: 5)
        #expect(outcome.status == .failed && outcome.stored == 0)
        #expect(try store.knownDocument(sha256: "bad")?.status == .failed)
    }
}
