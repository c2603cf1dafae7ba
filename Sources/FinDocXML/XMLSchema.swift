import CLibXML2
import FinDocCore

/// A compiled W3C XML Schema (XSD), loaded once and shared: libxml2 allows one compiled schema to validate on several
/// threads, each validation with its own context.
///
/// Loading reads the main file and the files it imports or includes from disk, relative to it; the network is
/// never used. Validation runs on the document `XMLTree.parse` builds anyway, so validating costs no second parse.
public final class XMLSchema: @unchecked Sendable {
    // @unchecked: the compiled schema is immutable after loading and libxml2 documents it as shareable.
    let schema: xmlSchemaPtr
    /// The main schema file.
    public let path: String

    /// Collects the first error while compiling a schema.
    final class ErrorBox {
        var errors: [XMLError] = []
        let limit: Int
        /// Only errors from this libxml2 domain are kept (nil: any). Streaming validation keeps the validator's own
        /// (`XML_FROM_SCHEMASV`): parse errors are left to the ingestor's parse, which reports them with more context.
        let domain: Int32?
        init(limit: Int, domain: Int32? = nil) {
            self.limit = limit
            self.domain = domain
        }
    }

    /// Loads and compiles the schema at `path`.
    ///
    /// - Throws: `XMLError` when the file is missing or is not a valid schema.
    public init(path: String) throws(XMLError) {
        LibXML2.initialise()
        guard let parser = xmlSchemaNewParserCtxt(path) else {
            throw XMLError(message: "cannot open the schema \(path)")
        }
        defer { xmlSchemaFreeParserCtxt(parser) }
        let box = ErrorBox(limit: 1)
        let boxPointer = Unmanaged.passRetained(box).toOpaque()
        defer { Unmanaged<ErrorBox>.fromOpaque(boxPointer).release() }
        xmlSchemaSetParserStructuredErrors(parser, Self.collector, boxPointer)
        guard let compiled = xmlSchemaParse(parser) else {
            throw box.errors.first ?? XMLError(message: "the schema \(path) could not be compiled")
        }
        self.schema = compiled
        self.path = path
    }

    deinit { xmlSchemaFree(schema) }

    /// Records errors (level ≥ 2) into the `ErrorBox` passed as user data, up to its limit.
    static let collector: xmlStructuredErrorFunc = { userData, error in
        guard let userData, let error else { return }
        let box = Unmanaged<ErrorBox>.fromOpaque(userData).takeUnretainedValue()
        let item = error.pointee
        guard item.level.rawValue >= 2, box.domain.map({ item.domain == $0 }) ?? true, box.errors.count < box.limit
        else { return }
        var message = item.message.map { String(cString: $0) } ?? "schema error \(item.code)"
        while let last = message.last, last == "\n" || last == " " { message.removeLast() }
        box.errors.append(
            XMLError(message: message, line: item.line > 0 ? Int(item.line) : nil, code: Int(item.code)))
    }

    /// Validates a parsed document; returns at most `limit` errors, each with its line.
    func validate(_ document: xmlDocPtr, limit: Int) -> [XMLError] {
        guard let context = xmlSchemaNewValidCtxt(schema) else {
            return [XMLError(message: "libxml2 could not create a schema validation context")]
        }
        defer { xmlSchemaFreeValidCtxt(context) }
        let box = ErrorBox(limit: limit)
        let boxPointer = Unmanaged.passRetained(box).toOpaque()
        defer { Unmanaged<ErrorBox>.fromOpaque(boxPointer).release() }
        xmlSchemaSetValidStructuredErrors(context, Self.collector, boxPointer)
        let result = xmlSchemaValidateDoc(context, document)
        if result != 0, box.errors.isEmpty {
            return [XMLError(message: "the document does not conform to the schema \(path)")]
        }
        return box.errors
    }
}
