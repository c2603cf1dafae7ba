import FinDocCore
import Testing

@testable import FinDocIngest

/// XRechnung-extension sub-invoice lines (`cac:SubInvoiceLine`, nested) are kept as lines with their parent's id,
/// in document order, with GROUP/DETAIL derived from the nesting, and the sum rule BR-CO-10 counts every amount
/// once. The expected tree is read from the file text by a tag scan that shares nothing with libxml2.
@Suite("UBL sub-invoice lines")
struct UBLSubInvoiceLineTests {
    static let folder = InvoiceTestSupport.sharedData + "/invoices_xrechnung_testsuite/business-cases/extension/"
    static let files = ["04.01a-INVOICE_ubl.xml", "04.02a-INVOICE_ubl.xml", "04.03a-INVOICE_ubl.xml", "04.04a-INVOICE_ubl.xml"]

    /// A line as the text states it: its id, its parent's id, its amount and whether it holds sub-lines.
    struct TextLine: Equatable {
        var id: String?
        var parent: String?
        var amount: String?
        var hasSubLines = false
    }

    /// Walks the line start and end tags with a stack: each line's first `cbc:ID` and `cbc:LineExtensionAmount`.
    static func textLines(_ text: String) throws -> [TextLine] {
        let token = try Regex(
            #"<(/?)cac:(InvoiceLine|SubInvoiceLine)>|<cbc:ID>([^<]*)</cbc:ID>|<cbc:LineExtensionAmount[^>]*>\s*([^<\s]*)\s*<"#)
        var lines: [TextLine] = []
        var stack: [Int] = []
        for match in text.matches(of: token) {
            if match.output[2].substring != nil {
                if match.output[1].substring == "/" {
                    _ = stack.popLast()
                } else {
                    if let parent = stack.last { lines[parent].hasSubLines = true }
                    lines.append(TextLine(parent: stack.last.flatMap { lines[$0].id }))
                    stack.append(lines.count - 1)
                }
            } else if let id = match.output[3].substring, let open = stack.last, lines[open].id == nil {
                lines[open].id = String(id)
            } else if let amount = match.output[4].substring, let open = stack.last, lines[open].amount == nil {
                lines[open].amount = String(amount)
            }
        }
        return lines
    }

    @Test(arguments: files)
    func subLinesAreKeptWithTheirParent(_ name: String) throws {
        guard let bytes = TestSupport.readFile(Self.folder + name) else {
            Issue.record("shared fixture missing: \(Self.folder + name)")
            return
        }
        let expected = try Self.textLines(String(decoding: bytes, as: UTF8.self))
        #expect(expected.contains { $0.parent != nil }, "the fixture has sub-invoice lines")
        let document = InvoiceIngestor().read(bytes, path: Self.folder + name)
        let invoice = try #require(document.invoice, "\(document.diagnostics)")
        #expect(invoice.lines.map(\.id) == expected.map { $0.id ?? "" })
        #expect(invoice.lines.map(\.parentLineID) == expected.map(\.parent))
        #expect(invoice.lines.map { $0.netAmount?.description } == expected.map { $0.amount.flatMap(ExactDecimal.init)?.description })
        for (line, text) in zip(invoice.lines, expected) {
            let status: String? = text.hasSubLines ? "GROUP" : text.parent == nil ? nil : "DETAIL"
            #expect(line.lineStatusCode == status, "line \(line.id)")
        }
        // Top-level lines alone add up to BT-106, so no sum finding; the leaf lines add up to it too.
        #expect(!document.diagnostics.contains { $0.code == "BR-CO-10" }, "\(document.diagnostics)")
        let leaves = invoice.lines.filter { ($0.lineStatusCode ?? "DETAIL") == "DETAIL" }.compactMap(\.netAmount)
        let total = leaves.reduce(ExactDecimal.zero as ExactDecimal?) { sum, value in sum.flatMap { ExactDecimal.sum($0, value) } }
        let stated = try #require(invoice.totals.lineNetTotal)
        #expect(total?.isEqualInValue(to: stated) == true, "leaves \(String(describing: total)) vs BT-106 \(stated)")
    }
}
