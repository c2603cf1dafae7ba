/// Writes rows as RFC 4180 CSV: a header line, CRLF line ends, fields quoted when they contain a comma, quote, CR
/// or LF, and quotes doubled. No BOM, UTF-8.
public final class CSVWriter: RowSink {
    private let output: TextOutput
    private var line = ""

    /// Creates a writer onto `output`.
    public init(output: TextOutput) { self.output = output }

    public func begin(columns: [String]) throws { try emit(columns) }

    public func row(_ cells: [Cell]) throws { try emit(cells.map(\.text)) }

    public func end() throws { try output.flush() }

    private func emit(_ fields: [String]) throws {
        line.removeAll(keepingCapacity: true)
        for (index, field) in fields.enumerated() {
            if index > 0 { line.append(",") }
            Self.appendField(field, to: &line)
        }
        line.append("\r\n")
        try output.write(line)
    }

    /// Appends one field, quoting it only when RFC 4180 requires; works on UTF-8 bytes because this runs for
    /// every field of every exported row.
    static func appendField(_ field: String, to line: inout String) {
        var needsQuotes = false
        var quotes = 0
        for byte in field.utf8 {
            if byte == 0x2C || byte == 0x0A || byte == 0x0D { needsQuotes = true }
            if byte == 0x22 { quotes += 1 }
        }
        guard needsQuotes || quotes > 0 else {
            line.append(field)
            return
        }
        line.append("\"")
        if quotes == 0 {
            line.append(field)
        } else {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(field.utf8.count + quotes)
            for byte in field.utf8 {
                bytes.append(byte)
                if byte == 0x22 { bytes.append(0x22) }
            }
            line.append(String(decoding: bytes, as: UTF8.self))
        }
        line.append("\"")
    }
}
