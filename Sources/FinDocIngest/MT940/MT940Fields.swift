import FinDocCore

/// The MT940/MT942 field tags this reader understands; any other `:NN:` tag is reported and skipped.
enum MT940Tag: String, Sendable {
    case reference = "20"
    case relatedReference = "21"
    case account = "25"
    case accountWithBIC = "25P"
    case statementNumber = "28C"
    case statementNumberOld = "28"
    case dateTime = "13D"
    case dateTimeOld = "13"
    case floorLimit = "34F"
    case openingFinal = "60F"
    case openingInterim = "60M"
    case entry = "61"
    case closingFinal = "62F"
    case closingInterim = "62M"
    case closingAvailable = "64"
    case forwardAvailable = "65"
    case information = "86"
    case debitTotal = "90D"
    case creditTotal = "90C"
}

extension MT940Tag {
    /// The tag for the bytes between the colons (`61`, `60F`), without building a string: called for every line.
    static func from(_ b: ArraySlice<UInt8>) -> MT940Tag? {
        guard b.count == 2 || b.count == 3, let number = MT940Bytes.number(b, at: b.startIndex, count: 2) else {
            return nil
        }
        let letter: UInt8 = b.count == 3 ? b[b.startIndex + 2] : 0
        switch (number, letter) {
        case (61, 0): return .entry
        case (86, 0): return .information
        case (20, 0): return .reference
        case (21, 0): return .relatedReference
        case (25, 0): return .account
        case (25, UInt8(ascii: "P")): return .accountWithBIC
        case (28, UInt8(ascii: "C")): return .statementNumber
        case (28, 0): return .statementNumberOld
        case (13, UInt8(ascii: "D")): return .dateTime
        case (13, 0): return .dateTimeOld
        case (34, UInt8(ascii: "F")): return .floorLimit
        case (60, UInt8(ascii: "F")): return .openingFinal
        case (60, UInt8(ascii: "M")): return .openingInterim
        case (62, UInt8(ascii: "F")): return .closingFinal
        case (62, UInt8(ascii: "M")): return .closingInterim
        case (64, 0): return .closingAvailable
        case (65, 0): return .forwardAvailable
        case (90, UInt8(ascii: "D")): return .debitTotal
        case (90, UInt8(ascii: "C")): return .creditTotal
        default: return nil
        }
    }
}

/// A parsed balance field (`:60F:`, `:62F:`, `:64:`, `:65:`): `C170119PLN0,40`.
struct MT940Balance: Sendable {
    /// The signed balance (a `D` mark makes it negative).
    var money: Money
    /// The balance date.
    var date: LocalDate
    /// The line it was read from.
    var line: Int

    /// Parses the field content; returns a message describing what is wrong instead when it does not parse.
    static func parse(_ bytes: ArraySlice<UInt8>, line: Int) -> Result<MT940Balance, MT940FieldError> {
        let b = MT940Bytes.trimmed(bytes)
        let s = b.startIndex
        guard let mark = b.first, mark == UInt8(ascii: "C") || mark == UInt8(ascii: "D") else {
            return .failure(MT940FieldError("expected a C or D mark at the start of the balance", column: 0))
        }
        guard let yy = MT940Bytes.number(b, at: s + 1, count: 2), let mm = MT940Bytes.number(b, at: s + 3, count: 2),
            let dd = MT940Bytes.number(b, at: s + 5, count: 2),
            let date = LocalDate(year: MT940Bytes.fullYear(yy), month: mm, day: dd)
        else {
            return .failure(MT940FieldError("expected a YYMMDD balance date", column: 1))
        }
        guard s + 10 <= b.endIndex, let currency = CurrencyCode(MT940Bytes.string(b[(s + 7)..<(s + 10)])) else {
            return .failure(MT940FieldError("expected a three-letter currency code after the date", column: 7))
        }
        guard let (canonical, end) = MT940Bytes.amount(b, from: s + 10), end == b.endIndex,
            let minor = Money.parseMinorUnits(canonical, digits: currency.minorUnitDigits)
        else {
            return .failure(MT940FieldError("expected an amount such as 1234,56 after the currency", column: 10))
        }
        let signed = mark == UInt8(ascii: "D") ? -minor : minor
        return .success(MT940Balance(money: Money(minorUnits: signed, currency: currency), date: date, line: line))
    }
}

/// Why a field could not be read, and the 0-based offset in the field's content where it went wrong.
struct MT940FieldError: Error, Sendable {
    /// What was expected.
    var message: String
    /// Offset into the content (after the tag).
    var column: Int
    init(_ message: String, column: Int) {
        self.message = message
        self.column = column
    }
}

/// A parsed `:61:` statement line: `1701190119CN0,01NTRFNONREF//MB170119012058` plus supplementary details.
struct MT940EntryLine: Sendable {
    var valueDate: LocalDate
    var entryDate: LocalDate?
    /// +1 for money in (C, RD), -1 for money out (D, RC).
    var sign: Int64
    /// The mark as printed: C, D, RC, RD (EC/ED for expected entries).
    var mark: String
    var fundsCode: String?
    /// The amount as a canonical decimal (`1234.56`), converted once the statement's currency is known.
    var amount: String
    var transactionType: String?
    var customerReference: String?
    var bankReference: String?
    /// True when a date named a day the month does not have and was moved to the month's end.
    var adjustedDate: Bool

    /// Parses the first line of a `:61:` field (the content after the tag).
    static func parse(_ bytes: ArraySlice<UInt8>) -> Result<MT940EntryLine, MT940FieldError> {
        let b = MT940Bytes.trimmed(bytes)
        let s = b.startIndex
        guard let yy = MT940Bytes.number(b, at: s, count: 2), let mm = MT940Bytes.number(b, at: s + 2, count: 2),
            let dd = MT940Bytes.number(b, at: s + 4, count: 2),
            let (valueDate, valueAdjusted) = MT940Bytes.date(year: MT940Bytes.fullYear(yy), month: mm, day: dd)
        else {
            return .failure(MT940FieldError("expected a YYMMDD value date", column: 0))
        }
        var i = s + 6
        var entryDate: LocalDate?
        var adjusted = valueAdjusted
        if i < b.endIndex, MT940Bytes.isDigit(b[i]) {
            guard let em = MT940Bytes.number(b, at: i, count: 2), let ed = MT940Bytes.number(b, at: i + 2, count: 2)
            else {
                return .failure(MT940FieldError("expected an MMDD entry date after the value date", column: 6))
            }
            // The entry date has no year: take the value date's, stepping over New Year when the months lie
            // more than half a year apart (value 31 Dec, entry 2 Jan is next year, and the other way round).
            var year = valueDate.year
            if em - valueDate.month > 6 { year -= 1 } else if valueDate.month - em > 6 { year += 1 }
            guard let (date, entryAdjusted) = MT940Bytes.date(year: year, month: em, day: ed) else {
                return .failure(MT940FieldError("entry date \(em)/\(ed) is not a date", column: 6))
            }
            entryDate = date
            adjusted = adjusted || entryAdjusted
            i += 4
        }
        // Mark: C, D, RC (reversal of a credit: money out), RD (reversal of a debit: money in); EC/ED (expected,
        // MT942) count as C/D.
        guard i < b.endIndex else { return .failure(MT940FieldError("missing debit/credit mark", column: i - s)) }
        var sign: Int64
        var markStart = i
        let first = b[i]
        if (first == UInt8(ascii: "R") || first == UInt8(ascii: "E")), i + 1 < b.endIndex,
            b[i + 1] == UInt8(ascii: "C") || b[i + 1] == UInt8(ascii: "D")
        {
            let credit = b[i + 1] == UInt8(ascii: "C")
            sign = first == UInt8(ascii: "R") ? (credit ? -1 : 1) : (credit ? 1 : -1)
            i += 2
        } else if first == UInt8(ascii: "C") || first == UInt8(ascii: "D") {
            sign = first == UInt8(ascii: "C") ? 1 : -1
            i += 1
        } else {
            return .failure(MT940FieldError("expected a debit/credit mark (C, D, RC or RD)", column: i - s))
        }
        let mark = MT940Bytes.string(b[markStart..<i])
        markStart = i
        var fundsCode: String?
        if i < b.endIndex, MT940Bytes.isUpper(b[i]) {
            fundsCode = MT940Bytes.string(b[i..<(i + 1)])
            i += 1
        }
        guard let (amount, afterAmount) = MT940Bytes.amount(b, from: i) else {
            return .failure(MT940FieldError("expected an amount such as 1234,56 after the mark", column: i - s))
        }
        i = afterAmount
        var transactionType: String?
        if i + 4 <= b.endIndex, b[i] == UInt8(ascii: "N") || b[i] == UInt8(ascii: "F") || b[i] == UInt8(ascii: "S") {
            transactionType = MT940Bytes.string(b[i..<(i + 4)])
            i += 4
        }
        let rest = b[i...]
        var customerReference: String?
        var bankReference: String?
        if let split = firstDoubleSlash(rest) {
            customerReference = MT940Bytes.trimmedString(rest[rest.startIndex..<split])
            bankReference = MT940Bytes.trimmedString(rest[(split + 2)...])
        } else {
            customerReference = MT940Bytes.trimmedString(rest)
        }
        return .success(
            MT940EntryLine(
                valueDate: valueDate, entryDate: entryDate, sign: sign, mark: mark, fundsCode: fundsCode,
                amount: amount, transactionType: transactionType, customerReference: customerReference,
                bankReference: bankReference, adjustedDate: adjusted))
    }

    private static func firstDoubleSlash(_ b: ArraySlice<UInt8>) -> Int? {
        var i = b.startIndex
        while i + 1 < b.endIndex {
            if b[i] == MT940Bytes.slash && b[i + 1] == MT940Bytes.slash { return i }
            i += 1
        }
        return nil
    }
}
