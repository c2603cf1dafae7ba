/// One field line of a record: its letter, its value as written, and the name it is kept under in `rawFields`.
struct QIFField: Sendable {
    /// The field letter (the line's first character).
    var letter: Character
    /// The rest of the line, as written.
    var value: Substring
    /// The 1-based line it was on.
    var line: Int
    /// `D`, `A2`, `S1`, `$1`: unique within the record, so nothing is lost when fields repeat.
    var name: String
}

/// The fields between two `^` lines, with the section and account they were read in.
struct QIFRecord: Sendable {
    /// The section the record is in.
    var section: QIFSection
    /// The account it belongs to (from the last `!Account` block, the option, or `qif`).
    var account: String
    /// The fields, in source order.
    var fields: [QIFField]
    /// False when the file or the section ended before the record's `^`.
    var terminated: Bool
    /// 0-based index among the records of transaction sections (the transaction's `position`).
    var position: Int

    /// The 1-based line of the record's first field.
    var startLine: Int { fields.first?.line ?? 0 }

    /// The first field with this letter (for the fields that matter, the first is what Quicken means).
    func first(_ letter: Character) -> QIFField? {
        fields.first { $0.letter == letter }
    }

    /// The trimmed value of the first field with this letter, nil when absent or blank.
    func text(_ letter: Character) -> String? {
        guard let field = first(letter) else { return nil }
        let trimmed = field.value.trimmingASCIIWhitespace()
        return trimmed.isEmpty ? nil : String(trimmed)
    }
}

/// Names the fields of one record as they are appended: repeated letters are numbered (`A`, `A2`, …) and split
/// lines (`S`, `E`, `$`, `%`) take the number of their split (`S1`, `E1`, `$1`, `S2`, …).
struct QIFFieldNamer: Sendable {
    /// Whether `S`/`E`/`$`/`%` are split lines (cash sections) or ordinary fields (investment, account).
    let splits: Bool
    private var counts: [Character: Int] = [:]
    private var splitIndex = 0
    private var splitLetters: Set<Character> = []

    /// Creates a namer for one record.
    init(splits: Bool) {
        self.splits = splits
    }

    /// The name for the next field with this letter.
    mutating func name(for letter: Character) -> String {
        if splits, letter == "S" || letter == "E" || letter == "$" || letter == "%" {
            // A split starts at its S line; an E or $ that repeats within the current split (or comes before any S)
            // starts a new one, so split lines are never merged.
            if letter == "S" || splitIndex == 0 || splitLetters.contains(letter) {
                splitIndex += 1
                splitLetters = []
            }
            splitLetters.insert(letter)
            return String(letter) + String(splitIndex)
        }
        let count = (counts[letter] ?? 0) + 1
        counts[letter] = count
        return count == 1 ? String(letter) : String(letter) + String(count)
    }
}
