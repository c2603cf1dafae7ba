import FinDocCore

/// A CSV/TSV file read as a plain table of text cells, with the same encoding detection (BOM, UTF-8, UTF-16,
/// Windows-1252), delimiter sniffing, header detection and quote handling as CSV ingest; for tools that need
/// columns by name rather than transactions (training and evaluation data).
public struct DelimitedTable: Sendable {
    /// The file read.
    public let path: String
    /// The encoding it was read as.
    public let encoding: String
    /// The delimiter found (`,` `;` tab `|`).
    public let delimiter: Character
    /// Header cells, trimmed.
    public let header: [String]
    /// Data records (blank lines skipped), each padded or cut to the header's width.
    public let rows: [[String]]
    /// 1-based physical line where each record starts.
    public let lines: [Int]
    /// Records that could not be read (a broken quote), with their location.
    public let diagnostics: [Diagnostic]

    /// Errors that make a whole file unreadable.
    public struct ReadError: Error, CustomStringConvertible {
        /// The file.
        public let path: String
        /// Why.
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// The column whose header matches `name` (case- and space-insensitively), or a 0-based column number.
    public func column(named name: String) -> Int? {
        let key = CSVHeaderKey.key(name)
        if let index = header.firstIndex(where: { CSVHeaderKey.key($0) == key }) { return index }
        if let number = Int(name), number >= 0, number < header.count { return number }
        return nil
    }

    /// The amounts of `column` in minor units of a `digits`-decimal currency, exactly, read the way CSV ingest reads
    /// them (`1,120.81`, `1.234,56`, `(12.34)`, `12.34 CR`); nil for a blank or unreadable cell. The decimal
    /// separator is decided once for the whole column.
    public func amounts(column: Int, digits: Int) -> [Int64?] {
        var commaEvidence = 0, dotEvidence = 0
        for row in rows where column < row.count {
            switch CSVAmountParser.decimalEvidence(row[column]) {
            case UInt8(ascii: ","): commaEvidence += 1
            case UInt8(ascii: "."): dotEvidence += 1
            default: break
            }
        }
        let separator = commaEvidence > dotEvidence ? UInt8(ascii: ",") : UInt8(ascii: ".")
        return rows.map { row in
            guard column < row.count, case .number(let number) = CSVAmountParser.parse(row[column], decimalSeparator: separator),
                case .success(let minor) = CSVAmountParser.minorUnits(number, digits: digits)
            else { return nil }
            return minor
        }
    }

    /// Reads `path`.
    public static func read(path: String) throws -> DelimitedTable {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReadError(path: path, reason: "cannot read the file")
        }
        let utf8: [UInt8], encoding: String
        switch TextDecoding.decodeToUTF8([UInt8](data)) {
        case .text(let bytes, let name):
            utf8 = bytes
            encoding = name
        case .binary(let offset):
            throw ReadError(path: path, reason: "binary data at byte \(offset), expected CSV or TSV text")
        }
        return utf8.withUnsafeBufferPointer { p in
            let dialect = CSVDialect.detect(p)
            let header = dialect.headerCells.map(CSVHeaderKey.display)
            var rows: [[String]] = []
            var lines: [Int] = []
            var diagnostics: [Diagnostic] = []
            guard let headerInfo = dialect.header else {
                return DelimitedTable(
                    path: path, encoding: encoding, delimiter: Character(Unicode.Scalar(dialect.delimiter)), header: [],
                    rows: [], lines: [], diagnostics: [])
            }
            var tokenizer = CSVTokenizer(delimiter: dialect.delimiter)
            var fields: [CSVFieldRange] = []
            while let info = tokenizer.next(p, fields: &fields) {
                if info.start >= headerInfo.start { break }
            }
            while let info = tokenizer.next(p, fields: &fields) {
                if CSVDialect.isBlankLine(info, fields) { continue }
                if info.unclosedQuote != nil {
                    diagnostics.append(
                        Diagnostic(
                            .error, code: "csv.unclosed-quote",
                            message: "a quoted field is never closed; record skipped",
                            location: SourceLocation(file: path, line: info.line)))
                    continue
                }
                var cells: [String] = []
                cells.reserveCapacity(header.count)
                for index in 0..<header.count {
                    cells.append(index < fields.count ? CSVTokenizer.value(of: fields[index], in: p) : "")
                }
                rows.append(cells)
                lines.append(info.line)
            }
            return DelimitedTable(
                path: path, encoding: encoding, delimiter: Character(Unicode.Scalar(dialect.delimiter)), header: header,
                rows: rows, lines: lines, diagnostics: diagnostics)
        }
    }
}

import Foundation
