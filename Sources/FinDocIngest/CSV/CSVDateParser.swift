import FinDocCore

/// Reads the date formats statements use: ISO `2017-01-31` (optionally with a time), `31/01/2017`, `01/31/2017`,
/// two-digit years, `31.01.2017`, `31-01-2017`, `2017/01/31`, `20170131`, and English month names (`3 Jan 2017`,
/// `03-JAN-17`, `January 3, 2017`). Whether `03/01/17` is the 3rd of January or the 1st of March is decided over
/// the whole column (`CSVDateColumn`), never per value.
enum CSVDateParser {
    /// What a cell looks like as a date, before the column's order is known.
    enum Shape: Equatable, Sendable {
        /// Year, month and day are known (ISO, `yyyymmdd`, a month name); the date may still be impossible.
        case full(year: Int, month: Int, day: Int)
        /// Three numbers, the last one a year of `yearDigits` digits: the order of the first two is open.
        case numeric(first: Int, second: Int, third: Int, yearDigits: Int, separator: UInt8)
    }

    /// Years written with two digits: 00–69 are 2000–2069, 70–99 are 1970–1999.
    static func expandYear(_ year: Int, digits: Int) -> Int {
        guard digits <= 2 else { return year }
        return year < 70 ? 2000 + year : 1900 + year
    }

    private enum Token {
        case number(value: Int, digits: Int)
        case month(Int)
    }

    /// Up to three tokens, held inline so that parsing a date allocates nothing.
    private struct Tokens {
        var count = 0
        var first = Token.month(0)
        var second = Token.month(0)
        var third = Token.month(0)
        var last: Token? {
            switch count {
            case 1: first
            case 2: second
            case 3: third
            default: nil
            }
        }
        mutating func append(_ token: Token) {
            switch count {
            case 0: first = token
            case 1: second = token
            case 2: third = token
            default: return
            }
            count += 1
        }
    }

    /// The shape of a cell, or nil when it is not a date in any supported format.
    static func shape(_ text: String) -> Shape? {
        var copy = text
        return copy.withUTF8 { shape(bytes: $0) }
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    private static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    private static func isSeparator(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "/") || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") || b == UInt8(ascii: " ")
            || b == UInt8(ascii: ",")
    }

    private static func shape(bytes p: UnsafeBufferPointer<UInt8>) -> Shape? {
        var lo = 0
        var hi = p.count
        while lo < hi, p[lo] == UInt8(ascii: " ") || p[lo] == UInt8(ascii: "\t") { lo += 1 }
        while hi > lo, p[hi - 1] == UInt8(ascii: " ") || p[hi - 1] == UInt8(ascii: "\t") { hi -= 1 }
        guard lo < hi else { return nil }
        var tokens = Tokens()
        var separator: UInt8 = 0
        var i = lo
        var skippedWeekday = false
        while i < hi, tokens.count < 3 {
            let start = i
            if isDigit(p[i]) {
                var value = 0
                while i < hi, isDigit(p[i]), i - start < 9 {
                    value = value * 10 + Int(p[i] &- 0x30)
                    i += 1
                }
                if i < hi, isDigit(p[i]) { return nil }  // more than 9 digits: not a date
                tokens.append(.number(value: value, digits: i - start))
            } else if isLetter(p[i]) {
                while i < hi, isLetter(p[i]) { i += 1 }
                let word = UnsafeBufferPointer(rebasing: p[start..<i])
                if let month = monthNumber(word) {
                    tokens.append(.month(month))
                } else if tokens.count == 0, !skippedWeekday, isWeekday(word) {
                    skippedWeekday = true
                } else {
                    return nil
                }
            } else {
                return nil
            }
            // Separators between components: one or two of / - . space and comma ("Jan 3, 2017", "3. Jan").
            if tokens.count == 3 { break }
            let sepStart = i
            while i < hi, isSeparator(p[i]), i - sepStart < 2 { i += 1 }
            if i > sepStart, separator == 0, tokens.count > 0 { separator = p[sepStart] }
            if i == sepStart {
                // Without a separator the next component must switch between digits and letters ("03Jan2017");
                // otherwise the date has ended (a lone "20170131", or junk that the check below rejects).
                guard i < hi, isLetter(p[i]) == isDigitToken(tokens) else { break }
            }
        }
        // After the date, only a time may follow: " 13:45", "T13:45:00Z".
        if i < hi {
            guard tokens.count == 3, p[i] == UInt8(ascii: " ") || p[i] == UInt8(ascii: "T"), i + 1 < hi, isDigit(p[i + 1])
            else { return nil }
        }
        switch tokens.count {
        case 1:
            guard case .number(let v, 8) = tokens.first else { return nil }
            return .full(year: v / 10000, month: v / 100 % 100, day: v % 100)
        case 3:
            switch (tokens.first, tokens.second, tokens.third) {
            case (.number(let y, 4), .number(let m, let md), .number(let d, let dd)) where md <= 2 && dd <= 2:
                return .full(year: y, month: m, day: d)
            case (.number(let a, let ad), .number(let b, let bd), .number(let c, let cd))
            where ad <= 2 && bd <= 2 && (cd == 2 || cd == 4):
                return .numeric(first: a, second: b, third: c, yearDigits: cd, separator: separator)
            case (.number(let d, let dd), .month(let m), .number(let y, let yd)) where dd <= 2 && (yd == 2 || yd == 4):
                return .full(year: expandYear(y, digits: yd), month: m, day: d)
            case (.month(let m), .number(let d, let dd), .number(let y, let yd)) where dd <= 2 && (yd == 2 || yd == 4):
                return .full(year: expandYear(y, digits: yd), month: m, day: d)
            case (.number(let y, 4), .month(let m), .number(let d, let dd)) where dd <= 2:
                return .full(year: y, month: m, day: d)
            default:
                return nil
            }
        default:
            return nil
        }
    }

    private static func isDigitToken(_ tokens: Tokens) -> Bool {
        if case .number = tokens.last { return true }
        return false
    }

    private static let months: [(String, Int)] = [
        ("jan", 1), ("january", 1), ("feb", 2), ("february", 2), ("mar", 3), ("march", 3), ("apr", 4), ("april", 4),
        ("may", 5), ("jun", 6), ("june", 6), ("jul", 7), ("july", 7), ("aug", 8), ("august", 8), ("sep", 9),
        ("sept", 9), ("september", 9), ("oct", 10), ("october", 10), ("nov", 11), ("november", 11), ("dec", 12),
        ("december", 12),
    ]

    private static let weekdays: [String] = [
        "mon", "monday", "tue", "tues", "tuesday", "wed", "wednesday", "thu", "thur", "thurs", "thursday", "fri",
        "friday", "sat", "saturday", "sun", "sunday",
    ]

    private static func lowered(_ word: UnsafeBufferPointer<UInt8>) -> String? {
        guard word.count <= 9 else { return nil }
        return String(unsafeUninitializedCapacity: word.count) { buffer in
            for (i, b) in word.enumerated() where i < buffer.count { buffer[i] = b | 0x20 }
            return min(word.count, buffer.count)
        }
    }

    private static func monthNumber(_ word: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let w = lowered(word) else { return nil }
        return months.first { $0.0 == w }?.1
    }

    private static func isWeekday(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let w = lowered(word) else { return false }
        return weekdays.contains(w)
    }

    /// The pattern a shape is written in under an order, for messages: `dd/mm/yy`, `yyyy-mm-dd`, `d MMM yyyy`.
    static func pattern(of shape: Shape?, order: DateOrder) -> String {
        guard case .numeric(_, _, _, let yearDigits, let separator)? = shape else {
            if shape != nil { return "yyyy-mm-dd or d MMM yyyy" }
            return "dd/mm/yyyy or yyyy-mm-dd"
        }
        let sep = separator == 0 ? "/" : String(UnicodeScalar(separator))
        let year = yearDigits == 2 ? "yy" : "yyyy"
        switch order {
        case .dmy: return "dd\(sep)mm\(sep)\(year)"
        case .mdy: return "mm\(sep)dd\(sep)\(year)"
        case .ymd: return "yy\(sep)mm\(sep)dd"
        }
    }
}
