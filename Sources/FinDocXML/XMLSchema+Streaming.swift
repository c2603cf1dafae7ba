import CLibXML2

extension XMLSchema {
    /// Validates XML bytes against this schema while streaming them through libxml2's reader with the schema
    /// attached, so memory stays flat whatever the file's size (a DOM of a 100 MB camt file takes about 1 GB).
    /// Returns at most `limit` schema-validity errors, each with its line; well-formedness errors are left to the
    /// caller's own parse, which reports them already. The same safe options as `XMLStreamReader`: no network, no
    /// entity expansion, no DTD loading.
    public func validate(streaming bytes: [UInt8], url: String, limit: Int) -> [XMLError] {
        guard let context = xmlSchemaNewValidCtxt(schema) else {
            return [XMLError(message: "libxml2 could not create a schema validation context")]
        }
        defer { xmlSchemaFreeValidCtxt(context) }
        let box = ErrorBox(limit: limit, domain: Int32(XML_FROM_SCHEMASV.rawValue))
        let boxPointer = Unmanaged.passRetained(box).toOpaque()
        defer { Unmanaged<ErrorBox>.fromOpaque(boxPointer).release() }
        let options =
            Int32(XML_PARSE_NONET.rawValue) | Int32(XML_PARSE_BIG_LINES.rawValue) | findoc_xml_parse_no_xxe()
        var valid = true
        var opened = true
        bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                guard let base = chars.baseAddress,
                    let reader = xmlReaderForMemory(base, Int32(clamping: chars.count), url, nil, options)
                else {
                    opened = false
                    return
                }
                defer { xmlFreeTextReader(reader) }
                // The reader relays the validator's errors to its own handler, so one handler sees both kinds.
                xmlTextReaderSetStructuredErrorHandler(reader, Self.collector, boxPointer)
                guard xmlTextReaderSchemaValidateCtxt(reader, context, 0) == 0 else {
                    opened = false
                    return
                }
                while xmlTextReaderRead(reader) == 1, box.errors.count < limit {}
                valid = xmlTextReaderIsValid(reader) == 1
                xmlTextReaderSetStructuredErrorHandler(reader, nil, nil)
            }
        }
        guard opened else { return [XMLError(message: "libxml2 could not stream the document through \(path)")] }
        if !valid, box.errors.isEmpty {
            return [XMLError(message: "the document does not conform to the schema \(path)")]
        }
        return box.errors
    }
}
