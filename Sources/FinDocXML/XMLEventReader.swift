import CLibXML2
import CXMLEvents
import FinDocCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What an `XMLEventReader` event is.
public enum XMLEventKind: Hashable, Sendable {
    /// A start tag; an empty-element tag `<a/>` gives a start and then an end.
    case start
    /// An end tag.
    case end
    /// Character data (CDATA sections included), with consecutive pieces joined.
    case text
    /// A reference to a general entity, which is never substituted; `localName` is the entity's name.
    case entityReference
}

/// A forward-only, streaming XML reader that hands over start tags, end tags and text, and nothing else: libxml2's
/// SAX2 push parser fed 64 KiB at a time, its events collected in C and read here one by one. Memory stays flat
/// whatever the document's size.
///
/// Why not `XMLStreamReader` (libxml2's `xmlTextReader`): the reader builds and frees a tree node for every element
/// and text, and reading a node back costs several calls; on a 265 MB camt file callgrind put the reader at 63% of
/// the parse and findoc's calls into it at a further third. This reader builds no tree; the work per event is a
/// few stores in C and a struct read here.
///
/// White space between elements does not come as an event: a run of only spaces, tabs, CRs and LFs that ends at a
/// tag is dropped (one cut by a chunk boundary may still come, as blank text). With `keepingBlankText`, an element's
/// white space is dropped only when all its text is white space; an element with other text too (mixed content)
/// gets every piece, as in libxml2's tree. Comments and processing instructions are skipped.
///
/// Safe for untrusted input, with the same options as `XMLStreamReader`: no network, entities never substituted, no
/// external DTD or entity loaded, libxml2's size limits on. An entity the document declares is reported as an
/// `.entityReference` event where it is used; nothing of its content is ever handed over. Not thread-safe: use one
/// reader per thread.
public final class XMLEventReader {
    private let parser: OpaquePointer
    private let source: Source
    /// The read buffer for a file source.
    private let buffer: UnsafeMutableRawBufferPointer
    private var offset = 0
    private var events: UnsafePointer<findoc_xml_event>?
    private var count = 0
    private var index = 0
    private var current = findoc_xml_event()
    private var fedLast = false
    private var finished = false
    private var pendingError: XMLError?
    /// Names by id, made from libxml2's copies the first time an id is asked for.
    private var names: [String] = []

    private enum Source {
        case file(Int32)
        case memory([UInt8])
    }

    /// How many bytes each feed hands to libxml2.
    static let chunkSize = 1 << 16

    /// Opens a reader over `bytes`, which it keeps (an array is not copied unless changed). `url` names the document in
    /// libxml2's messages only; it is never fetched. With `keepingBlankText`, the white space of an element that also
    /// has other text comes with it (see the type's summary). Throws when the document is empty or larger than 2 GiB.
    public convenience init(bytes: [UInt8], url: String = "document.xml", keepingBlankText: Bool = false)
        throws(XMLError)
    {
        guard !bytes.isEmpty else { throw XMLError(message: "the document is empty", line: 1) }
        guard bytes.count < Int(Int32.max) else { throw XMLError(message: "the document is larger than 2 GiB") }
        let head = Array(bytes.prefix(4))
        try self.init(
            source: .memory(bytes), head: head, url: url, offset: head.count, keepingBlankText: keepingBlankText)
    }

    /// Opens a streaming reader over the file at `path`: it is read 64 KiB at a time, so memory stays flat whatever
    /// the file's size. Throws when the file cannot be opened or read, or is empty.
    public convenience init(fileAt path: String) throws(XMLError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw XMLError(message: "cannot open the file \(path): \(String(cString: strerror(errno)))")
        }
        var head = [UInt8](repeating: 0, count: 4)
        var filled = 0
        while filled < head.count {
            let got = head.withUnsafeMutableBytes { raw in
                readRetryingInterrupts(descriptor, into: raw.baseAddress.map { $0 + filled }, count: raw.count - filled)
            }
            guard got >= 0 else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw XMLError(message: "cannot read the file \(path): \(reason)")
            }
            if got == 0 { break }
            filled += got
        }
        guard filled > 0 else {
            close(descriptor)
            throw XMLError(message: "the document is empty", line: 1)
        }
        do {
            try self.init(
                source: .file(descriptor), head: Array(head.prefix(filled)), url: path, offset: 0,
                keepingBlankText: false)
        } catch {
            close(descriptor)
            throw error
        }
    }

    private init(source: Source, head: [UInt8], url: String, offset: Int, keepingBlankText: Bool) throws(XMLError) {
        LibXML2.initialise()
        // Never XML_PARSE_NOENT, XML_PARSE_DTDLOAD or XML_PARSE_HUGE.
        let options =
            Int32(XML_PARSE_NONET.rawValue) | Int32(XML_PARSE_BIG_LINES.rawValue) | findoc_xml_parse_no_xxe()
        let made = head.withUnsafeBytes { raw in
            findoc_xml_events_create(
                raw.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(raw.count), url, options,
                keepingBlankText ? 1 : 0)
        }
        guard let made else { throw XMLError(message: "libxml2 could not open the document") }
        parser = made
        self.source = source
        self.offset = offset
        if case .file = source {
            buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkSize, alignment: 16)
        } else {
            buffer = UnsafeMutableRawBufferPointer(start: nil, count: 0)
        }
    }

    deinit {
        findoc_xml_events_free(parser)
        if case .file(let descriptor) = source { close(descriptor) }
        buffer.deallocate()
    }

    /// Moves to the next event. Returns false at the end of the document; throws with the line on malformed XML,
    /// after every event before the error has been handed over (further calls then return false).
    public func next() throws(XMLError) -> Bool {
        index += 1
        while index >= count {
            if finished { return false }
            if let error = pendingError {
                finished = true
                throw error
            }
            if fedLast {
                finished = true
                return false
            }
            try feed()
        }
        current = events.map { $0[index] } ?? findoc_xml_event()
        return true
    }

    /// Hands libxml2 the next chunk and takes its events.
    private func feed() throws(XMLError) {
        var got = 0
        var last = false
        switch source {
        case .memory(let bytes):
            let end = min(bytes.count, offset + Self.chunkSize)
            last = end == bytes.count
            got = bytes.withUnsafeBytes { raw in
                let start = raw.baseAddress.map { $0 + offset }?.assumingMemoryBound(to: CChar.self)
                return Int(findoc_xml_events_feed(parser, start, Int32(end - offset), last ? 1 : 0))
            }
            offset = end
        case .file(let descriptor):
            let length = readRetryingInterrupts(descriptor, into: buffer.baseAddress, count: buffer.count)
            guard length >= 0 else {
                finished = true
                throw XMLError(
                    message: "reading the file failed: \(String(cString: strerror(errno)))",
                    line: Int(findoc_xml_events_line(parser)))
            }
            last = length == 0
            got = Int(
                findoc_xml_events_feed(
                    parser, buffer.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(length), last ? 1 : 0))
        }
        fedLast = last
        events = findoc_xml_events_items(parser)
        count = got
        index = 0
        if let problem = findoc_xml_events_error(parser), problem.pointee.present != 0 {
            let item = problem.pointee
            let message = withUnsafeBytes(of: item.message) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            pendingError = XMLError(
                message: message, line: item.line > 0 ? Int(item.line) : nil,
                column: item.column > 0 ? Int(item.column) : nil, code: Int(item.code))
        }
    }

    /// The `length` bytes at `offset` in the last feed's arena, as text (libxml2 hands over UTF-8).
    private func arenaText(offset: UInt32, length: UInt32) -> String {
        guard length > 0, let arena = findoc_xml_events_arena(parser) else { return "" }
        let start = UnsafeRawPointer(arena) + Int(offset)
        return String(decoding: UnsafeRawBufferPointer(start: start, count: Int(length)), as: UTF8.self)
    }

    /// The current start tag's attribute records; empty for other events.
    private var attributeRecords: UnsafeBufferPointer<findoc_xml_attribute> {
        guard current.kind == Self.start, current.attribute_count > 0,
            let attributes = findoc_xml_events_attributes(parser)
        else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: attributes + Int(current.first_attribute), count: Int(current.attribute_count))
    }

    private static let start = Int32(FINDOC_XML_START), end = Int32(FINDOC_XML_END), text = Int32(FINDOC_XML_TEXT)

    /// What the current event is.
    public var kind: XMLEventKind {
        switch current.kind {
        case Self.start: return .start
        case Self.end: return .end
        case Self.text: return .text
        default: return .entityReference
        }
    }

    /// The line libxml2 was at when it reported the event: for a start tag, where the tag ends (`>`); for text,
    /// where its first piece ends. 0 when unknown.
    public var line: Int { Int(current.line) }

    /// The line libxml2's parser has reached: after the last event, the document's last line.
    public var parserLine: Int { Int(findoc_xml_events_line(parser)) }

    /// A small integer naming the current start tag's, end tag's or entity reference's local name (without prefix):
    /// the same name always gets the same id in one reader, whatever its prefix; -1 for text. `name(ofID:)` gives
    /// the name back.
    public var localNameID: Int { Int(current.name) }

    /// The local name of the current start tag, end tag or entity reference; empty for text.
    public var localName: String { current.name >= 0 ? name(ofID: Int(current.name)) : "" }

    /// The name with id `id` (a `localNameID`); empty for an id the reader never gave.
    public func name(ofID id: Int) -> String {
        guard id >= 0 else { return "" }
        while names.count <= id {
            let next = names.count
            guard let text = findoc_xml_events_name(parser, Int32(next)) else { return "" }
            names.append(String(cString: text))
        }
        return names[id]
    }

    /// Runs `body` with the UTF-8 bytes of the name with id `id` (libxml2's copy, no String made); empty for an unknown
    /// id.
    public func withNameBytes<Result>(ofID id: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        guard let text = findoc_xml_events_name(parser, Int32(id)) else {
            return body(UnsafeBufferPointer(start: nil, count: 0))
        }
        let count = strlen(text)
        return text.withMemoryRebound(to: UInt8.self, capacity: count) { bytes in
            body(UnsafeBufferPointer(start: bytes, count: count))
        }
    }

    /// How many attributes the current start tag has; 0 for other events.
    public var attributeCount: Int { attributeRecords.count }

    /// The namespace URI of the current start tag, if it is in one.
    public var namespaceURI: String? { current.uri >= 0 ? name(ofID: Int(current.uri)) : nil }

    /// The id (see `localNameID`) of the current start tag's namespace URI; -1 for none.
    public var namespaceURIID: Int { Int(current.uri) }

    /// The id (see `localNameID`) of the current start tag's prefix as written (`cbc` in `cbc:ID`); -1 for none.
    public var prefixID: Int { Int(current.prefix) }

    /// The current start tag's attributes in document order, by local name (namespace declarations are not
    /// attributes); empty for other events.
    public var attributes: [(name: String, value: String)] {
        attributeRecords.map { record in
            (name(ofID: Int(record.name)), arenaText(offset: record.value_offset, length: record.value_length))
        }
    }

    /// The text of the current text event; empty for other events.
    public var text: String {
        current.kind == Self.text ? arenaText(offset: current.text_offset, length: current.text_length) : ""
    }

    /// The value of the current start tag's attribute with local name `name`, if present.
    public func attribute(_ name: String) -> String? {
        attributeRecords.first { self.name(ofID: Int($0.name)) == name }.map { record in
            arenaText(offset: record.value_offset, length: record.value_length)
        }
    }
}
