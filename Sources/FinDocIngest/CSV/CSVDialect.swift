/// The shape of a CSV file found by looking at its first records: the delimiter, and which record is the header
/// (banks often print account details above it).
struct CSVDialect: Sendable, Equatable {
    /// The field separator.
    var delimiter: UInt8
    /// Where the header record lies, or nil when the file has no records.
    var header: CSVRecordInfo?
    /// The header's cells, untrimmed.
    var headerCells: [String]
    /// Records (not counting blank lines) before the header.
    var preambleRecords: Int

    /// The delimiters tried, in order of preference when they score the same.
    static let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")]
    /// How many records are inspected.
    static let sampleSize = 50

    /// Finds the delimiter whose field count is most consistent (and above one) over the first records, reading
    /// quotes properly, then the header.
    static func detect(_ p: UnsafeBufferPointer<UInt8>) -> CSVDialect {
        // Consistency is matching / total, compared by cross-multiplying to stay in integers.
        var best: (delimiter: UInt8, matching: Int, total: Int, mode: Int) = (UInt8(ascii: ","), 0, 1, 0)
        for delimiter in candidates {
            let counts = sample(p, delimiter: delimiter).map(\.fields.count)
            let mode = modalCount(counts)
            guard mode >= 2, !counts.isEmpty else { continue }
            let matching = counts.filter { $0 == mode }.count
            let left = matching * best.total
            let right = best.matching * counts.count
            if left > right || (left == right && mode > best.mode) {
                best = (delimiter, matching, counts.count, mode)
            }
        }
        let records = sample(p, delimiter: best.delimiter)
        let cells = records.map { record in record.fields.map { CSVTokenizer.value(of: $0, in: p) } }
        let index = headerIndex(cells)
        guard let index, index < records.count, index < cells.count else {
            return CSVDialect(delimiter: best.delimiter, header: nil, headerCells: [], preambleRecords: 0)
        }
        return CSVDialect(
            delimiter: best.delimiter, header: records[index].info, headerCells: cells[index], preambleRecords: index)
    }

    /// The first records under a delimiter, without blank lines.
    static func sample(_ p: UnsafeBufferPointer<UInt8>, delimiter: UInt8) -> [(info: CSVRecordInfo, fields: [CSVFieldRange])] {
        var tokenizer = CSVTokenizer(delimiter: delimiter)
        var fields: [CSVFieldRange] = []
        var out: [(info: CSVRecordInfo, fields: [CSVFieldRange])] = []
        while out.count < sampleSize, let info = tokenizer.next(p, fields: &fields) {
            if isBlankLine(info, fields) { continue }
            out.append((info, fields))
        }
        return out
    }

    /// A line with nothing on it (not even a delimiter).
    static func isBlankLine(_ info: CSVRecordInfo, _ fields: [CSVFieldRange]) -> Bool {
        fields.count == 1 && info.end == info.start && info.unclosedQuote == nil
    }

    /// The most common count; ties go to the larger count.
    static func modalCount(_ counts: [Int]) -> Int {
        var tally: [Int: Int] = [:]
        for count in counts { tally[count, default: 0] += 1 }
        return tally.max { ($0.value, $0.key) < ($1.value, $1.key) }?.key ?? 0
    }

    /// The header is the first record with the file's usual field count (or one less, when data rows end with a
    /// delimiter the header lacks) whose cells are mostly filled and hold no numbers or dates; failing that, the
    /// first record with the usual count.
    static func headerIndex(_ records: [[String]]) -> Int? {
        let mode = modalCount(records.map(\.count))
        let full = records.filter { $0.count == mode }
        let trailingDelimiter = mode >= 3 && !full.isEmpty && full.allSatisfy { ($0.last ?? "").trimmingSpaces.isEmpty }
        func fits(_ count: Int) -> Bool { count == mode || (trailingDelimiter && count == mode - 1) }
        for (index, cells) in records.enumerated() where fits(cells.count) {
            let filled = cells.filter { !$0.trimmingSpaces.isEmpty }
            guard filled.count * 2 >= cells.count, filled.count >= 1 else { continue }
            let valueLike = filled.contains {
                CSVAmountParser.looksLikeNumber($0) || CSVDateParser.shape($0) != nil
            }
            if !valueLike { return index }
        }
        return records.firstIndex { $0.count == mode }
    }
}
