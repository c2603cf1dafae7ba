import FinDocCore

/// Writes rows as JSON Lines: one JSON object per line, keys in column order, integers as numbers, exact decimals
/// as strings, NULL as `null`, nested JSON columns as objects.
public final class JSONLinesWriter: RowSink {
    private let output: TextOutput
    private var columns: [String] = []
    private var line: [UInt8] = []

    /// Creates a writer onto `output`.
    public init(output: TextOutput) { self.output = output }

    public func begin(columns: [String]) throws { self.columns = columns }

    public func row(_ cells: [Cell]) throws {
        line.removeAll(keepingCapacity: true)
        line.append(UInt8(ascii: "{"))
        for (index, cell) in cells.enumerated() where index < columns.count {
            if index > 0 { line.append(UInt8(ascii: ",")) }
            JSONText.appendQuoted(columns[index], to: &line)
            line.append(UInt8(ascii: ":"))
            switch cell {
            case .null: line.append(contentsOf: "null".utf8)
            case let .integer(value): line.append(contentsOf: String(value).utf8)
            case let .real(value): line.append(contentsOf: (value.isFinite ? String(value) : "null").utf8)
            case let .text(value), let .decimal(value): JSONText.appendQuoted(value, to: &line)
            case let .json(value): line.append(contentsOf: (value.isEmpty ? "null" : value).utf8)
            }
        }
        line.append(contentsOf: "}\n".utf8)
        try output.write(bytes: line)
    }

    public func end() throws { try output.flush() }
}
