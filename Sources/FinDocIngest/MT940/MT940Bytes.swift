import FinDocCore

/// Byte-level helpers shared by the MT940 parsers: the format is ASCII-structured, so everything is read from UTF-8
/// bytes and only the values a caller keeps become `String`s.
enum MT940Bytes {
    static let colon = UInt8(ascii: ":")
    static let slash = UInt8(ascii: "/")
    static let space = UInt8(ascii: " ")
    static let comma = UInt8(ascii: ",")
    static let dot = UInt8(ascii: ".")
    static let question = UInt8(ascii: "?")
    static let plus = UInt8(ascii: "+")

    /// True for `0`–`9`.
    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// True for `A`–`Z`.
    @inline(__always) static func isUpper(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }

    /// True for space and tab.
    @inline(__always) static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    /// The value of `count` decimal digits starting at `index`, or nil when any is missing or not a digit.
    static func number(_ bytes: ArraySlice<UInt8>, at index: Int, count: Int) -> Int? {
        guard index >= bytes.startIndex, count >= 0, index + count <= bytes.endIndex else { return nil }
        var value = 0
        for i in index..<(index + count) {
            let byte = bytes[i]
            guard isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    /// The slice without leading and trailing spaces and tabs.
    static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var lo = bytes.startIndex
        var hi = bytes.endIndex
        while lo < hi, isBlank(bytes[lo]) { lo += 1 }
        while hi > lo, isBlank(bytes[hi - 1]) { hi -= 1 }
        return bytes[lo..<hi]
    }

    /// The bytes as text.
    @inline(__always) static func string(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// The bytes as trimmed text, or nil when nothing is left.
    static func trimmedString(_ bytes: ArraySlice<UInt8>) -> String? {
        let t = trimmed(bytes)
        return t.isEmpty ? nil : string(t)
    }

    /// Runs of spaces and tabs collapsed to one space, ends trimmed: free text the bank padded to fixed widths.
    static func collapsed(_ bytes: ArraySlice<UInt8>) -> String {
        // Written straight into the string's storage: this runs for most fields of most transactions. Only ASCII
        // blanks are touched, so valid UTF-8 stays valid (and String re-validates what it is given anyway).
        String(unsafeUninitializedCapacity: bytes.count) { buffer in
            var n = 0
            var pendingSpace = false
            for byte in bytes {
                if isBlank(byte) {
                    pendingSpace = n > 0
                } else {
                    if pendingSpace, n < buffer.count {
                        buffer[n] = space
                        n += 1
                    }
                    pendingSpace = false
                    if n < buffer.count {
                        buffer[n] = byte
                        n += 1
                    }
                }
            }
            return n
        }
    }

    /// A date from a two-digit year, month and day. Banks (mostly German ones) print 30 February and 31 June for
    /// month-end postings; such days are moved to the month's last day and `adjusted` says so, so the caller can
    /// warn instead of dropping a real transaction.
    static func date(year: Int, month: Int, day: Int) -> (date: LocalDate, adjusted: Bool)? {
        if let exact = LocalDate(year: year, month: month, day: day) { return (exact, false) }
        guard (1...12).contains(month), (1...31).contains(day), (1...9999).contains(year) else { return nil }
        guard let clamped = LocalDate(year: year, month: month, day: LocalDate.daysIn(month: month, year: year)) else {
            return nil
        }
        return (clamped, true)
    }

    /// The four-digit year for a two-digit SWIFT year: 80–99 are the 1900s, the rest this century.
    @inline(__always) static func fullYear(_ twoDigits: Int) -> Int { twoDigits >= 80 ? 1900 + twoDigits : 2000 + twoDigits }

    /// Parses a SWIFT amount (`1234,56`, `1234,`, `0,5`; a `.` is tolerated) at `index`: returns the canonical
    /// decimal text (`1234.56`) for `Money.parseMinorUnits` and the index after it, or nil when there is no digit.
    static func amount(_ bytes: ArraySlice<UInt8>, from index: Int) -> (canonical: String, end: Int)? {
        var i = index
        var out: [UInt8] = []
        var sawDigit = false
        var sawSeparator = false
        while i < bytes.endIndex {
            let byte = bytes[i]
            if isDigit(byte) {
                sawDigit = true
                out.append(byte)
            } else if (byte == comma || byte == dot) && !sawSeparator {
                sawSeparator = true
                out.append(dot)
            } else {
                break
            }
            i += 1
        }
        guard sawDigit, out.count <= 40 else { return nil }
        return (String(decoding: out, as: UTF8.self), i)
    }
}
