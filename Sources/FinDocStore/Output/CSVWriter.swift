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

    /// Appends one field, quoting it only when RFC 4180 requires.
    static func appendField(_ field: String, to line: inout String) {
        var needsQuotes = false
        for byte in field.utf8 where byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D {
            needsQuotes = true
            break
        }
        guard needsQuotes else {
            line.append(field)
            return
        }
        line.append("\"")
        line.append(field.replacingOccurrences(of: "\"", with: "\"\""))
        line.append("\"")
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
