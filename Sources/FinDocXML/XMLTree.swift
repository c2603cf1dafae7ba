import CLibXML2
import FinDocCore

/// A parsed XML document as a compact, immutable tree of elements (built from libxml2's SAX2 events, or from its DOM
/// when the document is also validated), for documents small enough to hold whole: invoices, not 100 MB statements
/// (use `XMLEventReader` for those).
///
/// Lookups are by local name, so they work whatever namespace prefixes a document chose (`cbc:ID`, `ID` under a
/// default namespace, `ns2:ID`); the namespace URI is there for the few checks that need it (the root element).
/// Parsing is safe for untrusted input: `XML_PARSE_NONET`, no entity substitution (`XML_PARSE_NOENT` is never set),
/// no DTD loading, `XML_PARSE_NO_XXE` where libxml2 has it, and libxml2's size and depth limits stay on
/// (`XML_PARSE_HUGE` is never set), so an entity bomb is refused rather than expanded.
///
/// Storage is built for the readers' access pattern, a walk over child elements comparing local names: every distinct
/// local name and every namespace gets a small integer once per document, so a lookup compares integers instead of
/// Strings, and a node holds one reference-counted field (its text) instead of five. (A profile of 1,000 UBL
/// invoices had String comparisons, copies of nodes and the namespace URI allocated for every element at about a
/// fifth of parsing.)
public final class XMLTree: Sendable {
    /// One element.
    struct Node: Sendable {
        /// Index into `names`.
        var name: Int32
        /// Index into `namespaces`, -1 when the element has none.
        var namespace: Int32
        /// Character data; white space alone is kept as "".
        var text: String
        /// The element's attributes are `attributes[firstAttribute ..< firstAttribute + attributeCount]`.
        var firstAttribute: Int32
        var attributeCount: Int32
        var line: Int
        var parent: Int32
        var firstChild: Int32 = -1
        var nextSibling: Int32 = -1
    }

    let nodes: [Node]
    /// Distinct local names and their ids.
    let names: NameTable
    /// Distinct (prefix, URI) pairs, by id.
    let namespaces: [(prefix: String?, uri: String?)]
    let attributes: [(name: String, value: String)]

    private init(builder: Builder) {
        self.nodes = builder.nodes
        self.names = builder.names
        self.namespaces = builder.namespaces
        self.attributes = builder.attributes
    }

    /// The root element.
    public var root: XMLElement { XMLElement(tree: self, index: 0) }

    /// Number of elements in the document.
    public var elementCount: Int { nodes.count }

    /// Collects the first error libxml2 reports while parsing.
    private final class ErrorBox {
        var first: XMLError?
    }

    /// Parses `bytes`. `url` names the document in libxml2's messages only; it is never fetched.
    ///
    /// The tree is built from libxml2's SAX2 events (`XMLEventReader`), without libxml2's own tree: building that
    /// tree and copying it here was two thirds of parsing a UBL invoice (callgrind, 500 invoices). The result is the
    /// tree `parse(_:url:limit:schemaFor:)` builds from libxml2's, except that lines past 65,535 are exact only in
    /// this one.
    ///
    /// - Throws: `XMLError` with the line and column of the first error when the document is not well-formed, is
    ///   truncated, is empty, or trips one of libxml2's limits (an entity bomb).
    public static func parse(_ bytes: [UInt8], url: String = "document.xml") throws(XMLError) -> XMLTree {
        let reader = try XMLEventReader(bytes: bytes, url: url, keepingBlankText: true)
        var builder = Builder()
        // Per reader name id: the tree's name id (-1 not yet known).
        var treeNames: [Int32] = []
        // Tree namespace id by (prefix id, URI id) of the reader.
        var treeNamespaces: [Int64: Int32] = [:]
        var lastNamespace: (key: Int64, id: Int32) = (-1, -1)
        // Open elements: index, last child so far, and text so far.
        var open: [(index: Int32, lastChild: Int32, text: String)] = []
        while try reader.next() {
            switch reader.kind {
            case .start:
                let nameID = reader.localNameID
                while treeNames.count <= nameID { treeNames.append(-1) }
                if treeNames[nameID] < 0 {
                    treeNames[nameID] = reader.withNameBytes(ofID: nameID) { builder.names.intern($0) }
                }
                var namespace: Int32 = -1
                let uriID = reader.namespaceURIID
                if uriID >= 0 {
                    let prefixID = reader.prefixID
                    let key = Int64(prefixID) << 32 | Int64(uriID)
                    // Runs of elements share a namespace: the last one is checked before the table.
                    if key == lastNamespace.key {
                        namespace = lastNamespace.id
                    } else if let known = treeNamespaces[key] {
                        namespace = known
                    } else {
                        namespace = builder.namespaceID(
                            prefix: prefixID >= 0 ? reader.name(ofID: prefixID) : nil, uri: reader.name(ofID: uriID))
                        treeNamespaces[key] = namespace
                    }
                    lastNamespace = (key, namespace)
                }
                let index = Int32(builder.nodes.count)
                let firstAttribute = Int32(builder.attributes.count)
                if reader.attributeCount > 0 { builder.attributes.append(contentsOf: reader.attributes) }
                let parent = open.last?.index ?? -1
                builder.nodes.append(
                    Node(
                        name: treeNames[nameID], namespace: namespace, text: "", firstAttribute: firstAttribute,
                        attributeCount: Int32(builder.attributes.count) - firstAttribute, line: reader.line,
                        parent: parent))
                if let last = open.indices.last {
                    if open[last].lastChild < 0 {
                        builder.nodes[Int(parent)].firstChild = index
                    } else {
                        builder.nodes[Int(open[last].lastChild)].nextSibling = index
                    }
                    open[last].lastChild = index
                }
                open.append((index, -1, ""))
            case .text:
                if let last = open.indices.last { open[last].text += reader.text }
            case .end:
                // An element whose text is only white space (the indentation of its children) gets no text event
                // at all (`keepingBlankText`), so whatever text arrived is kept whole.
                guard let element = open.popLast() else { break }
                builder.nodes[Int(element.index)].text = element.text
            case .entityReference:
                // Unexpanded entity references carry no data for us.
                break
            }
        }
        guard !builder.nodes.isEmpty else { throw XMLError(message: "the document has no root element", line: 1) }
        return XMLTree(builder: builder)
    }

    /// Parses `bytes` and, when `schemaFor` returns a schema for the root element (local name, namespace URI),
    /// validates the document against it before it is freed. Returns the tree and the validation errors (at most
    /// `limit`).
    public static func parse(
        _ bytes: [UInt8], url: String = "document.xml", limit: Int = 10,
        schemaFor: (_ localName: String, _ namespaceURI: String?) -> XMLSchema?
    ) throws(XMLError) -> (tree: XMLTree, schemaErrors: [XMLError]) {
        LibXML2.initialise()
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
        var builder = Builder()
        builder.append(rootNode, parent: -1)
        let tree = XMLTree(builder: builder)
        var schemaErrors: [XMLError] = []
        if let schema = schemaFor(tree.root.localName, tree.root.namespaceURI) {
            // Validation errors go to the schema's own handler; keep the parse handler from seeing them.
            xmlSetStructuredErrorFunc(nil, nil)
            schemaErrors = schema.validate(document, limit: limit)
        }
        return (tree, schemaErrors)
    }

    /// Collects a document's elements while libxml2's tree is walked.
    private struct Builder {
        var nodes: [Node] = []
        var names = NameTable()
        var namespaces: [(prefix: String?, uri: String?)] = []
        var attributes: [(name: String, value: String)] = []
        var namespaceByPointer: [xmlNsPtr: Int32] = [:]

        init() {
            nodes.reserveCapacity(256)
        }

        mutating func nameID(_ pointer: UnsafePointer<xmlChar>?) -> Int32 {
            guard let pointer else { return names.intern(UnsafeBufferPointer(start: nil, count: 0)) }
            return names.intern(UnsafeBufferPointer(start: pointer, count: Int(xmlStrlen(pointer))))
        }

        mutating func namespaceID(_ ns: xmlNsPtr?) -> Int32 {
            guard let ns else { return -1 }
            if let id = namespaceByPointer[ns] { return id }
            let id = namespaceID(
                prefix: ns.pointee.prefix.map { String(cString: $0) }, uri: ns.pointee.href.map { String(cString: $0) })
            namespaceByPointer[ns] = id
            return id
        }

        /// The id of the (prefix, URI) pair, added when new.
        mutating func namespaceID(prefix: String?, uri: String?) -> Int32 {
            if let same = namespaces.firstIndex(where: { $0.prefix == prefix && $0.uri == uri }) { return Int32(same) }
            namespaces.append((prefix, uri))
            return Int32(namespaces.count - 1)
        }

        /// Copies `node` and its element descendants, depth first, linking first child and next sibling.
        @discardableResult
        mutating func append(_ node: xmlNodePtr, parent: Int32) -> Int32 {
            let index = Int32(nodes.count)
            let element = node.pointee
            let firstAttribute = Int32(attributes.count)
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
                    name: nameID(element.name), namespace: namespaceID(element.ns), text: "",
                    firstAttribute: firstAttribute, attributeCount: Int32(attributes.count) - firstAttribute,
                    line: Int(xmlGetLineNo(node)), parent: parent))
            // Text and CDATA children of this element. Most elements have one text child or only indentation, so
            // the bytes are copied only when a second piece of text follows the first.
            var firstText: UnsafeBufferPointer<UInt8>?
            var moreText: [UInt8] = []
            var previousChild: Int32 = -1
            var child = element.children
            while let current = child {
                switch current.pointee.type {
                case XML_ELEMENT_NODE:
                    let childIndex = append(current, parent: index)
                    if previousChild < 0 {
                        nodes[Int(index)].firstChild = childIndex
                    } else {
                        nodes[Int(previousChild)].nextSibling = childIndex
                    }
                    previousChild = childIndex
                case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                    if let content = current.pointee.content {
                        let piece = UnsafeBufferPointer(start: content, count: Int(xmlStrlen(content)))
                        if let first = firstText {
                            if moreText.isEmpty { moreText.append(contentsOf: first) }
                            moreText.append(contentsOf: piece)
                        } else {
                            firstText = piece
                        }
                    }
                default:
                    // Comments, processing instructions and unexpanded entity references carry no data for us.
                    break
                }
                child = current.pointee.next
            }
            // The white space that indents child elements is most elements' only text; it is never read, so it
            // is not kept.
            if !moreText.isEmpty {
                if !moreText.allSatisfy(Self.isXMLSpace) {
                    nodes[Int(index)].text = String(decoding: moreText, as: UTF8.self)
                }
            } else if let first = firstText, !first.allSatisfy(Self.isXMLSpace) {
                nodes[Int(index)].text = String(decoding: first, as: UTF8.self)
            }
            return index
        }

        /// XML's white space: space, tab, line feed, carriage return.
        static func isXMLSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
    }
}

/// An element of an `XMLTree`: a cheap handle (the tree and an index) with namespace-agnostic lookups.
public struct XMLElement: Sendable {
    let tree: XMLTree
    let index: Int32

    private var node: XMLTree.Node { tree.nodes[Int(index)] }

    /// The element's local name, without prefix.
    public var localName: String { tree.names.names[Int(tree.nodes[Int(index)].name)] }

    /// The element's namespace URI, if any.
    public var namespaceURI: String? {
        let namespace = tree.nodes[Int(index)].namespace
        return namespace < 0 ? nil : tree.namespaces[Int(namespace)].uri
    }

    /// The prefixed name as written (`cbc:ID`), or the local name.
    public var qualifiedName: String {
        let namespace = tree.nodes[Int(index)].namespace
        if namespace >= 0, let prefix = tree.namespaces[Int(namespace)].prefix { return prefix + ":" + localName }
        return localName
    }

    /// The element's own character data (text and CDATA children, not descendants'), as written; "" when it is
    /// only white space.
    public var rawText: String { node.text }

    /// The element's own character data with leading and trailing white space removed; nil when that is empty.
    public var text: String? {
        let raw = tree.nodes[Int(index)].text
        guard !raw.isEmpty else { return nil }
        let trimmed = raw.trimmingASCIIWhitespace()
        // Most values have nothing to trim: then the stored String itself is returned, not a copy.
        if trimmed.startIndex == raw.startIndex && trimmed.endIndex == raw.endIndex { return raw }
        return trimmed.isEmpty ? nil : String(trimmed)
    }

    /// The 1-based line of the element's start tag.
    public var line: Int { node.line }

    /// The value of the attribute with this (local) name.
    public func attribute(_ name: String) -> String? {
        let node = tree.nodes[Int(index)]
        let start = Int(node.firstAttribute)
        for attribute in tree.attributes[start..<(start + Int(node.attributeCount))] where attribute.name == name {
            return attribute.value
        }
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
        guard let id = tree.names.id(of: name) else { return nil }
        return child(id: id)
    }

    /// The first child element whose local name has this id.
    private func child(id: Int32) -> XMLElement? {
        var child = tree.nodes[Int(index)].firstChild
        while child >= 0 {
            if tree.nodes[Int(child)].name == id { return XMLElement(tree: tree, index: child) }
            child = tree.nodes[Int(child)].nextSibling
        }
        return nil
    }

    /// Every child element with this local name, in document order.
    public func children(_ name: String) -> [XMLElement] {
        guard let id = tree.names.id(of: name) else { return [] }
        var out: [XMLElement] = []
        var child = tree.nodes[Int(index)].firstChild
        while child >= 0 {
            if tree.nodes[Int(child)].name == id { out.append(XMLElement(tree: tree, index: child)) }
            child = tree.nodes[Int(child)].nextSibling
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

    /// The trimmed text of the child named `name` (the common one-step case, without a variadic array).
    public func text(_ name: String) -> String? {
        child(name)?.text
    }

    /// The trimmed text of `name`'s child `inner` (the common two-step case, without a variadic array).
    public func text(_ name: String, _ inner: String) -> String? {
        child(name)?.child(inner)?.text
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
        // Steps from this element up to the root, each with its position among same-named siblings (0: unique).
        // The sibling scans read the node array in place: copying a node (with its text) per sibling was most of
        // the cost, and an invoice asks this of every line.
        let steps: [(index: Int32, position: Int)] = tree.nodes.withUnsafeBufferPointer { nodes in
            var steps: [(index: Int32, position: Int)] = []
            var current = index
            while current >= 0 {
                let parent = nodes[Int(current)].parent
                let name = nodes[Int(current)].name
                var position = 0
                if parent >= 0 {
                    var count = 0
                    var child = nodes[Int(parent)].firstChild
                    while child >= 0 {
                        if nodes[Int(child)].name == name {
                            count += 1
                            if child == current { position = count }
                        }
                        child = nodes[Int(child)].nextSibling
                    }
                    if count == 1 { position = 0 }
                }
                steps.append((current, position))
                current = parent
            }
            return steps
        }
        var out: [UInt8] = []
        out.reserveCapacity(24 * steps.count)
        for (stepIndex, position) in steps.reversed() {
            out.append(UInt8(ascii: "/"))
            let namespace = tree.nodes[Int(stepIndex)].namespace
            if namespace >= 0, let prefix = tree.namespaces[Int(namespace)].prefix {
                out.append(contentsOf: prefix.utf8)
                out.append(UInt8(ascii: ":"))
            }
            out.append(contentsOf: tree.names.names[Int(tree.nodes[Int(stepIndex)].name)].utf8)
            if position > 0 {
                out.append(UInt8(ascii: "["))
                out.append(contentsOf: String(position).utf8)
                out.append(UInt8(ascii: "]"))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
