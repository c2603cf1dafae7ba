/// Writes rows as RFC 4180 CSV: a header line, CRLF line ends, fields quoted when they contain a comma, quote, CR
/// or LF, and quotes doubled. No BOM, UTF-8.
public final class CSVWriter: RowSink {
    private let output: TextOutput
    private var line: [UInt8] = []

    /// Creates a writer onto `output`.
    public init(output: TextOutput) { self.output = output }

    public func begin(columns: [String]) throws { try emit(columns) }

    public func row(_ cells: [Cell]) throws { try emit(cells.map(\.text)) }

    public func end() throws { try output.flush() }

    private func emit(_ fields: [String]) throws {
        line.removeAll(keepingCapacity: true)
        for (index, field) in fields.enumerated() {
            if index > 0 { line.append(0x2C) }
            Self.appendField(field, to: &line)
        }
        line.append(0x0D)
        line.append(0x0A)
        try output.write(bytes: line)
    }

    /// Appends one field as UTF-8, quoting it only when RFC 4180 requires. Scans contiguous UTF-8 bytes because it
    /// runs for every field of every exported row (it was a fifth of export time when it went through `String`).
    static func appendField(_ field: String, to line: inout [UInt8]) {
        var field = field
        field.withUTF8 { bytes in
            var needsQuotes = false
            for byte in bytes where byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D {
                needsQuotes = true
                break
            }
            guard needsQuotes else {
                line.append(contentsOf: bytes)
                return
            }
            line.append(0x22)
            for byte in bytes {
                line.append(byte)
                if byte == 0x22 { line.append(0x22) }
            }
            line.append(0x22)
        }
    }
}
