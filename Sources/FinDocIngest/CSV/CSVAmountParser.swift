import FinDocCore

/// Reads the many ways statements write amounts — `1,120.81`, `1.234,56`, `1 234,56`, `1'234.50`, `(12.34)`,
/// `12.34-`, `12.34 CR`, `£12.34`, `EUR 12,34` — exactly, in integer arithmetic. Which character is the decimal
/// separator is decided once per column (`decimalEvidence`), because a single value such as `1,234` cannot say.
enum CSVAmountParser {
    /// A number taken apart, before it is scaled to a currency.
    struct Number: Equatable, Sendable {
        /// A minus sign, parentheses or a DR marker.
        var negative: Bool
        /// All digits as one integer: `12.34` is 1234 with two fraction digits.
        var mantissa: Int64
        /// Digits after the decimal separator.
        var fractionDigits: Int
        /// A currency code or unambiguous symbol written next to the number.
        var currency: CurrencyCode?
    }

    /// What a cell holds.
    enum Outcome: Equatable, Sendable {
        /// Nothing (blank cell).
        case empty
        /// A number.
        case number(Number)
        /// Not a number (letters, misplaced separators, more digits than 64 bits hold).
        case invalid
    }

    /// Why a number cannot become an amount in a currency.
    enum ScaleError: Error, Equatable {
        /// Non-zero decimals beyond what the currency has.
        case tooManyDecimals
        /// Does not fit in 64 bits of minor units.
        case overflow
    }

    /// The prepared form of a cell: ASCII digits, `.`, `,` and `'` (any other grouping mark), plus sign and currency.
    private struct Core {
        var bytes: [UInt8]
        var negative: Bool
        var currency: CurrencyCode?
    }

    private static let dot = UInt8(ascii: ".")
    private static let comma = UInt8(ascii: ",")
    private static let group = UInt8(ascii: "'")

    /// Parses a cell given the column's decimal separator (`.` or `,`).
    static func parse(_ text: String, decimalSeparator: UInt8) -> Outcome {
        if let fast = fastCore(text) {
            if fast.body.isEmpty { return fast.negative ? .invalid : .empty }
            guard let (mantissa, fraction) = digits(fast.body, decimalSeparator: decimalSeparator) else {
                return .invalid
            }
            return .number(Number(negative: fast.negative, mantissa: mantissa, fractionDigits: fraction, currency: nil))
        }
        guard let core = slowCore(of: text) else { return .invalid }
        if core.bytes.isEmpty { return .empty }
        guard let (mantissa, fraction) = digits(core.bytes, decimalSeparator: decimalSeparator) else { return .invalid }
        return .number(Number(negative: core.negative, mantissa: mantissa, fractionDigits: fraction, currency: core.currency))
    }

    /// What one cell says about the decimal separator: `.` or `,` when it is clear, nil when it is not (`1,234`,
    /// `12`, or not a number).
    static func decimalEvidence(_ text: String) -> UInt8? {
        if let fast = fastCore(text) { return evidence(fast.body) }
        guard let core = slowCore(of: text) else { return nil }
        return evidence(core.bytes)
    }

    private static func evidence<C: Collection<UInt8>>(_ core: C) -> UInt8? {
        var dots = 0, commas = 0, groups = 0, count = 0
        var lastDot = -1, lastComma = -1
        for b in core {
            if b == dot { dots += 1; lastDot = count }
            else if b == comma { commas += 1; lastComma = count }
            else if b == group { groups += 1 }
            count += 1
        }
        if dots > 0, commas > 0 { return lastDot > lastComma ? dot : comma }
        if dots == 0, commas == 0 { return nil }
        let (mark, marks, last) = dots > 0 ? (dot, dots, lastDot) : (comma, commas, lastComma)
        let other = mark == dot ? comma : dot
        if marks > 1 { return other }
        // One mark: three digits after it reads as a thousands group ("1,234") unless another grouping mark
        // already does that job ("1 234,567").
        return count - last - 1 == 3 && groups == 0 ? nil : mark
    }

    /// True when a cell reads as a number under either convention (used to tell header rows from data rows).
    static func looksLikeNumber(_ text: String) -> Bool {
        if case .number = parse(text, decimalSeparator: dot) { return true }
        if case .number = parse(text, decimalSeparator: comma) { return true }
        return false
    }

    /// The number in minor units of a currency with `digits` decimals, exactly.
    static func minorUnits(_ number: Number, digits: Int) -> Result<Int64, ScaleError> {
        var value = number.mantissa
        var fraction = number.fractionDigits
        while fraction > digits {
            // Extra decimals are only acceptable when they are zeros ("12.500" in GBP).
            guard value % 10 == 0 else { return .failure(.tooManyDecimals) }
            value /= 10
            fraction -= 1
        }
        while fraction < digits {
            let (next, overflow) = value.multipliedReportingOverflow(by: 10)
            guard !overflow else { return .failure(.overflow) }
            value = next
            fraction += 1
        }
        return .success(number.negative ? -value : value)
    }

    // MARK: - Taking a cell apart

    /// The plain-ASCII shape of nearly every cell — digits, `.` and `,`, at most a leading sign or a trailing minus —
    /// read without allocating; nil sends the cell to `slowCore`.
    private static func fastCore(_ text: String) -> (negative: Bool, body: Substring.UTF8View)? {
        let utf8 = text.utf8
        var body = Substring(text).utf8
        var negative = false
        if let first = utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            body = body.dropFirst()
        } else if let last = utf8.last, last == UInt8(ascii: "-") {
            negative = true
            body = body.dropLast()
        }
        for b in body {
            switch b {
            case 0x30...0x39, dot, comma: continue
            default: return nil
            }
        }
        if negative, body.isEmpty { return nil }
        if !body.isEmpty, !body.contains(where: { $0 >= 0x30 && $0 <= 0x39 }) { return nil }
        return (negative, body)
    }

    private static func isSpace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x20, 0x09, 0xA0, 0x2007, 0x2009, 0x202F: return true
        default: return false
        }
    }

    private static func isGroupMark(_ s: Unicode.Scalar) -> Bool {
        isSpace(s) || s == "'" || s == "\u{2019}"
    }

    private static func isLetter(_ s: Unicode.Scalar) -> Bool {
        (s.value | 0x20) >= 0x61 && (s.value | 0x20) <= 0x7A
    }

    private static func symbolCurrency(_ s: Unicode.Scalar) -> CurrencyCode? {
        switch s {
        case "£": CurrencyCode("GBP")
        case "€": CurrencyCode("EUR")
        case "₹": CurrencyCode("INR")
        default: nil  // "$", "¥" and others name several currencies
        }
    }

    /// Strips sign markers and currency from both ends and normalises the rest; nil when something other than a
    /// number is left. An empty `bytes` means a blank cell.
    private static func slowCore(of text: String) -> Core? {
        let scalars = Array(text.unicodeScalars)
        var lo = 0
        var hi = scalars.count
        var negative = false
        var openParen = false
        var closeParen = false
        var currency: CurrencyCode?
        var credit = false

        /// Handles a run of ASCII letters at an end: CR/DR markers or a currency code; false for anything else.
        func word(_ letters: ArraySlice<Unicode.Scalar>) -> Bool {
            let upper = String(String.UnicodeScalarView(letters)).uppercased()
            switch upper {
            case "CR": credit = true
            case "DR": negative = true
            default:
                guard upper.count == 3, let code = CurrencyCode(upper) else { return false }
                currency = code
            }
            return true
        }

        var progress = true
        while progress && lo < hi {
            progress = false
            let s = scalars[lo]
            if isSpace(s) || s == "+" {
                lo += 1
                progress = true
            } else if s == "-" || s == "\u{2212}" {
                negative = true
                lo += 1
                progress = true
            } else if s == "(" {
                openParen = true
                lo += 1
                progress = true
            } else if s.properties.generalCategory == .currencySymbol {
                currency = currency ?? symbolCurrency(s)
                lo += 1
                progress = true
            } else if isLetter(s) {
                var k = lo
                while k < hi, isLetter(scalars[k]) { k += 1 }
                guard word(scalars[lo..<k]) else { return nil }
                lo = k
                progress = true
            }
        }
        progress = true
        while progress && lo < hi {
            progress = false
            let s = scalars[hi - 1]
            if isSpace(s) || s == "+" {
                hi -= 1
                progress = true
            } else if s == "-" || s == "\u{2212}" {
                negative = true
                hi -= 1
                progress = true
            } else if s == ")" {
                closeParen = true
                hi -= 1
                progress = true
            } else if s.properties.generalCategory == .currencySymbol {
                currency = currency ?? symbolCurrency(s)
                hi -= 1
                progress = true
            } else if isLetter(s) {
                var k = hi
                while k > lo, isLetter(scalars[k - 1]) { k -= 1 }
                guard word(scalars[k..<hi]) else { return nil }
                hi = k
                progress = true
            }
        }
        guard openParen == closeParen else { return nil }
        if openParen { negative = true }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hi - lo)
        var sawDigit = false
        for s in scalars[lo..<hi] {
            if s.value >= 0x30 && s.value <= 0x39 {
                bytes.append(UInt8(s.value))
                sawDigit = true
            } else if s == "." || s == "," {
                bytes.append(UInt8(s.value))
            } else if isGroupMark(s) {
                bytes.append(group)
            } else {
                return nil
            }
        }
        guard sawDigit else {
            // Only white space is a blank cell; a lone sign, marker or currency is not a number.
            let blank = bytes.isEmpty && !negative && !credit && !openParen && currency == nil
            return blank ? Core(bytes: [], negative: false, currency: nil) : nil
        }
        return Core(bytes: bytes, negative: negative, currency: currency)
    }

    /// Mantissa and fraction digit count of a normalised core under a decimal separator, checking that any
    /// thousands grouping is regular (groups of three, or of two as in Indian lakh notation, the last of three).
    private static func digits<C: Collection<UInt8>>(_ core: C, decimalSeparator: UInt8) -> (Int64, Int)? {
        var decimalIndex: C.Index?
        var i = core.startIndex
        while i < core.endIndex {
            if core[i] == decimalSeparator {
                guard decimalIndex == nil else { return nil }
                decimalIndex = i
            }
            i = core.index(after: i)
        }
        let integerPart = core[..<(decimalIndex ?? core.endIndex)]
        let fractionPart = decimalIndex.map { core[core.index(after: $0)...] } ?? core[core.endIndex...]
        var mantissa: Int64 = 0
        var sawDigit = false
        var groupLength = 0
        var groups = 0
        var firstGroupLength = 0
        for b in integerPart {
            if b >= 0x30 && b <= 0x39 {
                guard let next = append(mantissa, b) else { return nil }
                mantissa = next
                sawDigit = true
                groupLength += 1
            } else {
                // A thousands mark: the other of . and , or a grouping mark.
                if groups == 0 {
                    guard (1...3).contains(groupLength) else { return nil }
                    firstGroupLength = groupLength
                } else {
                    guard groupLength == 2 || groupLength == 3 else { return nil }
                }
                groups += 1
                groupLength = 0
            }
        }
        if groups > 0 { guard groupLength == 3, firstGroupLength > 0 else { return nil } }
        var fraction = 0
        for b in fractionPart {
            guard b >= 0x30 && b <= 0x39, let next = append(mantissa, b) else { return nil }
            mantissa = next
            fraction += 1
            sawDigit = true
        }
        return sawDigit ? (mantissa, fraction) : nil
    }

    private static func append(_ value: Int64, _ digit: UInt8) -> Int64? {
        let (times10, o1) = value.multipliedReportingOverflow(by: 10)
        let (next, o2) = times10.addingReportingOverflow(Int64(digit &- 0x30))
        return o1 || o2 ? nil : next
    }
}
