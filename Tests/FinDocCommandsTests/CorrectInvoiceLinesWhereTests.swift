import ArgumentParser
import FinDocStore
import Foundation
import Testing

@testable import FinDocCommands

/// `findoc correct --items invoice-lines --where "FILTERS"`: a person's label for every invoice line the filters of
/// `query invoice-lines` select, as `--where` does for transactions. Expected counts and values are read from the
/// sample files' text.
@Suite struct CorrectInvoiceLinesWhereTests {
    static func freshStore() throws -> (dir: String, db: String) {
        let dir = NSTemporaryDirectory() + "findoc-corrwhere-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let db = dir + "/s.sqlite"
        try InvoiceLineCategoryTests.run([
            "ingest", "--db", db, CategoryCommandTests.sample, InvoiceLineCategoryTests.ubl, InvoiceLineCategoryTests.cii,
        ])
        return (dir, db)
    }

    @Test func whereSelectsInvoiceLinesByInvoiceDateAndSeller() throws {
        let (dir, db) = try Self.freshStore()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try Store.open(path: db)
        // The UBL sample is invoice <cbc:ID>RR123456</cbc:ID>, issued 2016-06-24; the CII sample was issued
        // 2019-02-28 (<udt:DateTimeString format="102">20190228</udt:DateTimeString>).
        let ublText = try String(contentsOfFile: InvoiceLineCategoryTests.ubl, encoding: .utf8)
        #expect(ublText.contains("<cbc:ID>RR123456</cbc:ID>") && ublText.contains("<cbc:IssueDate>2016-06-24</cbc:IssueDate>"))
        let ublLines = try InvoiceLineCategoryTests.occurrences("<cac:InvoiceLine>", in: InvoiceLineCategoryTests.ubl)
        let ciiLines = try InvoiceLineCategoryTests.occurrences(
            "<ram:IncludedSupplyChainTradeLineItem>", in: InvoiceLineCategoryTests.cii)
        let ubl = Set(
            try InvoiceLineCategoryTests.rows(
                store, "SELECT l.id FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id WHERE i.number = 'RR123456'"
            ).compactMap { Int64($0[0]) })
        #expect(ubl.count == ublLines)

        // By invoice number: exactly that invoice's lines, no transaction.
        try InvoiceLineCategoryTests.run([
            "correct", "--db", db, "--items", "invoice-lines", "--where", "--invoice RR123456", "--label", "Office Supplies",
        ])
        var labels = try store.labels(task: "categories", itemKind: "invoice_line")
        #expect(Set(labels.map(\.itemID)) == ubl)
        #expect(labels.allSatisfy { $0.label == "Office Supplies" && $0.source == .person })
        #expect(try store.labels(task: "categories", itemKind: "transaction").isEmpty)

        // By issue date (quoted values work as with transactions): the CII invoice's lines only; the earlier
        // correction of the UBL lines stays.
        try InvoiceLineCategoryTests.run([
            "correct", "--db", db, "--items", "invoice-lines", "--where", "--from '2019-01-01'", "--label", "Utilities",
            "--note", "2019 batch",
        ])
        labels = try store.labels(task: "categories", itemKind: "invoice_line")
        #expect(labels.count == ublLines + ciiLines)
        #expect(labels.filter { $0.label == "Utilities" }.count == ciiLines)
        #expect(labels.filter { $0.label == "Utilities" }.allSatisfy { $0.note == "2019 batch" && !ubl.contains($0.itemID) })

        // A later correction of the same lines replaces the earlier one; both samples name "[Seller name]".
        try InvoiceLineCategoryTests.run([
            "correct", "--db", db, "--items", "invoice-lines", "--where", "--seller \"[Seller name]\" --to 2016-12-31",
            "--label", "Postage",
        ])
        labels = try store.labels(task: "categories", itemKind: "invoice_line")
        #expect(labels.count == ublLines + ciiLines)
        #expect(Set(labels.filter { $0.label == "Postage" }.map(\.itemID)) == ubl)
        // The corrections feed training.
        #expect(try store.invoiceLineTrainingRows().count == ublLines + ciiLines)

        // By text in a line's name: the UBL line written <cbc:Name>Versandkosten</cbc:Name> (the only "versand" in
        // either file, matched case-insensitively).
        let versand = try #require(
            try InvoiceLineCategoryTests.rows(store, "SELECT id FROM invoice_lines WHERE name = 'Versandkosten'").first
                .flatMap { Int64($0[0]) })
        #expect(try InvoiceLineCategoryTests.occurrences("Versand", in: InvoiceLineCategoryTests.cii) == 0)
        try InvoiceLineCategoryTests.run([
            "correct", "--db", db, "--items", "invoice-lines", "--where", "--text versand", "--label", "Freight",
        ])
        labels = try store.labels(task: "categories", itemKind: "invoice_line")
        #expect(labels.filter { $0.label == "Freight" }.map(\.itemID) == [versand])

        // A filter that selects nothing labels nothing and is not an error.
        try InvoiceLineCategoryTests.run([
            "correct", "--db", db, "--items", "invoice-lines", "--where", "--seller nobody-sells-this", "--label", "X",
        ])
        #expect(try store.labels(task: "categories", itemKind: "invoice_line").filter { $0.label == "X" }.isEmpty)
    }

    @Test func textFilterSelectsLinesAndTheirInvoices() throws {
        let (dir, db) = try Self.freshStore()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try Store.open(path: db)
        // "Versandkosten" is the name of one UBL line (invoice RR123456); "VERSAND" matches it case-insensitively.
        let lines = CategoryCommandTests.Collect()
        try store.invoiceLines(matching: InvoiceFilter(text: "VERSAND"), columns: ["name", "invoice_number"], into: lines)
        #expect(lines.rows == [["Versandkosten", "RR123456"]])
        let invoices = CategoryCommandTests.Collect()
        try store.invoices(matching: InvoiceFilter(text: "versand"), columns: ["number"], into: invoices)
        #expect(invoices.rows == [["RR123456"]])
        // LIKE wildcards in the text are taken literally.
        let none = CategoryCommandTests.Collect()
        try store.invoiceLines(matching: InvoiceFilter(text: "%"), columns: ["name"], into: none)
        #expect(none.rows.isEmpty)
    }

    @Test func itemsAndWhereAreValidated() throws {
        // --items without --where, an unknown kind, and a transaction-only filter on invoice lines are usage errors.
        #expect(throws: (any Error).self) {
            try CorrectCommand.parse(["--items", "invoice-lines", "--invoice-line", "3", "--label", "X"])
        }
        #expect(throws: (any Error).self) {
            try CorrectCommand.parse(["--items", "receipts", "--where", "--seller a", "--label", "X"])
        }
        #expect(throws: (any Error).self) {
            try CorrectCommand.parse(["--items", "invoice-lines", "--where", "--account 5770", "--label", "X"])
        }
        _ = try CorrectCommand.parse(["--items", "invoice-lines", "--where", "--seller a --text b", "--label", "X"])
        #expect(Findoc.helpMessage(for: CorrectCommand.self).contains("--items invoice-lines --where"))
    }
}
