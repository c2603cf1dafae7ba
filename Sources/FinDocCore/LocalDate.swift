/// A calendar date without time or time zone, as statements print them.
public struct LocalDate: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The year, e.g. 2017.
    public let year: Int
    /// The month, 1–12.
    public let month: Int
    /// The day of the month, 1–31 and valid for the month.
    public let day: Int

    /// Creates a date; returns nil when the day does not exist (30 February, month 13, year 0).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
            day <= LocalDate.daysIn(month: month, year: year)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses an ISO 8601 calendar date `YYYY-MM-DD`.
    public init?(iso text: some StringProtocol) {
        // Read in place when the text has contiguous UTF-8 (native strings and their substrings do): copying it into
        // an array first cost about 2,000 instructions a date in callgrind, for every camt entry's two dates.
        let fields = text.utf8.withContiguousStorageIfAvailable { Self.isoFields($0) } ?? Self.isoFields(Array(text.utf8))
        guard let (y, m, d) = fields else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Year, month and day of exactly `YYYY-MM-DD` (digits and dashes), before any calendar check.
    private static func isoFields<Bytes: RandomAccessCollection<UInt8>>(_ u: Bytes) -> (Int, Int, Int)? where Bytes.Index == Int {
        guard u.count == 10 else { return nil }
        let b = u.startIndex
        guard u[b + 4] == UInt8(ascii: "-"), u[b + 7] == UInt8(ascii: "-"), let y = number(u[b..<(b + 4)]),
            let m = number(u[(b + 5)..<(b + 7)]), let d = number(u[(b + 8)..<(b + 10)])
        else { return nil }
        return (y, m, d)
    }

    /// The ISO 8601 form, `YYYY-MM-DD`: the form the store keeps, which sorts as text.
    ///
    /// Built as ten ASCII bytes (a small string, no allocation): it runs for every stored transaction and every
    /// content dedup key, and the concatenating version cost 2,600 instructions a call in callgrind.
    public var iso: String {
        withISOBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the ten ASCII bytes of `iso`, without building a `String` (the store binds them directly).
    public func withISOBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        // `init` keeps year in 1...9999, month in 1...12 and day in 1...31, so each field fits its digits.
        let zero = UInt8(ascii: "0"), dash = UInt8(ascii: "-")
        let y = year, m = month, d = day
        let bytes: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (
            zero + UInt8(y / 1000 % 10), zero + UInt8(y / 100 % 10), zero + UInt8(y / 10 % 10), zero + UInt8(y % 10),
            dash, zero + UInt8(m / 10 % 10), zero + UInt8(m % 10), dash, zero + UInt8(d / 10 % 10), zero + UInt8(d % 10)
        )
        return try withUnsafeBytes(of: bytes) { raw in try body(raw.assumingMemoryBound(to: UInt8.self)) }
    }

    public var description: String { iso }

    public static func < (a: LocalDate, b: LocalDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// Number of days in a month of the proleptic Gregorian calendar.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func number<Digits: Collection<UInt8>>(_ digits: Digits) -> Int? {
        var value = 0
        for byte in digits {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }
}

extension LocalDate {
    /// Days since 1970-01-01 (negative before), by the proleptic Gregorian calendar.
    public var daysSinceEpoch: Int {
        // Howard Hinnant's days_from_civil: exact for every representable date, no Foundation calendar needed.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date `days` days later (earlier when negative); nil outside years 1–9999.
    public func adding(days: Int) -> LocalDate? {
        let z = daysSinceEpoch + days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return LocalDate(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }
}
