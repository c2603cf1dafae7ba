import FinDocCore
import Testing

@testable import FinDocIngest

/// Every invoice of the shared data sets ingests, and what we read agrees with the document read independently:
/// line counts by counting start tags, the amount due (BT-115) and every line net amount (BT-131) by the raw text of
/// their elements.
@Suite("Invoice fixtures")
struct InvoiceFixtureTests {
    static let files = InvoiceTestSupport.sharedInvoiceFiles()

    @Test func sharedDataIsThere() {
        // CI runs with ../shared present; locally without it the per-file tests below have no arguments.
        if Self.files.isEmpty { print("note: ../shared/data/invoices_* not found; invoice fixture tests skipped") }
        #expect(Self.files.isEmpty || Self.files.count > 100)
    }

    @Test(arguments: files)
    func fixtureAgreesWithItsBytes(_ path: String) throws {
        let bytes = try #require(TestSupport.readFile(path))
        let document = InvoiceIngestor().read(bytes, path: path)
        let tags = InvoiceTestSupport.startTags(bytes)
        guard let rootName = tags.first?.name else { return }
        switch rootName {
        case "Invoice", "CreditNote", "CrossIndustryInvoice":
            break
        case "CrossIndustryDocument":
            #expect(document.invoice == nil)
            #expect(document.diagnostics.first?.code == "invoice.unsupported")
            return
        default:
            #expect(document.invoice == nil, "\(rootName) is not an invoice")
            return
        }
        let invoice = try #require(document.invoice, "\(document.diagnostics)")
        let lineTag = rootName == "CrossIndustryInvoice" ? "IncludedSupplyChainTradeLineItem"
            : rootName == "CreditNote" ? "CreditNoteLine" : "InvoiceLine"
        // XRechnung-extension sub-invoice lines are lines too (stored after their parent, depth first).
        let lineTags: Set<String> = [lineTag, "SubInvoiceLine", "SubCreditNoteLine"]
        #expect(invoice.lines.count == tags.filter { lineTags.contains($0.name) }.count)
        let payableTag = rootName == "CrossIndustryInvoice" ? "DuePayableAmount" : "PayableAmount"
        if let raw = tags.first(where: { $0.name == payableTag })?.text {
            #expect(invoice.totals.payableAmount == ExactDecimal(raw), "BT-115 \(raw)")
        }
        // Line net amounts, in order: the first amount element after each line's start tag (a line states its
        // amount before any sub-invoice line it holds).
        do {
            let amountTag = rootName == "CrossIndustryInvoice" ? "LineTotalAmount" : "LineExtensionAmount"
            var raw: [String?] = []
            var inLine = false
            for tag in tags {
                if lineTags.contains(tag.name) {
                    raw.append(nil)
                    inLine = true
                } else if tag.name == "ApplicableHeaderTradeAgreement" || tag.name == "LegalMonetaryTotal" {
                    inLine = false
                } else if inLine, tag.name == amountTag, raw[raw.count - 1] == nil {
                    raw[raw.count - 1] = tag.text
                }
            }
            #expect(invoice.lines.map { $0.netAmount?.description } == raw.map { $0.flatMap(ExactDecimal.init)?.description })
        }
    }
}
