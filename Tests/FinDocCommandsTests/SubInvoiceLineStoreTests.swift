import FinDocStore
import Foundation
import Testing

@testable import FinDocCommands

/// XRechnung-extension UBL sub-invoice lines in the store: every `cac:SubInvoiceLine` becomes a line with its
/// parent's id, and spend over invoice lines counts each amount once (the leaves), so it adds up to the invoice's
/// stated line total (BT-106), read here from the file's text.
@Suite struct SubInvoiceLineStoreTests {
    static let file = InvoiceLineCategoryTests.root.path
        + "/../shared/data/invoices_xrechnung_testsuite/business-cases/extension/04.01a-INVOICE_ubl.xml"

    @Test func subLinesAreStoredAndSpendCountsEachAmountOnce() throws {
        guard FileManager.default.fileExists(atPath: Self.file) else {
            Issue.record("shared fixture missing: \(Self.file)")
            return
        }
        let dir = NSTemporaryDirectory() + "findoc-sublines-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/s.sqlite"
        try InvoiceLineCategoryTests.run(["ingest", "--db", db, Self.file])
        let store = try Store.open(path: db)

        // Independent truth from the text: line elements, sub-line elements, and BT-106 in cac:LegalMonetaryTotal.
        let text = try String(contentsOfFile: Self.file, encoding: .utf8)
        let lines = try InvoiceLineCategoryTests.occurrences("<cac:InvoiceLine>", in: Self.file)
        let subLines = try InvoiceLineCategoryTests.occurrences("<cac:SubInvoiceLine>", in: Self.file)
        let total = try #require(
            text.firstMatch(
                of: try Regex(#"<cac:LegalMonetaryTotal>\s*<cbc:LineExtensionAmount[^>]*>([^<]*)<"#))?.output[1].substring)
        #expect(subLines > 0)

        #expect(
            try InvoiceLineCategoryTests.rows(
                store, "SELECT COUNT(*), COUNT(parent_line_id) FROM invoice_lines") == [[String(lines + subLines), String(subLines)]])
        // Every parent named by a sub-line is a stored line of the same invoice, and it is a GROUP.
        #expect(
            try CategoryCommandTests.scalar(
                store,
                """
                SELECT COUNT(*) FROM invoice_lines s WHERE s.parent_line_id IS NOT NULL AND NOT EXISTS (
                  SELECT 1 FROM invoice_lines p WHERE p.invoice_id = s.invoice_id AND p.line_id = s.parent_line_id
                  AND p.line_status = 'GROUP')
                """) == 0)

        let spend = CategoryCommandTests.Collect()
        try store.spendByCategory(byMonth: false, items: .invoiceLines, into: spend)
        let spent = spend.rows.reduce(0) { $0 + (Int($1[4].replacingOccurrences(of: ".", with: "")) ?? 0) }
        #expect(spent == Int(total.replacingOccurrences(of: ".", with: "")), "spend \(spend.rows) vs BT-106 \(total)")
    }
}
