import Testing

@testable import FinDocXML

/// Reads every node and returns (type, name, value) triples, or the error.
private func nodes(_ text: String) -> (nodes: [(XMLNodeType, String, String?)], error: XMLError?) {
    var out: [(XMLNodeType, String, String?)] = []
    do {
        let reader = try XMLStreamReader(bytes: Array(text.utf8))
        while try reader.next() { out.append((reader.nodeType, reader.localName, reader.value)) }
        return (out, nil)
    } catch {
        return (out, error)
    }
}

@Suite("XML stream reader")
struct XMLStreamReaderTests {
    @Test func readsElementsTextNamespacesAndLines() throws {
        let text = "<?xml version=\"1.0\"?>\n<a:Doc xmlns:a=\"urn:x\">\n  <a:B id=\"7\">hi &amp; bye</a:B>\n  <C/>\n</a:Doc>"
        let reader = try XMLStreamReader(bytes: Array(text.utf8))
        var seen: [String] = []
        while try reader.next() {
            switch reader.nodeType {
            case .element:
                seen.append("<\(reader.localName)@\(reader.depth) ns=\(reader.namespaceURI ?? "-") empty=\(reader.isEmptyElement)")
                if reader.localName == "B" {
                    #expect(reader.attribute("id") == "7")
                    #expect(reader.line == 3)
                }
            case .text: seen.append("text=\(reader.value ?? "")")
            case .endElement: seen.append("</\(reader.localName)")
            default: break
            }
        }
        #expect(
            seen == [
                "<Doc@0 ns=urn:x empty=false", "<B@1 ns=urn:x empty=false", "text=hi & bye", "</B",
                "<C@1 ns=- empty=true", "</Doc",
            ])
    }

    @Test func malformedXMLGivesAnErrorWithItsLine() {
        let result = nodes("<a>\n<b>\n</c>\n</a>")
        let error = result.error
        #expect(error?.line == 3)
        #expect(error?.message.isEmpty == false)
        #expect(error?.diagnostic(file: "f.xml", code: "xml").location.line == 3)
    }

    @Test func truncatedDocumentIsAnError() {
        let result = nodes("<a>\n<b>text</b>\n<b>mo")
        #expect(result.error != nil)
        #expect(result.nodes.contains { $0.1 == "b" })
    }

    @Test func emptyInputIsAnError() {
        #expect(throws: XMLError.self) { _ = try XMLStreamReader(bytes: []) }
    }

    @Test func billionLaughsIsNotExpanded() {
        var doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n"
        doc += "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
        for level in 2...9 {
            let previous = "&lol\(level - 1);"
            doc += "<!ENTITY lol\(level) \"\(String(repeating: previous, count: 10))\">\n"
        }
        doc += "]>\n<lolz>&lol9;</lolz>\n"
        let result = nodes(doc)
        let text = result.nodes.compactMap { $0.0 == .text ? $0.2 : nil }.joined()
        #expect(text.count < 1000, "entities must not be expanded")
    }

    @Test func externalEntityIsNeverFetched() {
        let doc =
            "<?xml version=\"1.0\"?>\n<!DOCTYPE r [\n<!ENTITY x SYSTEM \"file:///etc/passwd\">\n]>\n<r>before &x; after</r>\n"
        let result = nodes(doc)
        let all = result.nodes.compactMap(\.2).joined()
        #expect(!all.contains("root:"))
        #expect(result.error != nil || all.contains("before"))
    }

    @Test func externalDTDIsNotLoaded() {
        let doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE r SYSTEM \"file:///etc/passwd\">\n<r>ok</r>\n"
        let result = nodes(doc)
        let all = result.nodes.compactMap(\.2).joined()
        #expect(!all.contains("root:"))
    }

    @Test func arbitraryBytesNeverTrap() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let count = Int.random(in: 1...64, using: &generator)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if let reader = try? XMLStreamReader(bytes: [UInt8(ascii: "<")] + bytes) {
                while (try? reader.next()) == true {}
            }
        }
    }

    /// Name ids: the same local name gets the same id whatever its prefix, and `name(ofID:)` gives it back; checked
    /// against the names `localName` reports, over a document with many repeats and one name per element kind.
    @Test func localNameIDsFollowTheNames() throws {
        var text = "<r:Doc xmlns:r=\"urn:x\" xmlns:q=\"urn:y\">"
        for i in 0..<300 { text += "<r:Ntry><q:Amt Ccy=\"EUR\">\(i)</q:Amt><Amt/><N\(i % 7)>x</N\(i % 7)></r:Ntry>" }
        text += "</r:Doc>"
        let reader = try XMLStreamReader(bytes: Array(text.utf8))
        var idOf: [String: Int] = [:]
        var elements = 0
        while try reader.next() {
            guard reader.nodeType == .element || reader.nodeType == .endElement else { continue }
            let id = reader.localNameID, name = reader.localName
            #expect(reader.name(ofID: id) == name)
            if let seen = idOf[name] { #expect(seen == id, "\(name)") } else { idOf[name] = id }
            elements += 1
        }
        #expect(elements == 2 + 300 * 7)  // start and end tags: Doc, then per entry Ntry, Amt, N… twice, <Amt/> once
        #expect(idOf.count == 3 + 7)  // Doc, Ntry, Amt and N0…N6
        #expect(Set(idOf.values).count == idOf.count)
    }

    /// `nodeTypeWithBlankText` is `nodeType` except that white space comes as text; `valueIsBlank` says which text
    /// is white space only.
    @Test func blankTextComesAsTextWhenAsked() throws {
        let text = "<a>\n  <b> \t</b>\r\n  <c>x y</c><d><![CDATA[  ]]></d><e>\u{A0}</e>\n</a>"
        let reader = try XMLStreamReader(bytes: Array(text.utf8))
        var seen: [String] = []
        while try reader.next() {
            let plain = reader.nodeType, coarse = reader.nodeTypeWithBlankText
            if plain == .whitespace {
                #expect(coarse == .text)
            } else {
                #expect(coarse == plain)
            }
            if coarse == .text || coarse == .cdata { seen.append("\(reader.valueIsBlank)") }
        }
        // "\n  ", " \t", "\n  " (CR LF read as LF), "x y", the CDATA's two spaces, U+00A0 (not blank), "\n".
        #expect(seen == ["true", "true", "true", "false", "true", "false", "true"])
    }
}
