import FinDocCore
import FinDocStore
import Foundation
import GRDB
import Testing

/// `Store.importInvoices`: several invoices in one transaction, each under its own savepoint.
@Suite("Invoice group store")
struct InvoiceGroupStoreTests {
    /// Counts rows of `table` through a second, independent GRDB connection to the same file.
    static func count(_ path: String, _ table: String) throws -> Int {
        try DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? -1 }
    }

    @Test func oneFailingInvoiceIsRolledBackAloneAndRepeatedBytesAreStoredOnce() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("s.sqlite")
        let store = try Store.open(path: path)
        // Make storing one particular invoice fail half-way (after its document and invoice rows were written), the
        // way a disk or constraint error would: a trigger on its lines, added through another connection.
        try DatabaseQueue(path: path).write { db in
            try db.execute(
                sql: """
                    CREATE TRIGGER fail_boom BEFORE INSERT ON invoice_lines
                    WHEN (SELECT number FROM invoices WHERE id = NEW.invoice_id) = 'BOOM'
                    BEGIN SELECT RAISE(ABORT, 'injected failure'); END
                    """)
        }
        let items = [
            InvoiceStoreTests.item(InvoiceStoreTests.sampleInvoice(number: "A-1"), sha: "a1"),
            InvoiceStoreTests.item(InvoiceStoreTests.sampleInvoice(number: "BOOM"), sha: "b0"),
            InvoiceStoreTests.item(InvoiceStoreTests.sampleInvoice(number: "A-2"), sha: "a2"),
            InvoiceStoreTests.item(InvoiceStoreTests.sampleInvoice(number: "A-1"), sha: "a1"),
        ]
        let results = try store.importInvoices(items)
        #expect(results.count == 4)
        guard case let .stored(first) = results[0] else { throw Failure("first invoice not stored: \(results[0])") }
        #expect(first.linesStored == 1)
        guard case .failed = results[1] else { throw Failure("the BOOM invoice did not fail: \(results[1])") }
        guard case .stored = results[2] else { throw Failure("third invoice not stored: \(results[2])") }
        guard case let .alreadyStored(previous) = results[3] else {
            throw Failure("repeated bytes not recognised: \(results[3])")
        }
        #expect(previous == "a1.xml")
        // Nothing of the failed invoice is left: no document, invoice, party or line row.
        #expect(try Self.count(path, "documents") == 2)
        #expect(try Self.count(path, "invoices") == 2)
        #expect(try Self.count(path, "invoice_lines") == 2)

        // Re-running the same group stores nothing new (the failing one still fails, alone).
        let again = try store.importInvoices(items)
        #expect(again.filter { if case .alreadyStored = $0 { true } else { false } }.count == 3)
        #expect(try Self.count(path, "documents") == 2)
        #expect(try Self.count(path, "invoice_lines") == 2)
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
