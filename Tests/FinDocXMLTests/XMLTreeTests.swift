import Foundation
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

/// The tree built from libxml2's events (`XMLTree.parse(_:url:)`) against the one built from libxml2's own tree (the
/// reference: `parse(_:url:limit:schemaFor:)`), element by element, on every invoice in the shared data and on
/// hand-written documents with mixed content, comments, CDATA, entities and default namespaces.
@Suite struct XMLTreeFromEventsTests {
    /// Every element of `tree` as one line: path of indices, names, namespace, text, line, attributes, xpath.
    static func describe(_ tree: XMLTree) -> [String] {
        var out: [String] = []
        func walk(_ element: XMLElement, _ path: String) {
            let attributes = tree.attributes[
                Int(tree.nodes[Int(element.index)].firstAttribute)..<Int(
                    tree.nodes[Int(element.index)].firstAttribute + tree.nodes[Int(element.index)].attributeCount)]
                .map { "\($0.name)=\($0.value)" }.joined(separator: ",")
            out.append(
                "\(path) \(element.qualifiedName) {\(element.namespaceURI ?? "-")} [\(element.rawText)] "
                    + "line \(element.line) @[\(attributes)] \(element.xpath) parent \(element.parent?.index ?? -1)")
            for (i, child) in element.children.enumerated() { walk(child, path + "/\(i)") }
        }
        walk(tree.root, "")
        return out
    }

    static func compare(_ bytes: [UInt8], _ name: String) {
        let reference: Result<XMLTree, XMLError>
        do throws(XMLError) {
            reference = .success(try XMLTree.parse(bytes, url: name, schemaFor: { _, _ in nil }).tree)
        } catch {
            reference = .failure(error)
        }
        let events: Result<XMLTree, XMLError>
        do throws(XMLError) {
            events = .success(try XMLTree.parse(bytes, url: name))
        } catch {
            events = .failure(error)
        }
        switch (reference, events) {
        case (.success(let a), .success(let b)):
            let expected = describe(a), got = describe(b)
            #expect(got.count == expected.count, "\(name)")
            if let first = (0..<min(got.count, expected.count)).first(where: { got[$0] != expected[$0] }) {
                Issue.record("\(name): \(got[first].prefix(300)) instead of \(expected[first].prefix(300))")
            }
        case (.failure(let a), .failure(let b)):
            #expect(a.message == b.message, "\(name)")
            #expect(a.line == b.line, "\(name)")
        default:
            Issue.record("\(name): libxml2's tree gives \(reference), the events give \(events)")
        }
    }

    @Test func everySharedInvoiceGivesTheSameTree() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data")
        let folders = [
            "invoices_peppol_bis3", "invoices_xrechnung_testsuite", "invoices_facturx_akretion",
            "invoices_mustangproject",
        ]
        var files: [URL] = []
        for folder in folders {
            guard let walker = FileManager.default.enumerator(at: root.appendingPathComponent(folder), includingPropertiesForKeys: nil)
            else { continue }
            for case let url as URL in walker where url.pathExtension.lowercased() == "xml" { files.append(url) }
        }
        guard FileManager.default.fileExists(atPath: root.path) else {
            print("../shared/data is absent: only the hand-written documents are compared")
            return
        }
        #expect(files.count >= 50, "expected the shared invoices under \(root.path)")
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: file))
            Self.compare(bytes, file.lastPathComponent)
        }
    }

    @Test func handWrittenDocumentsGiveTheSameTree() {
        let documents = [
            XMLTreeTests.invoice,
            "<a>x<b/>  <c>y</c> z<!-- c -->w<![CDATA[ <v> ]]>&amp;&#65;</a>",
            "<r xmlns=\"urn:d\" xmlns:p=\"urn:p\" xmlns:q=\"urn:p\"><p:e q:at=\"1\" b=\"x &amp; y\"/><q:e/><e xmlns=\"\"/></r>",
            "<?xml version=\"1.0\"?>\n<!DOCTYPE r [\n<!ENTITY co \"Company\">\n]>\n<r>\n  <n>a &co; b</n>\n</r>\n",
            "<r>\n\n   </r>",
            "<r><a>1</a><a>2</a><b><a>3</a></b></r>",
            "<a>\n<b>\n</c>\n</a>",
            "<a><b>text</b>",
            "not xml at all",
        ]
        for (i, text) in documents.enumerated() { Self.compare(Array(text.utf8), "doc\(i).xml") }
    }
}
