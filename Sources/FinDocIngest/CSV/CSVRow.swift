import FinDocCore

/// A data record after splitting: where it is in the file and its cells, already paired with the header's names.
struct CSVRow: Sendable {
    /// Where the record lies.
    var info: CSVRecordInfo
    /// How many fields the record has in the file (may differ from the header; reported as an error).
    var fieldCount: Int
    /// Fields beyond the header's count hold text (blank extras, from a trailing delimiter, are fine).
    var extraText: Bool
    /// The cells under their header names, as many as both the record and the header have.
    var raw: [RawField]
    /// 0-based index among the file's data records (blank lines excepted).
    var position: Int
    /// Offset of the opening quote that broke the record; it then has no cells.
    var brokenQuote: Int?

    /// The cell in a column, or nil when the record is too short or the column is not mapped.
    func cell(_ column: Int?) -> String? {
        guard let column, column >= 0, column < raw.count else { return nil }
        return raw[column].value
    }
}
