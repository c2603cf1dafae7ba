import FinDocCore
import FinDocStore
import Testing

/// Storing invoices: exact amounts, parties, lines with their source, findings, de-duplication across files, and
/// the query columns.
@Suite("Invoice store")
struct InvoiceStoreTests {
    static let eur = CurrencyCode("EUR")!

    static func sampleInvoice(number: String = "INV-7", creditNote: Bool = false) -> Invoice {
        var invoice = Invoice(
            syntax: creditNote ? .ublCreditNote : .ublInvoice, number: number,
            location: SourceLocation(file: "a.xml", line: 2, xpath: "/Invoice"))
        invoice.typeCode = creditNote ? "381" : "380"
        invoice.issueDate = LocalDate(iso: "2024-03-01")
        invoice.currency = eur
        invoice.seller = InvoiceParty(name: "Muster GmbH")
        invoice.seller.vatID = "DE123456789"
        invoice.seller.country = "DE"
        invoice.buyer = InvoiceParty(name: "Buyer AG")
        invoice.totals.lineNetTotal = ExactDecimal("10.00")
        invoice.totals.payableAmount = ExactDecimal("11.90")
        var line = InvoiceLine(id: "1", location: SourceLocation(file: "a.xml", line: 30, xpath: "/Invoice/cac:InvoiceLine"))
        line.name = "Printer paper"
        line.description = "A4, 80 g"
        line.quantity = ExactDecimal("3.3333")
        line.netPrice = ExactDecimal("3.0000")
        line.unitCode = "C62"
        line.netAmount = ExactDecimal("10.00")
        line.classifications = ["STI:44121600"]
        line.sellerItemID = "P-80"
        var discount = InvoiceAllowanceCharge(isCharge: false)
        discount.amount = ExactDecimal("0.50")
        line.allowancesCharges = [discount]
        invoice.lines = [line]
        var vat = VATBreakdown()
        vat.category = "S"
        vat.rate = ExactDecimal("19")
        vat.taxableAmount = ExactDecimal("10.00")
        vat.taxAmount = ExactDecimal("1.90")
        invoice.vatBreakdown = [vat]
        return invoice
    }

    static func item(_ invoice: Invoice?, sha: String, diagnostics: [Diagnostic] = []) -> InvoiceImport {
        InvoiceImport(
            sha256: sha, path: sha + ".xml", sizeBytes: 100,
            document: InvoiceDocument(format: .ubl, invoice: invoice, diagnostics: diagnostics))
    }

    @Test func storesInvoicePartiesLinesAndFindings() throws {
        let dir = try TemporaryDirectory()
        let store = try Store.open(path: dir.file("s.sqlite"))
        let finding = Diagnostic(
            .error, code: "BR-CO-16", message: "amount due", location: SourceLocation(file: "a.xml", xpath: "/x"))
        let outcome = try store.importInvoice(Self.item(Self.sampleInvoice(), sha: "aa", diagnostics: [finding]))
        #expect(outcome.status == .partial, "stored, with its findings")
        #expect(outcome.linesStored == 1)
        let sink = CollectingSink()
        try store.invoiceLines(matching: InvoiceFilter(), into: sink)
        #expect(sink.columns == Store.invoiceLineColumns)
        #expect(sink.column("quantity") == ["3.3333"])
        #expect(sink.column("net_price") == ["3.0000"])
        #expect(sink.column("net_amount") == ["10.00"])
        #expect(sink.column("signed_net_amount") == ["10.00"])
        #expect(sink.column("seller_name") == ["Muster GmbH"])
        #expect(sink.column("classifications") == ["[\"STI:44121600\"]"])
        #expect(sink.column("source_xpath") == ["/Invoice/cac:InvoiceLine"])
        let invoices = CollectingSink()
        try store.invoices(matching: InvoiceFilter(seller: "muster"), into: invoices)
        #expect(invoices.column("payable_amount") == ["11.90"])
        #expect(invoices.column("errors") == ["1"])
        let empty = CollectingSink()
        try store.invoices(matching: InvoiceFilter(from: LocalDate(iso: "2024-03-02")), into: empty)
        #expect(empty.rows.isEmpty)
    }

    @Test func creditNoteLinesAreSignedByEffect() throws {
        let dir = try TemporaryDirectory()
        let store = try Store.open(path: dir.file("s.sqlite"))
        _ = try store.importInvoice(Self.item(Self.sampleInvoice(number: "CN-1", creditNote: true), sha: "cc"))
        let sink = CollectingSink()
        try store.invoiceLines(matching: InvoiceFilter(invoiceNumber: "CN-1"), into: sink)
        #expect(sink.column("net_amount") == ["10.00"])
        #expect(sink.column("signed_net_amount") == ["-10.00"])
        #expect(sink.column("is_credit_note") == ["1"])
    }

    @Test func sameInvoiceInASecondFileIsSkippedWithANote() throws {
        let dir = try TemporaryDirectory()
        let store = try Store.open(path: dir.file("s.sqlite"))
        let first = try store.importInvoice(Self.item(Self.sampleInvoice(), sha: "aa"))
        let second = try store.importInvoice(Self.item(Self.sampleInvoice(), sha: "bb"))
        #expect(first.invoiceID != nil)
        #expect(second.invoiceID == nil)
        #expect(second.duplicateOf == first.invoiceID)
        #expect(second.storeDiagnostics.map(\.code) == ["invoice.duplicate"])
        let other = try store.importInvoice(Self.item(Self.sampleInvoice(number: "INV-8"), sha: "cc"))
        #expect(other.invoiceID != nil)
        let sink = CollectingSink()
        try store.invoiceLines(matching: InvoiceFilter(), into: sink)
        #expect(sink.rows.count == 2)
    }

    @Test func unreadableInvoiceIsAFailedDocument() throws {
        let dir = try TemporaryDirectory()
        let store = try Store.open(path: dir.file("s.sqlite"))
        let error = Diagnostic(.error, code: "invoice.xml", message: "bad", location: SourceLocation(file: "x", line: 3))
        let outcome = try store.importInvoice(Self.item(nil, sha: "dd", diagnostics: [error]))
        #expect(outcome.status == .failed)
        #expect(try store.knownDocument(sha256: "dd")?.status == .failed)
        // A later good read of the same bytes replaces the failed document.
        let again = try store.importInvoice(Self.item(Self.sampleInvoice(), sha: "dd"))
        #expect(again.status == .ingested)
    }
}
