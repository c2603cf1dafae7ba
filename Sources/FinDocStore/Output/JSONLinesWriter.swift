import FinDocCore

/// Writes rows as JSON Lines: one JSON object per line, keys in column order, integers as numbers, exact decimals
/// as strings, NULL as `null`, nested JSON columns as objects.
public final class JSONLinesWriter: RowSink {
    private let output: TextOutput
    private var columns: [String] = []
    private var line = ""

    /// Creates a writer onto `output`.
    public init(output: TextOutput) { self.output = output }

    public func begin(columns: [String]) throws { self.columns = columns }

    public func row(_ cells: [Cell]) throws {
        line.removeAll(keepingCapacity: true)
        line.append("{")
        for (index, cell) in cells.enumerated() where index < columns.count {
            if index > 0 { line.append(",") }
            JSONText.appendQuoted(columns[index], to: &line)
            line.append(":")
            switch cell {
            case .null: line.append("null")
            case let .integer(value): line.append(String(value))
            case let .real(value): line.append(value.isFinite ? String(value) : "null")
            case let .text(value), let .decimal(value): JSONText.appendQuoted(value, to: &line)
            case let .json(value): line.append(value.isEmpty ? "null" : value)
            }
        }
        line.append("}\n")
        try output.write(line)
    }

    public func end() throws { try output.flush() }
}
