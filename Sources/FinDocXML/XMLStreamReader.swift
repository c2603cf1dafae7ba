import CLibXML2
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import FinDocCore

/// The kind of node an `XMLStreamReader` is positioned on.
public enum XMLNodeType: Hashable, Sendable {
    /// A start tag (or an empty-element tag: see `XMLStreamReader.isEmptyElement`).
    case element
    /// An end tag.
    case endElement
    /// Character data.
    case text
    /// A CDATA section.
    case cdata
    /// A comment.
    case comment
    /// A processing instruction such as `<?OFX …?>`.
    case processingInstruction
    /// White space between elements.
    case whitespace
    /// The document type declaration.
    case documentType
    /// An entity reference that was not expanded (entities are never substituted).
    case entityReference
    /// Any other libxml2 reader node type, by its number.
    case other(Int32)

    init(raw: Int32) {
        switch raw {
        case 1: self = .element
        case 15: self = .endElement
        case 3: self = .text
        case 4: self = .cdata
        case 8: self = .comment
        case 7: self = .processingInstruction
        case 13, 14: self = .whitespace
        case 10: self = .documentType
        case 5: self = .entityReference
        default: self = .other(raw)
        }
    }
}

/// A forward-only, streaming XML reader over an in-memory document (libxml2's `xmlTextReader`): flat memory whatever
/// the document's size.
///
/// Safe for untrusted input: the network is never used, entities are not substituted, no external DTD or entity is
/// loaded (`XML_PARSE_NO_XXE` where libxml2 has it), and libxml2's size limits stay on (`XML_PARSE_HUGE` is off).
/// Not thread-safe: use one reader per thread.
public final class XMLStreamReader {
    private let reader: xmlTextReaderPtr
    /// The reader's own copy of the document, when it made one (`init(bytes:url:)`); nil when libxml2 reads a file
    /// or memory the caller lends for the reader's lifetime.
    private let buffer: UnsafeMutableBufferPointer<CChar>?
    private let errors: ErrorBox
    private let errorBoxPointer: UnsafeMutableRawPointer
    private var finished = false
    /// Interned local names, by id (see `localNameID`).
    private var names: [String] = []
    private var idsByName: [String: Int] = [:]
    /// Ids by the address of libxml2's copy of the name (only addresses its dictionary owns).
    private var idsByAddress = IntegerMap()

    /// Collects the first error libxml2 reports through the structured handler.
    private final class ErrorBox {
        var first: XMLError?
    }

    /// Opens a reader over a copy of `bytes`. `url` names the document in libxml2's messages only; it is never
    /// fetched. Throws when the bytes cannot even be opened (empty, or larger than 2 GiB).
    public convenience init(bytes: [UInt8], url: String = "document.xml") throws(XMLError) {
        LibXML2.initialise()
        guard !bytes.isEmpty else { throw XMLError(message: "the document is empty", line: 1) }
        guard bytes.count < Int(Int32.max) else { throw XMLError(message: "the document is larger than 2 GiB") }
        // libxml2 reads the memory in place while streaming, so it gets its own stable copy.
        let copy = UnsafeMutableBufferPointer<CChar>.allocate(capacity: bytes.count)
        bytes.withUnsafeBytes { raw in
            _ = copy.initialize(from: raw.bindMemory(to: CChar.self))
        }
        // Never XML_PARSE_NOENT, XML_PARSE_DTDLOAD or XML_PARSE_HUGE.
        let options =
            Int32(XML_PARSE_NONET.rawValue) | Int32(XML_PARSE_BIG_LINES.rawValue) | findoc_xml_parse_no_xxe()
        guard let base = copy.baseAddress,
            let reader = xmlReaderForMemory(base, Int32(bytes.count), url, nil, options)
        else {
            copy.deallocate()
            throw XMLError(message: "libxml2 could not open the document")
        }
        self.init(reader: reader, buffer: copy)
    }

    /// Opens a streaming reader over the file at `path`: libxml2 reads it in small chunks, so memory stays flat
    /// whatever the file's size. Throws when the file cannot be opened.
    public convenience init(fileAt path: String) throws(XMLError) {
        LibXML2.initialise()
        let options =
            Int32(XML_PARSE_NONET.rawValue) | Int32(XML_PARSE_BIG_LINES.rawValue) | findoc_xml_parse_no_xxe()
        guard let reader = xmlReaderForFile(path, nil, options) else {
            throw XMLError(message: "libxml2 could not open the file \(path)")
        }
        self.init(reader: reader, buffer: nil)
    }

    /// Runs `body` with a reader over `bytes` read in place, without the copy `init(bytes:url:)` makes: for large
    /// documents already in memory, where a second copy would double the peak. The reader must not outlive `body`.
    public static func withReader<Result>(
        over bytes: [UInt8], url: String = "document.xml", _ body: (XMLStreamReader) throws(XMLError) -> Result
    ) throws(XMLError) -> Result {
        LibXML2.initialise()
        guard !bytes.isEmpty else { throw XMLError(message: "the document is empty", line: 1) }
        guard bytes.count < Int(Int32.max) else { throw XMLError(message: "the document is larger than 2 GiB") }
        let options =
            Int32(XML_PARSE_NONET.rawValue) | Int32(XML_PARSE_BIG_LINES.rawValue) | findoc_xml_parse_no_xxe()
        let outcome: Swift.Result<Result, XMLError> = bytes.withUnsafeBufferPointer { memory in
            guard let base = memory.baseAddress,
                let raw = base.withMemoryRebound(
                    to: CChar.self, capacity: memory.count,
                    { xmlReaderForMemory($0, Int32(memory.count), url, nil, options) })
            else { return .failure(XMLError(message: "libxml2 could not open the document")) }
            let reader = XMLStreamReader(reader: raw, buffer: nil)
            do throws(XMLError) {
                return .success(try body(reader))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    /// Takes ownership of an open libxml2 reader (and of `buffer`, when given) and installs the error handler.
    private init(reader: xmlTextReaderPtr, buffer: UnsafeMutableBufferPointer<CChar>?) {
        self.reader = reader
        self.buffer = buffer
        let box = ErrorBox()
        self.errors = box
        self.errorBoxPointer = Unmanaged.passRetained(box).toOpaque()
        let handler: xmlStructuredErrorFunc = { userData, error in
            guard let userData, let error else { return }
            let box = Unmanaged<ErrorBox>.fromOpaque(userData).takeUnretainedValue()
            let item = error.pointee
            // Warnings (level 1) do not stop the parse; keep the first error or fatal error.
            guard item.level.rawValue >= 2, box.first == nil else { return }
            var message = item.message.map { String(cString: $0) } ?? "XML error \(item.code)"
            while let last = message.last, last == "\n" || last == " " { message.removeLast() }
            box.first = XMLError(
                message: message, line: item.line > 0 ? Int(item.line) : nil,
                column: item.int2 > 0 ? Int(item.int2) : nil, code: Int(item.code))
        }
        xmlTextReaderSetStructuredErrorHandler(reader, handler, errorBoxPointer)
    }

    deinit {
        xmlTextReaderSetStructuredErrorHandler(reader, nil, nil)
        xmlFreeTextReader(reader)
        buffer?.deallocate()
        Unmanaged<ErrorBox>.fromOpaque(errorBoxPointer).release()
    }

    /// Moves to the next node. Returns false at the end of the document; throws with the line on malformed XML (the
    /// reader is then finished, and further calls return false).
    public func next() throws(XMLError) -> Bool {
        guard !finished else { return false }
        let result = xmlTextReaderRead(reader)
        if result == 1 {
            if let error = errors.first {
                finished = true
                throw error
            }
            return true
        }
        finished = true
        if let error = errors.first { throw error }
        if result < 0 { throw XMLError(message: "the document is not well-formed XML", line: line) }
        return false
    }

    /// The kind of the current node.
    public var nodeType: XMLNodeType { XMLNodeType(raw: xmlTextReaderNodeType(reader)) }

    /// `nodeType`, except that white space between elements comes as `.text` too, for callers that trim text
    /// anyway: libxml2 decides `.whitespace` by scanning every text node (`xmlIsBlankNode`), which callgrind put at
    /// 5% of a camt parse.
    public var nodeTypeWithBlankText: XMLNodeType {
        if let node = xmlTextReaderCurrentNode(reader), node.pointee.type == XML_TEXT_NODE { return .text }
        return nodeType
    }

    /// The local name of the current element or attribute (without prefix); `#text` and similar for other nodes.
    public var localName: String {
        guard let name = xmlTextReaderConstLocalName(reader) else { return "" }
        return String(cString: name)
    }

    /// A small integer naming the current node's local name: the same name always gets the same id in one reader,
    /// and `name(ofID:)` gives the name back. For callers that follow every element of a large document: comparing
    /// and hashing ids costs nothing, and a repeated name is not copied into a new `String` each time.
    ///
    /// libxml2's reader keeps each element name once in its dictionary, so a name seen before is recognised by its
    /// address alone; the address is trusted only after the dictionary confirms that it owns it.
    public var localNameID: Int {
        guard let name = xmlTextReaderConstLocalName(reader) else { return intern("") }
        let address = UInt64(UInt(bitPattern: name))
        if let id = idsByAddress[address] { return Int(id) }
        let id = intern(String(cString: name))
        if let owned = xmlTextReaderConstString(reader, name), owned == name {
            idsByAddress.set(address, Int32(id))
        }
        return id
    }

    /// The local name that `localNameID` returned `id` for.
    public func name(ofID id: Int) -> String { names[id] }

    private func intern(_ name: String) -> Int {
        if let id = idsByName[name] { return id }
        names.append(name)
        idsByName[name] = names.count - 1
        return names.count - 1
    }

    /// The namespace URI of the current node, if it has one.
    public var namespaceURI: String? {
        guard let uri = xmlTextReaderConstNamespaceUri(reader) else { return nil }
        return String(cString: uri)
    }

    /// The depth of the current node: 0 for the root element.
    public var depth: Int { Int(xmlTextReaderDepth(reader)) }

    /// The text of a text, CDATA, whitespace, comment or processing-instruction node; nil for elements.
    public var value: String? {
        guard let text = xmlTextReaderConstValue(reader) else { return nil }
        return String(cString: text)
    }

    /// True when the current node's text is empty or only spaces, tabs, carriage returns and line feeds; checked on
    /// libxml2's bytes in place, without making a `String` of them.
    public var valueIsBlank: Bool {
        guard let value = xmlTextReaderConstValue(reader) else { return true }
        // C's strspn: the libc one scans sixteen bytes at a time (a byte loop here was 5 instructions a byte, and
        // indentation runs long).
        let text = UnsafeRawPointer(value).assumingMemoryBound(to: CChar.self)
        return text[strspn(text, " \t\r\n")] == 0
    }

    /// True when the current element is written `<name/>`: no end-element node follows it.
    public var isEmptyElement: Bool { xmlTextReaderIsEmptyElement(reader) == 1 }

    /// The 1-based line of the current node: where its start tag or text begins (for an end tag, where the parser
    /// is); 0 when unknown.
    public var line: Int {
        if xmlTextReaderNodeType(reader) != 15, let node = xmlTextReaderCurrentNode(reader) {
            let line = xmlGetLineNo(node)
            if line > 0 { return Int(line) }
        }
        return Int(xmlTextReaderGetParserLineNumber(reader))
    }

    /// The value of attribute `name` on the current element, if present.
    public func attribute(_ name: String) -> String? {
        guard let value = xmlTextReaderGetAttribute(reader, name) else { return nil }
        defer { findoc_xmlFree(value) }
        return String(cString: value)
    }

    /// The libxml2 version this was built against, e.g. 20914 for 2.9.14.
    public static var libxmlVersion: Int { Int(findoc_xml_version()) }
}
