/// Writes rows as an aligned plain-text table for people at a terminal; long cells are cut with `…`.
///
/// Buffers the rows to size the columns, so it is meant for screenfuls (the commands cap it with `--limit`), not
/// for exports.
public final class TableWriter: RowSink {
    private let output: TextOutput
    private let maxWidth: Int
    private var columns: [String] = []
    private var rows: [[String]] = []
    private var rightAligned: [Bool] = []

    /// Creates a writer; cells longer than `maxCellWidth` characters are shortened.
    public init(output: TextOutput, maxCellWidth: Int = 40) {
        self.output = output
        self.maxWidth = max(4, maxCellWidth)
    }

    public func begin(columns: [String]) throws {
        self.columns = columns
        rightAligned = Array(repeating: true, count: columns.count)
    }

    public func row(_ cells: [Cell]) throws {
        var texts: [String] = []
        for (index, cell) in cells.enumerated() {
            var text = cell.text.replacingNewlines()
            if text.count > maxWidth { text = String(text.prefix(maxWidth - 1)) + "…" }
            texts.append(text)
            switch cell {
            case .integer, .real, .decimal, .null: break
            default: if index < rightAligned.count { rightAligned[index] = false }
            }
        }
        rows.append(texts)
    }

    public func end() throws {
        var widths = columns.map(\.count)
        for row in rows {
            for (index, text) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], text.count) }
        }
        func render(_ texts: [String]) -> String {
            var line = ""
            for (index, text) in texts.enumerated() where index < widths.count {
                let pad = String(repeating: " ", count: widths[index] - text.count)
                if index > 0 { line += "  " }
                line += rightAligned[index] ? pad + text : text + (index == texts.count - 1 ? "" : pad)
            }
            return line + "\n"
        }
        try output.write(render(columns))
        try output.write(render(widths.map { String(repeating: "-", count: $0) }))
        for row in rows { try output.write(render(row)) }
        try output.write("(\(rows.count) row\(rows.count == 1 ? "" : "s"))\n")
        try output.flush()
    }
}

extension String {
    fileprivate func replacingNewlines() -> String {
        guard contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\t" }) else { return self }
        return String(map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : $0 })
    }
}
