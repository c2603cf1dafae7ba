import CLibXML2
import FinDocCore

/// The readable text of an HTML page, as blocks (paragraphs, headings, list items, table cells) in document order,
/// parsed with libxml2's forgiving HTML parser.
///
/// Scripts, styles, navigation, headers, footers, forms and other non-content elements are dropped. Safe for
/// untrusted input: the network is never used (`HTML_PARSE_NONET`), and malformed markup is recovered rather than
/// rejected, as browsers do.
///
/// ```swift
/// let blocks = try HTMLText.blocks(of: Array(html.utf8))
/// ```
public enum HTMLText {
    /// The text blocks of `bytes`, each with runs of white space collapsed; empty blocks are left out.
    ///
    /// - Throws: `XMLError` when libxml2 cannot build a document at all (e.g. no bytes).
    public static func blocks(of bytes: [UInt8]) throws -> [String] {
        guard !bytes.isEmpty, bytes.count < Int(Int32.max) else {
            throw XMLError(message: "no HTML to parse", line: nil, column: nil)
        }
        let options = Int32(HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOBLANKS.rawValue)
        let document: htmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.flatMap { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    htmlReadMemory($0, Int32(buffer.count), nil, nil, options)
                }
            }
        }
        guard let document else { throw XMLError(message: "libxml2 could not parse this HTML", line: nil, column: nil) }
        defer { xmlFreeDoc(document) }
        var collector = Collector()
        if let root = xmlDocGetRootElement(document) { collector.walk(root, depth: 0) }
        collector.flush()
        return collector.blocks
    }

    private struct Collector {
        var blocks: [String] = []
        var current = ""

        mutating func flush() {
            var out = ""
            var space = false
            for scalar in current.unicodeScalars {
                if scalar.properties.isWhitespace {
                    space = !out.isEmpty
                    continue
                }
                if space {
                    out.unicodeScalars.append(" ")
                    space = false
                }
                out.unicodeScalars.append(scalar)
            }
            if !out.isEmpty { blocks.append(out) }
            current = ""
        }

        mutating func walk(_ node: xmlNodePtr, depth: Int) {
            // Deeply nested markup is flattened rather than recursed into without bound.
            guard depth < 256 else { return }
            var child: xmlNodePtr? = node
            while let current = child {
                visit(current, depth: depth)
                child = current.pointee.next
                if depth == 0 { break }
            }
        }

        private mutating func visit(_ node: xmlNodePtr, depth: Int) {
            switch node.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = node.pointee.content { current += String(cString: content) }
            case XML_ELEMENT_NODE:
                let name = node.pointee.name.map { String(cString: $0).lowercased() } ?? ""
                if HTMLText.dropped.contains(name) { return }
                let block = HTMLText.blockElements.contains(name)
                if block { flush() }
                if name == "br" {
                    flush()
                    return
                }
                if let first = node.pointee.children { walk(first, depth: depth + 1) }
                if block { flush() }
            default:
                break
            }
        }
    }

    static let dropped: Set<String> = [
        "script", "style", "nav", "header", "footer", "noscript", "template", "form", "button", "select", "iframe",
        "svg", "canvas", "head", "aside", "menu",
    ]
    static let blockElements: Set<String> = [
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "div", "td", "th", "tr", "blockquote", "pre", "dt", "dd",
        "section", "article", "main", "table", "ul", "ol", "dl", "body", "figcaption", "hr", "address",
    ]
}
