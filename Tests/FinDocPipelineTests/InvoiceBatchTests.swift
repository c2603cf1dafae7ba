import FinDocCore
import FinDocPipeline
import FinDocStore
import Foundation
import Testing

/// Invoices through the batch: sniffed by content, stored with their lines, a bad invoice never stops the batch.
@Suite struct InvoiceBatchTests {
    @Test func badInvoiceDoesNotStopTheBatch() throws {
        let dir = try TemporaryDirectory()
        let good = repositoryRoot + "/Samples/xrechnung-01.03a-invoice.ubl.xml"
        let goodBytes = try Data(contentsOf: URL(fileURLWithPath: good))
        // The same invoice cut in half: truncated XML.
        let truncated = dir.file("truncated.xml")
        try goodBytes.prefix(goodBytes.count / 2).write(to: URL(fileURLWithPath: truncated))
        let store = try Store.open(path: dir.file("s.sqlite"))
        let report = BatchIngester(options: IngestOptions()).run(
            paths: [truncated, good, repositoryRoot + "/Samples/xrechnung-03.01a-invoice.cii.xml"], store: store)
        #expect(report.files.count == 3)
        let bad = try #require(report.files.first)
        #expect(bad.isFailure)
        #expect(bad.format == .ubl)
        #expect(bad.diagnostics.first?.code == "invoice.xml")
        #expect(bad.diagnostics.first?.location.line != nil)
        #expect(report.files[1].outcome == .stored(.ingested))
        #expect(report.files[2].format == .cii)
        #expect(report.files[2].outcome == .stored(.ingested))
        #expect(try store.integer("SELECT COUNT(*) FROM invoices") == 2)
        #expect(try store.integer("SELECT COUNT(*) FROM invoice_lines") == 16)
    }
}
