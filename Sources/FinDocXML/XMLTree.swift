import CLibXML2
import FinDocCore

/// A parsed XML document as a compact, immutable tree of elements (libxml2's DOM, copied into Swift arrays and
/// freed at once), for documents small enough to hold whole: invoices, not 100 MB statements (use
/// `XMLStreamReader` for those).
///
/// Lookups are by local name, so they work whatever namespace prefixes a document chose (`cbc:ID`, `ID` under a
/// default namespace, `ns2:ID`); the namespace URI is there for the few checks that need it (the root element).
/// Parsing is safe for untrusted input: `XML_PARSE_NONET`, no entity substitution (`XML_PARSE_NOENT` is never set),
/// no DTD loading, `XML_PARSE_NO_XXE` where libxml2 has it, and libxml2's size and depth limits stay on
/// (`XML_PARSE_HUGE` is never set), so an entity bomb is refused rather than expanded.
public final class XMLTree: Sendable {
    /// One element.
    struct Node: Sendable {
        var localName: String
        var prefix: String?
        var namespaceURI: String?
        var text: String
        var attributes: [(name: String, value: String)]
        var line: Int
        var parent: Int32
        var firstChild: Int32 = -1
        var nextSibling: Int32 = -1
    }

    let nodes: [Node]

    private init(nodes: [Node]) {
        self.nodes = nodes
    }

    /// The root element.
    public var root: XMLElement { XMLElement(tree: self, index: 0) }

    /// Number of elements in the document.
    public var elementCount: Int { nodes.count }

    /// libxml2 is initialised once per process, before any parse (required for use from several threads).
    private static let initialised: Bool = {
        xmlInitParser()
        return true
    }()

    /// Collects the first error libxml2 reports while parsing.
    private final class ErrorBox {
        var first: XMLError?
    }

    /// Parses `bytes`. `url` names the document in libxml2's messages only; it is never fetched.
    ///
    /// - Throws: `XMLError` with the line and column of the first error when the document is not well-formed, is
    ///   truncated, is empty, or trips one of libxml2's limits (an entity bomb).
    public static func parse(_ bytes: [UInt8], url: String = "document.xml") throws(XMLError) -> XMLTree {
        try parse(bytes, url: url, schemaFor: { _, _ in nil }).tree
    }

    /// Parses `bytes` and, when `schemaFor` returns a schema for the root element (local name, namespace URI),
    /// validates the document against it before it is freed. Returns the tree and the validation errors (at most
    /// `limit`).
    public static func parse(
        _ bytes: [UInt8], url: String = "document.xml", limit: Int = 10,
        schemaFor: (_ localName: String, _ namespaceURI: String?) -> XMLSchema?
    ) throws(XMLError) -> (tree: XMLTree, schemaErrors: [XMLError]) {
        _ = initialised
        guard !bytes.isEmpty else { throw XMLError(message: "the document is empty", line: 1) }
        guard bytes.count < Int(Int32.max) else { throw XMLError(message: "the document is larger than 2 GiB") }
        let box = ErrorBox()
        let boxPointer = Unmanaged.passRetained(box).toOpaque()
        defer { Unmanaged<ErrorBox>.fromOpaque(boxPointer).release() }
        let handler: xmlStructuredErrorFunc = { userData, error in
            guard let userData, let error else { return }
            let box = Unmanaged<ErrorBox>.fromOpaque(userData).takeUnretainedValue()
            let item = error.pointee
            guard item.level.rawValue >= 2, box.first == nil else { return }
            var message = item.message.map { String(cString: $0) } ?? "XML error \(item.code)"
            while let last = message.last, last == "\n" || last == " " { message.removeLast() }
            box.first = XMLError(
                message: message, line: item.line > 0 ? Int(item.line) : nil,
                column: item.int2 > 0 ? Int(item.int2) : nil, code: Int(item.code))
        }
        // libxml2's error handler globals are per thread, so this does not disturb parses on other threads.
        xmlSetStructuredErrorFunc(boxPointer, handler)
        defer { xmlSetStructuredErrorFunc(nil, nil) }
        let options =
            Int32(XML_PARSE_NONET.rawValue) | Int32(XML_PARSE_BIG_LINES.rawValue) | findoc_xml_parse_no_xxe()
        let parsed = bytes.withUnsafeBufferPointer { buffer -> xmlDocPtr? in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                guard let base = chars.baseAddress else { return nil }
                return xmlReadMemory(base, Int32(chars.count), url, nil, options)
            }
        }
        guard let document = parsed else {
            throw box.first ?? XMLError(message: "the document is not well-formed XML", line: 1)
        }
        defer { xmlFreeDoc(document) }
        if let error = box.first { throw error }
        guard let rootNode = xmlDocGetRootElement(document) else {
            throw XMLError(message: "the document has no root element", line: 1)
        }
        var nodes: [Node] = []
        nodes.reserveCapacity(256)
        append(rootNode, parent: -1, into: &nodes)
        let tree = XMLTree(nodes: nodes)
        var schemaErrors: [XMLError] = []
        if let schema = schemaFor(tree.root.localName, tree.root.namespaceURI) {
            // Validation errors go to the schema's own handler; keep the parse handler from seeing them.
            xmlSetStructuredErrorFunc(nil, nil)
            schemaErrors = schema.validate(document, limit: limit)
        }
        return (tree, schemaErrors)
    }

    /// Copies `node` and its element descendants, depth first, linking first child and next sibling.
    @discardableResult
    private static func append(_ node: xmlNodePtr, parent: Int32, into nodes: inout [Node]) -> Int32 {
        let index = Int32(nodes.count)
        let element = node.pointee
        let localName = element.name.map { String(cString: $0) } ?? ""
        var prefix: String?
        var namespaceURI: String?
        if let ns = element.ns {
            prefix = ns.pointee.prefix.map { String(cString: $0) }
            namespaceURI = ns.pointee.href.map { String(cString: $0) }
        }
        var attributes: [(name: String, value: String)] = []
        var attribute = element.properties
        while let current = attribute {
            let name = current.pointee.name.map { String(cString: $0) } ?? ""
            var value = ""
            if let valueNode = current.pointee.children, let content = valueNode.pointee.content {
                value = String(cString: content)
            }
            attributes.append((name, value))
            attribute = current.pointee.next
        }
        nodes.append(
            Node(
                localName: localName, prefix: prefix, namespaceURI: namespaceURI, text: "", attributes: attributes,
                line: Int(xmlGetLineNo(node)), parent: parent))
        var text = ""
        var previousChild: Int32 = -1
        var child = element.children
        while let current = child {
            switch current.pointee.type {
            case XML_ELEMENT_NODE:
                let childIndex = append(current, parent: index, into: &nodes)
                if previousChild < 0 {
                    nodes[Int(index)].firstChild = childIndex
                } else {
                    nodes[Int(previousChild)].nextSibling = childIndex
                }
                previousChild = childIndex
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content { text += String(cString: content) }
            default:
                // Comments, processing instructions and unexpanded entity references carry no data for us.
                break
            }
            child = current.pointee.next
        }
        if !text.isEmpty { nodes[Int(index)].text = text }
        return index
    }
}

/// An element of an `XMLTree`: a cheap handle (the tree and an index) with namespace-agnostic lookups.
public struct XMLElement: Sendable {
    let tree: XMLTree
    let index: Int32

    private var node: XMLTree.Node { tree.nodes[Int(index)] }

    /// The element's local name, without prefix.
    public var localName: String { node.localName }

    /// The element's namespace URI, if any.
    public var namespaceURI: String? { node.namespaceURI }

    /// The prefixed name as written (`cbc:ID`), or the local name.
    public var qualifiedName: String {
        let node = self.node
        if let prefix = node.prefix { return prefix + ":" + node.localName }
        return node.localName
    }

    /// The element's own character data (text and CDATA children, not descendants'), as written.
    public var rawText: String { node.text }

    /// The element's own character data with leading and trailing white space removed; nil when that is empty.
    public var text: String? {
        let raw = node.text
        guard !raw.isEmpty else { return nil }
        let trimmed = raw.trimmingASCIIWhitespace()
        return trimmed.isEmpty ? nil : String(trimmed)
    }

    /// The 1-based line of the element's start tag.
    public var line: Int { node.line }

    /// The value of the attribute with this (local) name.
    public func attribute(_ name: String) -> String? {
        for attribute in node.attributes where attribute.name == name { return attribute.value }
        return nil
    }

    /// The parent element, nil for the root.
    public var parent: XMLElement? {
        let parent = node.parent
        return parent < 0 ? nil : XMLElement(tree: tree, index: parent)
    }

    /// The child elements, in document order.
    public var children: [XMLElement] {
        var out: [XMLElement] = []
        var child = node.firstChild
        while child >= 0 {
            out.append(XMLElement(tree: tree, index: child))
            child = tree.nodes[Int(child)].nextSibling
        }
        return out
    }

    /// The first child element with this local name.
    public func child(_ name: String) -> XMLElement? {
        var child = node.firstChild
        while child >= 0 {
            let candidate = tree.nodes[Int(child)]
            if candidate.localName == name { return XMLElement(tree: tree, index: child) }
            child = candidate.nextSibling
        }
        return nil
    }

    /// Every child element with this local name, in document order.
    public func children(_ name: String) -> [XMLElement] {
        var out: [XMLElement] = []
        var child = node.firstChild
        while child >= 0 {
            let candidate = tree.nodes[Int(child)]
            if candidate.localName == name { out.append(XMLElement(tree: tree, index: child)) }
            child = candidate.nextSibling
        }
        return out
    }

    /// The first element reached by following child local names, e.g. `first("Price", "PriceAmount")`.
    public func first(_ path: String...) -> XMLElement? {
        first(path)
    }

    /// The first element reached by following `path` (child local names).
    public func first(_ path: [String]) -> XMLElement? {
        var current = self
        for name in path {
            guard let next = current.child(name) else { return nil }
            current = next
        }
        return current
    }

    /// The trimmed text of the first element at `path`, nil when absent or empty.
    public func text(_ path: String...) -> String? {
        first(path)?.text
    }

    /// Every element reached by following `path`: all matches at each step, in document order.
    public func all(_ path: String...) -> [XMLElement] {
        var current = [self]
        for name in path { current = current.flatMap { $0.children(name) } }
        return current
    }

    /// A locating XPath such as `/ubl:Invoice/cac:InvoiceLine[2]/cbc:LineExtensionAmount`, with the document's own
    /// prefixes and a position wherever siblings share the name. (With a default namespace it names elements
    /// without prefix; it is meant for people and for tools that match by local name.)
    public var xpath: String {
        var steps: [String] = []
        var current: XMLElement? = self
        while let element = current {
            var step = element.qualifiedName
            if let parent = element.parent {
                let name = element.localName
                var position = 0
                var count = 0
                var child = tree.nodes[Int(parent.index)].firstChild
                while child >= 0 {
                    let sibling = tree.nodes[Int(child)]
                    if sibling.localName == name {
                        count += 1
                        if child == element.index { position = count }
                    }
                    child = sibling.nextSibling
                }
                if count > 1 { step += "[\(position)]" }
            }
            steps.append(step)
            current = element.parent
        }
        return "/" + steps.reversed().joined(separator: "/")
    }
}
