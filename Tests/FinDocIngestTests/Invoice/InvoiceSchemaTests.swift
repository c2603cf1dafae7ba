import FinDocCore
import Testing

@testable import FinDocIngest

/// `--validate`: the XSDs shipped in Schemas/xsd accept valid invoices and report located errors for invalid ones.
@Suite("Invoice XSD validation")
struct InvoiceSchemaTests {
    static let schemas: InvoiceSchemas? = try? InvoiceSchemas(directory: TestSupport.repositoryRoot + "/Schemas/xsd")

    @Test func schemasLoad() {
        #expect(Self.schemas != nil)
    }

    /// The XRechnung test suite's instances are schema-valid UBL 2.1 / CII (the suite says so).
    @Test(arguments: InvoiceTestSupport.sharedInvoiceFiles().filter {
        $0.contains("invoices_xrechnung_testsuite/business-cases/standard")
    })
    func validInvoicesPass(_ path: String) throws {
        let bytes = try #require(TestSupport.readFile(path))
        let document = InvoiceIngestor(schemas: Self.schemas).read(bytes, path: path)
        #expect(document.diagnostics.filter { $0.code == "invoice.xsd" }.isEmpty, "\(document.diagnostics)")
    }

    @Test func misplacedElementIsReportedWithItsLine() throws {
        // An unknown element inside the UBL invoice: schema-invalid, though the rules still run.
        let text = InvoiceBadInputTests.minimalUBL.replacingOccurrences(
            of: "<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>",
            with: "<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>\n  <cbc:Colour>blue</cbc:Colour>")
        let document = InvoiceIngestor(schemas: Self.schemas).read(Array(text.utf8), path: "x.xml")
        let error = try #require(document.diagnostics.first { $0.code == "invoice.xsd" })
        #expect(error.location.line == 9)
        #expect(error.message.contains("Colour"))
        #expect(document.invoice != nil)
    }
}
