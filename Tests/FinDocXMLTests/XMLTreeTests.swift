import Testing

@testable import FinDocXML

/// `XMLTree` lookups on small hand-written documents whose answers can be read off the text.
@Suite struct XMLTreeTests {
    static let invoice = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
                 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
                 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
          <cbc:ID>  INV-1 </cbc:ID>
          <cbc:Note>first<!-- a comment splits the text -->second</cbc:Note>
          <cbc:Note><![CDATA[a < b]]></cbc:Note>
          <cac:InvoiceLine>
            <cbc:ID>1</cbc:ID>
            <cbc:LineExtensionAmount currencyID="EUR">10.00</cbc:LineExtensionAmount>
          </cac:InvoiceLine>
          <cac:InvoiceLine>
            <cbc:ID>2</cbc:ID>
            <cbc:LineExtensionAmount currencyID="USD">20.50</cbc:LineExtensionAmount>
            <cbc:Empty>   </cbc:Empty>
          </cac:InvoiceLine>
        </Invoice>
        """

    @Test("names, namespaces, attributes and text, looked up by local name whatever the prefix")
    func lookups() throws {
        let tree = try XMLTree.parse(Array(Self.invoice.utf8))
        let root = tree.root
        #expect(root.localName == "Invoice")
        #expect(root.qualifiedName == "Invoice")
        #expect(root.namespaceURI == "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2")
        #expect(root.text("ID") == "INV-1")
        #expect(root.child("ID")?.qualifiedName == "cbc:ID")
        #expect(root.child("ID")?.namespaceURI == "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2")
        let notes = root.children("Note")
        #expect(notes.count == 2)
        #expect(notes.first?.text == "firstsecond")
        #expect(notes.last?.text == "a < b")
        let lines = root.children("InvoiceLine")
        #expect(lines.map { $0.text("ID") } == ["1", "2"])
        #expect(lines.last?.child("LineExtensionAmount")?.attribute("currencyID") == "USD")
        #expect(lines.first?.child("LineExtensionAmount")?.attribute("currencyID") == "EUR")
        #expect(lines.first?.child("LineExtensionAmount")?.attribute("missing") == nil)
        #expect(root.text("InvoiceLine", "LineExtensionAmount") == "10.00")
        #expect(root.first("InvoiceLine", "ID")?.line == 9)
        // White space alone is no text, and a name the document never uses finds nothing.
        #expect(lines.last?.child("Empty")?.text == nil)
        #expect(lines.last?.text == nil)
        #expect(root.child("NoSuchElement") == nil)
        #expect(root.children("NoSuchElement").isEmpty)
        #expect(root.all("InvoiceLine", "ID").count == 2)
    }

    @Test("xpath names the document's prefixes and positions among same-named siblings only")
    func xpath() throws {
        let tree = try XMLTree.parse(Array(Self.invoice.utf8))
        let lines = tree.root.children("InvoiceLine")
        #expect(lines.last?.child("LineExtensionAmount")?.xpath == "/Invoice/cac:InvoiceLine[2]/cbc:LineExtensionAmount")
        #expect(tree.root.child("ID")?.xpath == "/Invoice/cbc:ID")
        #expect(tree.root.children("Note").last?.xpath == "/Invoice/cbc:Note[2]")
        #expect(tree.root.xpath == "/Invoice")
    }

    @Test("a document with hundreds of distinct element names: every one is found (the name table grows)")
    func manyNames() throws {
        var xml = "<root>"
        for i in 0..<700 { xml += "<n\(i) k=\"\(i)\">v\(i)</n\(i)>" }
        xml += "</root>"
        let root = try XMLTree.parse(Array(xml.utf8)).root
        for i in 0..<700 {
            #expect(root.text("n\(i)") == "v\(i)")
            #expect(root.child("n\(i)")?.attribute("k") == "\(i)")
            #expect(root.child("n\(i)")?.localName == "n\(i)")
        }
        #expect(root.child("n700") == nil)
        #expect(root.children.count == 700)
    }
}
