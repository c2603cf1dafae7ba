/// One field of a record: a byte range of the UTF-8 input, before unquoting.
struct CSVFieldRange: Sendable, Equatable {
    /// Offset of the first byte (the opening quote when `quoted`).
    var start: Int
    /// Offset just past the last byte (before the delimiter or line end).
    var end: Int
    /// The field began with a quote.
    var quoted: Bool
    /// The bytes need the slow path to produce the value: doubled quotes, or text after the closing quote.
    var needsUnescape: Bool
}

/// Where a record lies in the input and what went wrong while splitting it.
struct CSVRecordInfo: Sendable, Equatable {
    /// 1-based physical line where the record starts.
    var line: Int
    /// 1-based physical line where the record ends (greater than `line` when a quoted field holds line breaks).
    var endLine: Int
    /// Offset of the record's first byte.
    var start: Int
    /// Offset just past the record's last byte, before its line break.
    var end: Int
    /// Offset of the opening quote of a quoted field that is never closed (the record is incomplete).
    var unclosedQuote: Int?
    /// The unclosed quote was read where quoted fields may not span lines, so it ended at its line's end rather
    /// than at the end of the file.
    var unclosedAtLineEnd = false
    /// Offset of the opening quote of the first quoted field that holds a line break.
    var spanningQuote: Int?
    /// Offset of the first text found after a closing quote and before the delimiter (kept, but worth a warning).
    var strayText: Int?
}

/// An RFC 4180 tokenizer over UTF-8 bytes, lenient but loud.
///
/// It handles quotes, doubled quotes, line breaks (CRLF, LF, CR) inside quoted fields and a missing final line
/// break. A quote inside an unquoted field is literal; text after a closing quote is appended to the field. A quoted
/// field that is never closed would otherwise swallow the rest of the file, so the record is reported and reading
/// resumes on the line after the one where that record started, in a mode where quoted fields may not span lines:
/// every byte is then scanned at most twice, so the work stays linear whatever the input.
struct CSVTokenizer: Sendable {
    /// The field separator.
    let delimiter: UInt8
    /// Offset of the next byte to read.
    private(set) var position: Int
    /// 1-based physical line of `position`.
    private(set) var line: Int
    /// Until this offset, a quoted field may not contain a line break (set after a broken quote).
    private(set) var noSpanUntil: Int = 0

    private static let quote = UInt8(ascii: "\"")
    private static let lf = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")

    /// Creates a tokenizer that starts at `position`, which is on physical line `line`.
    init(delimiter: UInt8, position: Int = 0, line: Int = 1) {
        self.delimiter = delimiter
        self.position = position
        self.line = line
    }

    /// Reads the next record into `fields` (cleared first); nil at the end of the input.
    mutating func next(_ p: UnsafeBufferPointer<UInt8>, fields: inout [CSVFieldRange]) -> CSVRecordInfo? {
        fields.removeAll(keepingCapacity: true)
        let n = p.count
        guard position < n else { return nil }
        let quote = Self.quote, lf = Self.lf, cr = Self.cr, delimiter = self.delimiter
        var record = CSVRecordInfo(line: line, endLine: line, start: position, end: position)
        var pos = position
        while true {
            let fieldStart = pos
            if pos < n, p[pos] == quote {
                let spanAllowed = pos >= noSpanUntil
                var i = pos + 1
                var closed = false
                var escapes = false
                while i < n {
                    let b = p[i]
                    if b == quote {
                        if i + 1 < n, p[i + 1] == quote {
                            escapes = true
                            i += 2
                            continue
                        }
                        closed = true
                        i += 1
                        break
                    }
                    if b == lf || b == cr {
                        if !spanAllowed { break }
                        if record.spanningQuote == nil { record.spanningQuote = fieldStart }
                        if b == cr, i + 1 < n, p[i + 1] == lf { i += 1 }
                        line += 1
                    }
                    i += 1
                }
                if !closed {
                    record.unclosedQuote = fieldStart
                    record.unclosedAtLineEnd = !spanAllowed
                    record.endLine = record.line
                    record.end = Self.endOfLine(p, from: record.start)
                    restart(afterFirstLineOf: record, in: p, noSpanUntil: n)
                    return record
                }
                var j = i
                while j < n {
                    let b = p[j]
                    if b == delimiter || b == lf || b == cr { break }
                    j += 1
                }
                if j > i {
                    escapes = true
                    if record.strayText == nil { record.strayText = i }
                }
                fields.append(CSVFieldRange(start: fieldStart, end: j, quoted: true, needsUnescape: escapes))
                pos = j
            } else {
                var j = pos
                while j < n {
                    let b = p[j]
                    if b == delimiter || b == lf || b == cr { break }
                    j += 1
                }
                fields.append(CSVFieldRange(start: fieldStart, end: j, quoted: false, needsUnescape: false))
                pos = j
            }
            guard pos < n else {
                record.end = pos
                record.endLine = line
                position = pos
                return record
            }
            let b = p[pos]
            if b == delimiter {
                pos += 1
                continue
            }
            record.end = pos
            record.endLine = line
            pos += (b == cr && pos + 1 < n && p[pos + 1] == lf) ? 2 : 1
            line += 1
            position = pos
            return record
        }
    }

    /// Continues on the line after the first line of `record`, with quoted fields confined to one line until
    /// `noSpanUntil`: used when a quote is broken, so the following lines are read as records of their own.
    mutating func restart(afterFirstLineOf record: CSVRecordInfo, in p: UnsafeBufferPointer<UInt8>, noSpanUntil: Int) {
        let lineEnd = Self.endOfLine(p, from: record.start)
        var next = lineEnd
        if next < p.count {
            next += (p[next] == Self.cr && next + 1 < p.count && p[next + 1] == Self.lf) ? 2 : 1
        }
        position = next
        line = record.line + 1
        self.noSpanUntil = max(self.noSpanUntil, noSpanUntil)
    }

    /// Offset of the first CR or LF at or after `offset`, or the end of the input.
    static func endOfLine(_ p: UnsafeBufferPointer<UInt8>, from offset: Int) -> Int {
        var i = max(0, offset)
        while i < p.count, p[i] != lf, p[i] != cr { i += 1 }
        return min(i, p.count)
    }

    /// Offset of the first byte of the physical line holding `offset`.
    static func startOfLine(_ p: UnsafeBufferPointer<UInt8>, containing offset: Int) -> Int {
        var i = min(max(0, offset), p.count)
        while i > 0, p[i - 1] != lf, p[i - 1] != cr { i -= 1 }
        return i
    }

    /// The field's value: quotes removed, doubled quotes undone, text after a closing quote appended.
    static func value(of field: CSVFieldRange, in p: UnsafeBufferPointer<UInt8>) -> String {
        let start = min(max(0, field.start), p.count)
        let end = min(max(start, field.end), p.count)
        guard field.quoted else { return String(decoding: UnsafeBufferPointer(rebasing: p[start..<end]), as: UTF8.self) }
        guard field.needsUnescape else {
            let inner = min(start + 1, end)
            let innerEnd = max(inner, end - 1)
            return String(decoding: UnsafeBufferPointer(rebasing: p[inner..<innerEnd]), as: UTF8.self)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(end - start)
        var i = start + 1
        var closed = false
        while i < end {
            let b = p[i]
            if !closed, b == quote {
                if i + 1 < end, p[i + 1] == quote {
                    bytes.append(quote)
                    i += 2
                    continue
                }
                closed = true
                i += 1
                continue
            }
            bytes.append(b)
            i += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
