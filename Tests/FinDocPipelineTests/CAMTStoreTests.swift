import FinDocCore
@testable import FinDocPipeline
import FinDocStore
import Foundation
import Testing

/// camt files through the whole batch: sniffed by namespace, stored with their XPaths, re-ingested without
/// duplicates, pending entries matched to their booked twins.
@Suite struct CAMTStoreTests {
    static let fixtures = repositoryRoot + "/Tests/FinDocIngestTests/Fixtures/camt/"

    func bytes(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + name))
    }

    @Test func reIngestingABatchStatementAddsNothing() throws {
        let dir = try TemporaryDirectory()
        let original = try bytes("handmade/batch053.xml")
        let first = try dir.write("a/batch.xml", [UInt8](original))
        // The same statement downloaded again: other bytes (a comment), same entries.
        let again = try dir.write("b/batch-again.xml", [UInt8](original) + Array("\n<!-- downloaded again -->\n".utf8))
        let store = try Store.open(path: dir.file("s.sqlite"))
        let one = BatchIngester(options: IngestOptions()).run(paths: [first], store: store)
        let file = try #require(one.files.first)
        #expect(file.format == .camt)
        #expect(file.stored == 6, "\(file.diagnostics)")  // 3 + 1 rows in Stmt 1, 2 in Stmt 2 (read off the file)
        let two = BatchIngester(options: IngestOptions()).run(paths: [again, first], store: store)
        #expect(two.stored == 0)
        #expect(two.files.first?.duplicatesSkipped == 6)
        #expect(try store.integer("SELECT COUNT(*) FROM transactions") == 6)
        #expect(try store.integer("SELECT COUNT(*) FROM statements WHERE document_id = (SELECT MIN(id) FROM documents)") == 2)
        let located = try store.texts(
            "SELECT source_xpath, source_line, amount_minor FROM transactions WHERE bank_id = 'BATCH-0001-B'")
        #expect(located == [["/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/NtryDtls/TxDtls[2]", "59", "-15000"]])
        #expect(try store.integer("SELECT SUM(amount_minor) FROM transactions WHERE raw_fields LIKE '%BATCH-0001%'") == -30_000)
    }

    @Test func aPendingEntryBookedLaterIsMatchedNotDuplicated() throws {
        let dir = try TemporaryDirectory()
        let report = try dir.write("report.xml", [UInt8](try bytes("handmade/report052-pending.xml")))
        let statement = try dir.write("statement.xml", [UInt8](try bytes("handmade/statement053-booked.xml")))
        let store = try Store.open(path: dir.file("s.sqlite"))
        let first = BatchIngester(options: IngestOptions()).run(paths: [report], store: store)
        #expect(first.stored == 3)
        let second = BatchIngester(options: IngestOptions()).run(paths: [statement], store: store)
        #expect(second.stored == 1)
        #expect(second.files.first?.pendingMatched == 1)
        let rows = try store.texts(
            """
            SELECT booking_status, replaced_by IS NOT NULL FROM transactions WHERE amount_minor = -1999 ORDER BY id
            """)
        #expect(rows == [["pending", "1"], ["booked", "0"]])
    }

    @Test func aBookingUnderThePendingEntrysOwnReferenceIsStoredAndMatched() throws {
        // Banks often keep the AcctSvcrRef when a pending entry is booked: the booked row must not be taken for a
        // duplicate of the pending one (their bank-id keys differ by status), and re-reading either adds nothing.
        let dir = try TemporaryDirectory()
        let report = try dir.write("report.xml", [UInt8](try bytes("handmade/report052-pending.xml")))
        let booked = String(decoding: try bytes("handmade/statement053-booked.xml"), as: UTF8.self)
            .replacingOccurrences(of: "STMT-BOOK-777", with: "RPT-PDNG-002")
        let statement = try dir.write("statement.xml", booked)
        let store = try Store.open(path: dir.file("s.sqlite"))
        #expect(BatchIngester(options: IngestOptions()).run(paths: [report], store: store).stored == 3)
        let second = BatchIngester(options: IngestOptions()).run(paths: [statement], store: store)
        #expect(second.stored == 1)
        #expect(second.pendingMatched == 1)
        #expect(try store.integer("SELECT COUNT(*) FROM transactions WHERE bank_id = 'RPT-PDNG-002'") == 2)
        let again = try dir.write("statement-again.xml", booked + "\n<!-- again -->\n")
        #expect(BatchIngester(options: IngestOptions()).run(paths: [again], store: store).stored == 0)
    }

    @Test func everyGenkgoFixtureIsStoredOrFailsWithALocatedError() throws {
        let dir = try TemporaryDirectory()
        let store = try Store.open(path: dir.file("s.sqlite"))
        let batch = BatchIngester(options: IngestOptions()).run(paths: [Self.fixtures + "genkgo"], store: store)
        let xml = batch.files.filter { $0.path.hasSuffix(".xml") }
        #expect(xml.count == 17)
        for file in xml {
            #expect(file.format == .camt, "\(file.path)")
            if file.isFailure {
                #expect(file.path.hasSuffix("camt053.v2.wrong.xml"), "\(file.path): \(file.diagnostics)")
                #expect(file.diagnostics.contains { $0.severity == .error && $0.location.xpath != nil })
            }
        }
        let again = BatchIngester(options: IngestOptions()).run(paths: [Self.fixtures + "genkgo"], store: store)
        #expect(again.stored == 0)
    }
}
