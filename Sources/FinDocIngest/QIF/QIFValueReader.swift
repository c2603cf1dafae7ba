import FinDocCore

/// Reads QIF dates and amounts under the conventions decided over the whole file: the day/month order and the
/// decimal separator. Reuses the CSV parsers, after rewriting Quicken's own date spellings into their forms.
struct QIFValueReader: Sendable {
    /// The file's date reading.
    let dates: CSVDateColumn
    /// `.` or `,`.
    let decimalSeparator: UInt8
    /// Minor-unit digits of the currency amounts are scaled to.
    let digits: Int
    /// True when no date proved the order and nobody chose it: the caller warns once.
    let ambiguousOrder: Bool

    /// Why an amount cannot be read.
    enum AmountFailure: Error, Equatable {
        /// Blank.
        case empty
        /// Not a number in the file's convention.
        case invalid
        /// More non-zero decimals than the currency has, or too large.
        case scale
    }

    /// Decides the file's conventions from all its date and amount values.
    init(dateValues: [String], amountValues: [String], dateOrder: DateOrder?, digits: Int) {
        let normalised = dateValues.map(Self.normalisedDate)
        // Evidence in the file wins; the caller's order only settles files that do not prove one (then month-first,
        // Quicken's US default, with a warning).
        let probe = CSVDateColumn(values: normalised, forced: nil, fallback: nil)
        ambiguousOrder = probe.ambiguous && dateOrder == nil
        dates = CSVDateColumn(values: normalised, forced: nil, fallback: dateOrder ?? .mdy)
        var dots = 0
        var commas = 0
        for value in amountValues {
            switch CSVAmountParser.decimalEvidence(value) {
            case UInt8(ascii: ".")?: dots += 1
            case UInt8(ascii: ",")?: commas += 1
            default: break
            }
        }
        decimalSeparator = commas > dots ? UInt8(ascii: ",") : UInt8(ascii: ".")
        self.digits = digits
    }

    /// Quicken's spellings rewritten for `CSVDateParser`: space padding removed (`1/ 5'98`), the apostrophe before
    /// the year turned into a separator (`12/31'19`), and a one-digit year after it padded (`1/5' 5` → 2005).
    static func normalisedDate(_ text: String) -> String {
        var out = ""
        var afterApostrophe = ""
        var sawApostrophe = false
        for character in text where character != " " && character != "\t" {
            if character == "'" || character == "\u{2019}" {
                guard !sawApostrophe else { return text }  // two apostrophes: leave it to fail as written
                sawApostrophe = true
                continue
            }
            if sawApostrophe { afterApostrophe.append(character) } else { out.append(character) }
        }
        guard sawApostrophe else { return out }
        if afterApostrophe.count == 1 { afterApostrophe = "0" + afterApostrophe }
        return out + "/" + afterApostrophe
    }

    /// The date a `D` value names.
    func date(_ text: String) -> Result<LocalDate, CSVDateColumn.Failure> {
        dates.date(Self.normalisedDate(text))
    }

    /// The amount a `T`, `U` or `$` value names, in minor units.
    func amount(_ text: String) -> Result<Int64, AmountFailure> {
        switch CSVAmountParser.parse(text, decimalSeparator: decimalSeparator) {
        case .empty: return .failure(.empty)
        case .invalid: return .failure(.invalid)
        case .number(let number):
            switch CSVAmountParser.minorUnits(number, digits: digits) {
            case .success(let value): return .success(value)
            case .failure: return .failure(.scale)
            }
        }
    }

    /// The pattern dates are read in, for messages.
    var datePattern: String { dates.pattern }
}
