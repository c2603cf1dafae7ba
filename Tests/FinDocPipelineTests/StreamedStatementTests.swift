import FinDocCore
@testable import FinDocPipeline
import FinDocStore
import Foundation
import Testing

/// A statement file over `IngestOptions.streamingThreshold` goes to the store in chunks (camt read from disk as it
/// is stored; CSV, MT940 and OFX converted while stored; other formats read whole, their keys and JSON built while
/// stored): the store and the report must be exactly those of the same file stored whole.
@Suite struct StreamedStatementTests {
    static let fixtures = repositoryRoot + "/Tests/FinDocIngestTests/Fixtures/camt/"

    /// Our camt fixtures and samples, and the shared camt, OFX, MT940 and QIF sets.
    static let inputs: [String] =
        [fixtures, repositoryRoot + "/Samples"]
        + ["camt", "ofx", "mt940", "qif"].map { sharedData + "/statements_" + $0 }

    /// Every file under `inputs`, as the batch sees them.
    static let files = InputFiles.expand(inputs).files

    /// What a store holds, in an order that does not depend on row ids.
    func contents(_ store: Store) throws -> [[String]] {
        try store.texts(
            """
            SELECT d.status, d.error, d.records_stored, d.duplicates_skipped, d.records_rejected, t.position,
                   a.identifier, s.identifier, s.period_start, s.closing_balance_minor, t.source_line, t.source_xpath,
                   t.booking_date, t.amount_minor, t.currency, t.description, t.payee, t.reference, t.bank_id,
                   t.booking_status, t.dedup_key, t.raw_fields
            FROM documents d LEFT JOIN transactions t ON t.document_id = d.id
            LEFT JOIN accounts a ON a.id = t.account_id LEFT JOIN statements s ON s.id = t.statement_id
            ORDER BY d.path, t.position
            """)
            + store.texts(
                """
                SELECT d.path, g.severity, g.code, g.message, g.line, g.xpath
                FROM diagnostics g JOIN documents d ON d.id = g.document_id ORDER BY d.path, g.id
                """)
            + store.texts(
                """
                SELECT a.identifier, s.identifier, s.currency, s.period_start, s.period_end, s.opening_balance_minor,
                       s.closing_balance_minor
                FROM statements s JOIN accounts a ON a.id = s.account_id ORDER BY s.id
                """)
    }

    @Test func theFixturesAreThere() {
        #expect(Self.files.filter { $0.hasSuffix(".xml") }.count >= 20, "\(Self.files)")
        #expect(Self.files.count >= 60, "\(Self.files.count) files")
    }

    @Test func streamedFilesStoreExactlyWhatWholeFilesStore() throws {
        let a = try compareWholeAndStreamed(Self.inputs, expectedFiles: Self.files.count)
        #expect(a.stored > 300, "the fixtures hold real rows")
    }

    /// CSV is converted row by row while stored: bad rows, broken quotes, unreadable and header-only files must be
    /// reported and stored exactly as when the file is read whole.
    @Test func streamedBadCSVFilesStoreExactlyWhatWholeFilesStore() throws {
        let dir = try TemporaryDirectory()
        try BadCSV.write(into: dir, folder: "in")
        try dir.write("in/header-only.csv", "Date,Description,Amount\n")
        try dir.write("in/no-amount.csv", "Date,Description\n08/01/2024,Tea\n")
        try dir.write("in/ambiguous-dates.csv", "Date;Text;Amount\n01/02/2024;A;-1,50\n03/04/2024;B;2,00\n")
        let files = [dir.file("in"), sharedData + "/txn_birmingham_pcard/purchase-card-transactions-201612.csv"]
        let a = try compareWholeAndStreamed(files, expectedFiles: 8)
        #expect(a.stored > 1_000 && a.files.contains { $0.rejected > 0 }, "real rows and rejected ones")
    }

    /// An OFX 2.x file whose XML breaks after rows were stored while it streamed: the stream's rows are rolled back
    /// and the file is read whole (leniently), exactly as it would have been without streaming.
    @Test func ofxWhoseXMLBreaksLateIsReadWhole() throws {
        let dir = try TemporaryDirectory()
        let good = (1...40).map {
            "<STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>202401\(String(format: "%02d", $0 % 28 + 1))</DTPOSTED>"
                + "<TRNAMT>-\($0).50</TRNAMT><FITID>F\($0)</FITID><NAME>Shop \($0)</NAME></STMTTRN>\n"
        }.joined()
        try dir.write(
            "in/late-break.ofx",
            "<?xml version=\"1.0\"?><?OFX OFXHEADER=\"200\" VERSION=\"220\"?>\n"
                + "<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR</CURDEF>\n"
                + "<BANKACCTFROM><BANKID>B1</BANKID><ACCTID>A1</ACCTID></BANKACCTFROM>\n<BANKTRANLIST>\n" + good
                + "<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20240130<TRNAMT>2.00<FITID>F99<NAME>Refund</STMTTRN>\n"
                + "</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n")
        let report = try compareWholeAndStreamed([dir.file("in")], expectedFiles: 1)
        #expect(report.stored == 41)
        #expect(report.files.first?.diagnostics.contains { $0.code == "ofx.xml" } == true)
    }

    /// Ingests `inputs` into two fresh stores, whole and streamed, and checks that the reports and the stores
    /// agree; returns the whole run's report.
    @discardableResult
    func compareWholeAndStreamed(_ inputs: [String], expectedFiles: Int) throws -> BatchReport {
        let dir = try TemporaryDirectory()
        let whole = try Store.open(path: dir.file("whole.sqlite"))
        let streamed = try Store.open(path: dir.file("streamed.sqlite"))
        var options = IngestOptions()
        let a = BatchIngester(options: options).run(paths: inputs, store: whole)
        options.streamingThreshold = 0
        let b = BatchIngester(options: options).run(paths: inputs, store: streamed)
        #expect(a.files.count == expectedFiles && b.files.count == expectedFiles)
        for (x, y) in zip(a.files, b.files) {
            #expect(x.path == y.path)
            #expect(x.outcome == y.outcome, "\(x.path)")
            #expect(x.read == y.read && x.stored == y.stored && x.rejected == y.rejected, "\(x.path)")
            #expect(x.duplicatesSkipped == y.duplicatesSkipped && x.pendingMatched == y.pendingMatched, "\(x.path)")
            #expect(x.diagnostics.map(\.description) == y.diagnostics.map(\.description), "\(x.path)")
        }
        let expected = try contents(whole)
        #expect(try contents(streamed) == expected)
        return a
    }

    /// Re-reading a streamed statement adds nothing, and a second copy with other bytes is de-duplicated.
    @Test func aStreamedStatementIsNotStoredTwice() throws {
        let dir = try TemporaryDirectory()
        let original = try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "handmade/batch053.xml"))
        let first = try dir.write("a/batch.xml", [UInt8](original))
        let again = try dir.write("b/batch-again.xml", [UInt8](original) + Array("\n<!-- again -->\n".utf8))
        let store = try Store.open(path: dir.file("s.sqlite"))
        var options = IngestOptions()
        options.streamingThreshold = 0
        let one = BatchIngester(options: options).run(paths: [first], store: store)
        #expect(one.stored == 6)  // 3 + 1 rows in Stmt 1, 2 in Stmt 2 (read off the file)
        let two = BatchIngester(options: options).run(paths: [first, again], store: store)
        #expect(two.stored == 0)
        #expect(two.alreadyIngested == 1)
        #expect(two.files.last?.duplicatesSkipped == 6)
        #expect(try store.integer("SELECT COUNT(*) FROM transactions") == 6)
        #expect(try store.integer("SELECT COUNT(*) FROM statements WHERE document_id = (SELECT MIN(id) FROM documents)") == 2)
    }
}
