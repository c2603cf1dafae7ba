import FinDocCore
import FinDocStore
import Foundation
import GRDB
import Testing

@Suite struct ImportTests {
    @Test func storesEveryFieldWithProvenance() throws {
        let dir = try TemporaryDirectory()
        let store = try Store.open(path: dir.file("s.sqlite"))
        var t = transaction("2017-01-03", -7261, "shell kings 587", account: "************5770", line: 7, position: 5)
        t.originalAmount = Money(minorUnits: -8200, currency: CurrencyCode("EUR")!)
        t.sourceCategory = "Vehicle Fuel"
        t.rawFields = [RawField(name: "MERCHANT NAME", value: "shell kings 587"), RawField(name: "TRANS CAC DESC 1", value: "Vehicle Fuel")]
        let outcome = try store.importDocument(makeImport("a", [t]))
        #expect(outcome.stored == 1 && outcome.status == .ingested)
        let sink = CollectingSink()
        try store.transactions(matching: TransactionFilter(), into: sink)
        #expect(sink.columns == Store.transactionColumns)
        #expect(sink.column("amount") == ["-72.61"])
        #expect(sink.column("original_amount") == ["-82.00"])
        #expect(sink.column("original_currency") == ["EUR"])
        #expect(sink.column("source_line") == ["7"])
        #expect(sink.column("source_path") == ["/in/a.csv"])
        #expect(sink.column("account") == ["************5770"])
        #expect(sink.column("source_category") == ["Vehicle Fuel"])
        #expect(sink.column("raw_fields") == [#"{"MERCHANT NAME":"shell kings 587","TRANS CAC DESC 1":"Vehicle Fuel"}"#])
    }

    /// Text values are bound in place from one buffer that grows; rows much longer than it, and many rows in one
    /// multi-row insert, must come back byte for byte in their own rows.
    @Test func longTextRowsAreStoredWhole() throws {
        let dir = try TemporaryDirectory()
        let store = try Store.open(path: dir.file("s.sqlite"))
        let rows = (0..<75).map { i -> Transaction in
            let text = "merchant \(i) " + String(repeating: "\(i % 10)é", count: 400 * (i % 7 + 1))
            var t = transaction("2024-01-\(i % 18 + 10)", -Int64(100 + i), text, position: i)
            t.payee = i % 3 == 0 ? nil : "payee \(i)"
            t.rawFields = [RawField(name: "Text", value: text), RawField(name: "Row", value: "\(i)")]
            return t
        }
        let outcome = try store.importDocument(makeImport("long", rows))
        #expect(outcome.stored == rows.count)
        let sink = CollectingSink()
        try store.readOnlyQuery(
            "SELECT position, description, COALESCE(payee, '<null>'), raw_fields, amount_minor FROM transactions",
            into: sink)
        #expect(sink.rows.count == rows.count)
        for cells in sink.rows {
            guard let i = Int(cells[0].text) else {
                Issue.record("position \(cells[0].text)")
                continue
            }
            #expect(cells[1].text == rows[i].description)
            #expect(cells[2].text == (rows[i].payee ?? "<null>"))
            #expect(cells[3].text == #"{"Text":""# + rows[i].description + #"","Row":""# + "\(i)" + #""}"#)
            #expect(cells[4].text == "\(-(100 + i))")
        }
    }

    @Test func knownDocumentsAreRecognisedBySha() throws {
        let dir = try TemporaryDirectory()
        let store = try Store.open(path: dir.file("s.sqlite"))
        #expect(try store.knownDocument(sha256: "a") == nil)
        _ = try store.importDocument(makeImport("a", [transaction("2017-01-03", -1, "x")]))
        let known = try #require(try store.knownDocument(sha256: "a"))
        #expect(known.status == .ingested && known.recordsStored == 1 && known.path == "/in/a.csv")
    }

    @Test func identicalRowsInOneFileAreBothKept() throws {
        let dir = try TemporaryDirectory()
        let store = try Store.open(path: dir.file("s.sqlite"))
        let rows = [transaction("2017-01-03", -250, "coffee"), transaction("2017-01-03", -250, "coffee")]
        #expect(try store.importDocument(makeImport("a", rows)).stored == 2)
    }

    /// A later download that repeats the stored rows of its period adds only the new ones.
    @Test func overlappingExportAddsOnlyNewRows() throws {
        let dir = try TemporaryDirectory()
        let store = try Store.open(path: dir.file("s.sqlite"))
        let january = (1...20).map { transaction(String(format: "2024-01-%02d", $0), Int64(-100 * $0), "shop \($0)") }
        let overlap = Array(january[14...]) + (1...10).map {
            transaction(String(format: "2024-02-%02d", $0), Int64(-7 * $0), "feb \($0)")
        }
        #expect(try store.importDocument(makeImport("jan", january)).stored == 20)
        let second = try store.importDocument(makeImport("janfeb", overlap))
        #expect(second.stored == 10)
        #expect(second.duplicatesSkipped == 6)
        #expect(second.possibleDuplicates == 0)
        #expect(try store.statistics().transactions == 30)
    }

    /// A new period file that repeats one earlier row (as the Birmingham exports do twice) keeps it, flagged.
    @Test func aStrayRepeatIsKeptAndFlagged() throws {
        let dir = try TemporaryDirectory()
        let store = try Store.open(path: dir.file("s.sqlite"))
        let january = (1...20).map { transaction(String(format: "2024-01-%02d", $0), Int64(-100 * $0), "shop \($0)") }
        _ = try store.importDocument(makeImport("jan", january))
        let february = [january[3]] + (1...10).map {
            transaction(String(format: "2024-02-%02d", $0), Int64(-7 * $0), "feb \($0)")
        }
        let outcome = try store.importDocument(makeImport("feb", february))
        #expect(outcome.stored == 11)
        #expect(outcome.possibleDuplicates == 1)
        #expect(outcome.storeDiagnostics.map(\.code) == ["dedup.possible-duplicate"])
        let flagged = CollectingSink()
        try store.readOnlyQuery("SELECT duplicate_of FROM transactions WHERE duplicate_of IS NOT NULL", into: flagged)
        #expect(flagged.rows.count == 1)
    }

    @Test func bankIDsAreNeverStoredTwice() throws {
        let dir = try TemporaryDirectory()
        let store = try Store.open(path: dir.file("s.sqlite"))
        _ = try store.importDocument(makeImport("a", [transaction("2024-01-01", -5, "x", bankID: "FIT1")]))
        let outcome = try store.importDocument(
            makeImport("b", [transaction("2024-01-01", -5, "x (edited text)", bankID: "FIT1"), transaction("2024-03-01", -9, "y", bankID: "FIT2")]))
        #expect(outcome.stored == 1 && outcome.duplicatesSkipped == 1)
    }

    /// Rows go in 32 at a time with `INSERT OR IGNORE` (no statement journal); a row that a constraint would drop
    /// there must fail the import as a plain insert would, leaving nothing of the document behind.
    @Test func aRowTheStoreRejectsFailsTheWholeImport() throws {
        let dir = try TemporaryDirectory()
        let store = try Store.open(path: dir.file("s.sqlite"))
        let rows = (0..<40).map { transaction("2024-01-01", -Int64($0) - 1, "row \($0)", position: $0) }
        var keys = rows.indices.map { "c:key\($0)" }
        keys[20] = keys[3]  // the same account and dedup key twice, inside the first 32-row insert
        #expect(throws: (any Error).self) { try store.importDocument(makeImport("a", rows, keys: keys)) }
        let count = CollectingSink()
        try store.readOnlyQuery("SELECT (SELECT COUNT(*) FROM transactions), (SELECT COUNT(*) FROM documents)", into: count)
        #expect(count.rows == [[.integer(0), .integer(0)]])
        // The rows short of a full 32 go in one at a time, with the same check.
        let few = Array(rows.prefix(3))
        #expect(throws: (any Error).self) { try store.importDocument(makeImport("b", few, keys: ["c:k", "c:j", "c:k"])) }
        try store.readOnlyQuery("SELECT (SELECT COUNT(*) FROM transactions), (SELECT COUNT(*) FROM documents)", into: count)
        #expect(count.rows.last == [.integer(0), .integer(0)])
        // The same rows with distinct keys are stored whole.
        #expect(try store.importDocument(makeImport("a", rows)).stored == 40)
    }

    @Test func failedDocumentsKeepTheirFindingsAndNoRows() throws {
        let dir = try TemporaryDirectory()
        let store = try Store.open(path: dir.file("s.sqlite"))
        let diagnostic = Diagnostic(.error, code: "csv.binary", message: "not text", location: SourceLocation(file: "b.bin", line: 1))
        let item = DocumentImport(
            sha256: "bad", path: "b.bin", sizeBytes: 3, format: nil,
            document: StatementDocument(format: .csv, diagnostics: [diagnostic], unreadable: true), dedupKeys: [])
        let outcome = try store.importDocument(item)
        #expect(outcome.status == .failed && outcome.stored == 0)
        let sink = CollectingSink()
        try store.readOnlyQuery("SELECT d.status, d.error, g.code, g.line FROM documents d JOIN diagnostics g ON g.document_id = d.id", into: sink)
        #expect(sink.rows.map { $0.map(\.text) } == [["failed", "b.bin:1: not text", "csv.binary", "1"]])
        // A failed document may be retried (e.g. with a better --profile): it replaces the failed row.
        _ = try store.importDocument(makeImport("bad", [transaction("2024-01-01", -5, "x")]))
        #expect(try store.knownDocument(sha256: "bad")?.status == .ingested)
        let left = CollectingSink()
        try store.readOnlyQuery("SELECT COUNT(*) FROM diagnostics", into: left)
        #expect(left.rows == [[.integer(0)]], "the failed attempt's findings go with it")
        // Foreign keys are enforced again once the import is done, and nothing dangles.
        let pragma = CollectingSink()
        try store.readOnlyQuery("PRAGMA foreign_keys", into: pragma)
        #expect(pragma.rows == [[.integer(1)]])
        let dangling = CollectingSink()
        try store.readOnlyQuery("PRAGMA foreign_key_check", into: dangling)
        #expect(dangling.rows.isEmpty)
    }

    @Test func strictRejectsTheWholeDocument() throws {
        let dir = try TemporaryDirectory()
        let store = try Store.open(path: dir.file("s.sqlite"))
        var item = makeImport("a", [transaction("2024-01-01", -5, "x")])
        item.document.rejectedRecords = 1
        item.document.diagnostics = [Diagnostic(.error, code: "csv.amount", message: "bad", location: SourceLocation(file: "a", line: 3))]
        #expect(item.status == .partial)
        item.strict = true
        #expect(try store.importDocument(item).stored == 0)
    }

    /// `--strict` turns warnings (a statement that does not balance) into a rejected file.
    @Test func strictTurnsWarningsIntoFailure() throws {
        var item = makeImport("w", [transaction("2024-01-01", -5, "x")])
        item.document.diagnostics = [Diagnostic(.warning, code: "mt940.balance", message: "off by 0.01", location: SourceLocation(file: "a", line: 1))]
        #expect(item.status == .ingested)
        item.strict = true
        #expect(item.status == .failed)
        item.document.diagnostics = [Diagnostic(.note, code: "csv.preamble", message: "skipped", location: SourceLocation(file: "a", line: 1))]
        #expect(item.status == .ingested, "notes are not warnings")
    }
}

/// A pending transaction that the bank books later is matched, not duplicated, in either arrival order.
@Suite struct PendingMatchingTests {
    func row(_ date: String, _ pence: Int64, _ text: String, _ status: BookingStatus) -> Transaction {
        var t = transaction(date, pence, text)
        t.status = status
        return t
    }

    func counts(_ store: Store) throws -> (live: Int, all: Int) {
        let live = CollectingSink(), all = CollectingSink()
        try store.transactions(matching: TransactionFilter(), into: live)
        try store.transactions(matching: TransactionFilter(includeReplaced: true), into: all)
        return (live.rows.count, all.rows.count)
    }

    @Test func bookedLaterReplacesPending() throws {
        let dir = try TemporaryDirectory()
        let store = try Store.open(path: dir.file("s.sqlite"))
        _ = try store.importDocument(makeImport("p", [row("2024-03-01", -2599, "CARD AUTH ACME", .pending), row("2024-03-01", -700, "OTHER", .pending)]))
        // The booked export prints a different text and date, as banks do.
        let outcome = try store.importDocument(makeImport("b", [row("2024-03-04", -2599, "ACME LTD LONDON", .booked)]))
        #expect(outcome.pendingMatched == 1)
        #expect(try counts(store) == (live: 2, all: 3))
        let stats = try store.statistics()
        #expect(stats.transactions == 2 && stats.replacedPending == 1)
        #expect(stats.totalsByCurrency == ["GBP": "-32.99"], "the settled purchase counts once")
    }

    @Test func pendingArrivingAfterItsBookingIsStoredReplaced() throws {
        let dir = try TemporaryDirectory()
        let store = try Store.open(path: dir.file("s.sqlite"))
        _ = try store.importDocument(makeImport("b", [row("2024-03-04", -2599, "ACME LTD LONDON", .booked)]))
        let outcome = try store.importDocument(makeImport("p", [row("2024-03-01", -2599, "CARD AUTH ACME", .pending)]))
        #expect(outcome.pendingMatched == 1)
        #expect(try counts(store) == (live: 1, all: 2))
    }

    @Test func noMatchOutsideTheWindowOrForAnotherAmount() throws {
        let dir = try TemporaryDirectory()
        let store = try Store.open(path: dir.file("s.sqlite"))
        _ = try store.importDocument(makeImport("p", [row("2024-03-01", -2599, "AUTH", .pending), row("2024-03-01", -100, "AUTH 2", .pending)]))
        let outcome = try store.importDocument(
            makeImport("b", [row("2024-03-20", -2599, "TOO LATE", .booked), row("2024-03-02", -101, "OTHER AMOUNT", .booked)]))
        #expect(outcome.pendingMatched == 0)
        #expect(try counts(store) == (live: 4, all: 4))
    }

    /// Rows are inserted several to a statement; each pending row must still be linked through its own id.
    @Test(arguments: [false, true])
    func manyRowsLinkEachPendingToItsOwnTwin(pendingFirst: Bool) throws {
        let dir = try TemporaryDirectory()
        let store = try Store.open(path: dir.file("s.sqlite"))
        // 75 rows: two full multi-row inserts and a remainder. Distinct amounts, so each row has one twin; the
        // booked rows arrive in another order than the pending ones.
        // Bank ids: content-keyed rows of an account with stored rows wait and go in one at a time, bank-id rows
        // go in with the rest of their chunk.
        func rows(_ status: BookingStatus, _ text: String, day: Int, _ order: [Int]) -> [Transaction] {
            order.map { i in
                var t = row("2024-03-0\(i % 5 + day)", -Int64(1_000 + i), "\(text) \(i)", status)
                t.bankId = "\(text)-\(i)"
                return t
            }
        }
        let pending = rows(.pending, "AUTH", day: 1, Array(0..<75))
        let booked = rows(.booked, "SHOP", day: 3, Array((0..<75).reversed()))
        let first = pendingFirst ? pending : booked, second = pendingFirst ? booked : pending
        _ = try store.importDocument(makeImport("one", first))
        let outcome = try store.importDocument(makeImport("two", second))
        #expect(outcome.pendingMatched == 75)
        let sink = CollectingSink()
        try store.readOnlyQuery(
            """
            SELECT p.booking_status, b.booking_status, p.amount_minor = b.amount_minor,
                   substr(p.description, 6) = substr(b.description, 6)
            FROM transactions p JOIN transactions b ON p.replaced_by = b.id
            """, into: sink)
        #expect(sink.rows.count == 75)
        #expect(sink.rows.allSatisfy { $0.map(\.text) == ["pending", "booked", "1", "1"] })
    }

    /// One booked row settles one pending row: two identical authorisations need two bookings.
    @Test func eachBookingSettlesOnePending() throws {
        let dir = try TemporaryDirectory()
        let store = try Store.open(path: dir.file("s.sqlite"))
        _ = try store.importDocument(makeImport("p", [row("2024-03-01", -250, "COFFEE", .pending), row("2024-03-01", -250, "COFFEE", .pending)]))
        let outcome = try store.importDocument(makeImport("b", [row("2024-03-02", -250, "COFFEE SHOP", .booked)]))
        #expect(outcome.pendingMatched == 1)
        #expect(try counts(store) == (live: 2, all: 3))
    }
}
