import FinDocCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parsing of OFX leaf values: dates, amounts, decimal rates, and text in the file's character set.
enum OFXValues {
    /// Parses an OFX date-time (`YYYYMMDD`, `YYYYMMDDHHMMSS`, `…HHMMSS.XXX`, optionally followed by a zone such as
    /// `[-5:EST]` or `[+1]`) into the calendar date **as written**: the zone is not applied, so a posting at
    /// 23:30 `[-5:EST]` stays on its own day, as the bank printed it.
    static func date(_ text: String) -> LocalDate? {
        // Over the UTF-8 bytes by integer index: stepping a `Substring.UTF8View` with `dropFirst` cost about 3,400
        // instructions a date (callgrind, 10,000 OFX 2 transactions), a fifth of building a transaction.
        var text = text
        return text.withUTF8 { bytes -> LocalDate? in
            var i = 0
            func digits(_ count: Int) -> Int? {
                var value = 0
                for _ in 0..<count {
                    guard i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 else { return nil }
                    value = value * 10 + Int(bytes[i] - 0x30)
                    i += 1
                }
                return value
            }
            guard let year = digits(4), let month = digits(2), let day = digits(2) else { return nil }
            var timeDigits = 0
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                timeDigits += 1
                i += 1
            }
            guard timeDigits <= 6, timeDigits % 2 == 0 else { return nil }
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                i += 1
                while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: "[") {
                while i < bytes.count, bytes[i] != UInt8(ascii: "]") { i += 1 }
                guard i < bytes.count else { return nil }
                i += 1
            }
            while i < bytes.count {
                guard bytes[i] == 0x20 || bytes[i] == 0x09 else { return nil }
                i += 1
            }
            return LocalDate(year: year, month: month, day: day)
        }
    }

    /// The amount text in canonical form (`-12.50`): sign kept as written, a decimal comma turned into a point, a
    /// thousands separator (the other of `.`/`,` before the last one) removed. Nil when it is not a number.
    static func canonicalAmount(_ text: String) -> String? {
        var trimmed = text.trimmingASCIIWhitespace()
        guard !trimmed.isEmpty else { return nil }
        // Over the bytes in one buffer: three passes through `Substring.UTF8View` cost about 1,900 instructions an
        // amount (callgrind, 10,000 OFX 2 transactions).
        return trimmed.withUTF8 { bytes -> String? in
            var hasPoint = false
            var hasComma = false
            var lastSeparator = UInt8(ascii: ".")
            for byte in bytes {
                switch byte {
                case 0x30...0x39, UInt8(ascii: "-"), UInt8(ascii: "+"): continue
                case UInt8(ascii: "."): hasPoint = true
                case UInt8(ascii: ","): hasComma = true
                default: return nil
                }
                lastSeparator = byte
            }
            // Digits, signs and points only: already canonical.
            if !hasComma { return String(decoding: bytes, as: UTF8.self) }
            let decimalSeparator = hasPoint ? lastSeparator : UInt8(ascii: ",")
            var out = [UInt8]()
            out.reserveCapacity(bytes.count)
            for byte in bytes {
                if byte == UInt8(ascii: ".") || byte == UInt8(ascii: ",") {
                    if byte == decimalSeparator { out.append(UInt8(ascii: ".")) }
                } else {
                    out.append(byte)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Exact minor units of an amount; extra non-zero decimals are rounded half away from zero (`rounded` says so).
    static func minorUnits(_ text: String, digits: Int) -> (value: Int64, rounded: Bool)? {
        guard let canonical = canonicalAmount(text) else { return nil }
        if let exact = Money.parseMinorUnits(canonical, digits: digits) { return (exact, false) }
        guard let decimal = Decimal(canonical), let value = decimal.scaled(to: digits) else { return nil }
        return (value, true)
    }

    /// A small exact decimal: `mantissa × 10^-scale`.
    struct Decimal {
        var mantissa: Int64
        var scale: Int

        init(mantissa: Int64, scale: Int) {
            self.mantissa = mantissa
            self.scale = scale
        }

        /// Parses canonical text (`-1.0625`).
        init?(_ canonical: String) {
            var value: Int64 = 0
            var scale = -1
            var negative = false
            var sawDigit = false
            for (offset, byte) in canonical.utf8.enumerated() {
                if offset == 0, byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") {
                    negative = byte == UInt8(ascii: "-")
                    continue
                }
                if byte == UInt8(ascii: ".") {
                    guard scale < 0 else { return nil }
                    scale = 0
                    continue
                }
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                sawDigit = true
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(byte - 0x30))
                guard !o1, !o2 else { return nil }
                value = a
                if scale >= 0 { scale += 1 }
            }
            guard sawDigit, scale <= 18 else { return nil }
            self.init(mantissa: negative ? -value : value, scale: max(scale, 0))
        }

        /// The value with `digits` decimals, rounded half away from zero; nil on overflow.
        func scaled(to digits: Int) -> Int64? {
            if digits >= scale {
                return OFXValues.multiply(mantissa, byPowerOfTen: digits - scale)
            }
            guard let divisor = OFXValues.power(scale - digits) else { return nil }
            return OFXValues.roundedDivision(mantissa, divisor)
        }
    }

    /// 10^n, nil on overflow.
    static func power(_ n: Int) -> Int64? {
        guard n >= 0, n <= 18 else { return nil }
        var value: Int64 = 1
        for _ in 0..<n { value *= 10 }
        return value
    }

    /// value × 10^n, nil on overflow.
    static func multiply(_ value: Int64, byPowerOfTen n: Int) -> Int64? {
        guard let p = power(n) else { return nil }
        let (result, overflow) = value.multipliedReportingOverflow(by: p)
        return overflow ? nil : result
    }

    /// numerator / denominator rounded half away from zero; nil for a zero denominator.
    static func roundedDivision(_ numerator: Int64, _ denominator: Int64) -> Int64? {
        guard denominator != 0, !(numerator == .min && denominator == -1) else { return nil }
        let quotient = numerator / denominator
        let remainder = numerator % denominator
        if remainder.magnitude >= (denominator.magnitude - remainder.magnitude) {
            return (numerator < 0) != (denominator < 0) ? quotient - 1 : quotient + 1
        }
        return quotient
    }

    /// Converts `minor` (with `fromDigits` decimals) by `rate` to minor units with `toDigits` decimals, multiplying
    /// (`divide == false`) or dividing by the rate; rounded half away from zero, nil on overflow or a zero rate.
    static func convert(_ minor: Int64, fromDigits: Int, toDigits: Int, rate: Decimal, divide: Bool) -> Int64? {
        // value = minor × 10^-from; result = value × rate (or ÷ rate) × 10^to
        if divide {
            // minor × 10^(to - from) × 10^scale / mantissa
            let shift = toDigits - fromDigits + rate.scale
            if shift >= 0 {
                guard let numerator = multiply(minor, byPowerOfTen: shift) else { return nil }
                return roundedDivision(numerator, rate.mantissa)
            }
            guard let p = power(-shift) else { return nil }
            let (denominator, overflow) = rate.mantissa.multipliedReportingOverflow(by: p)
            return overflow ? nil : roundedDivision(minor, denominator)
        }
        let (product, overflow) = minor.multipliedReportingOverflow(by: rate.mantissa)
        guard !overflow else { return nil }
        let shift = toDigits - fromDigits - rate.scale
        if shift >= 0 { return multiply(product, byPowerOfTen: shift) }
        guard let p = power(-shift) else { return nil }
        return roundedDivision(product, p)
    }
}

/// Turns the bytes of one OFX value into text in the file's character set, resolving SGML/XML character entities.
struct OFXTextDecoder {
    /// True: UTF-8; false: Windows-1252 (also used for ISO-8859-1, of which it is a superset for printable text).
    var utf8: Bool

    /// Decodes `bytes[range]` (already trimmed).
    func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        guard !range.isEmpty else { return "" }
        let slice = UnsafeBufferPointer(rebasing: bytes[range])
        var ascii = true
        var ampersand = false
        for byte in slice {
            if byte >= 0x80 { ascii = false }
            if byte == UInt8(ascii: "&") { ampersand = true }
        }
        let text: String
        if ascii || utf8 {
            text = String(decoding: slice, as: UTF8.self)
        } else {
            text = String(decoding: Windows1252.toUTF8(Array(slice)), as: UTF8.self)
        }
        return ampersand ? Self.resolveEntities(text) : text
    }

    /// Replaces `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&nbsp;` and numeric references; anything else stays as written.
    static func resolveEntities(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            guard let semi = after.prefix(10).firstIndex(of: ";") else {
                out += "&"
                rest = after
                continue
            }
            let name = after[..<semi]
            var replacement: String?
            switch name {
            case "amp": replacement = "&"
            case "lt": replacement = "<"
            case "gt": replacement = ">"
            case "quot": replacement = "\""
            case "apos": replacement = "'"
            case "nbsp": replacement = "\u{A0}"
            default:
                if name.hasPrefix("#x") || name.hasPrefix("#X"), let v = UInt32(name.dropFirst(2), radix: 16),
                    let scalar = Unicode.Scalar(v)
                {
                    replacement = String(Character(scalar))
                } else if name.hasPrefix("#"), let v = UInt32(name.dropFirst()), let scalar = Unicode.Scalar(v) {
                    replacement = String(Character(scalar))
                }
            }
            if let replacement {
                out += replacement
                rest = after[after.index(after: semi)...]
            } else {
                out += "&"
                rest = after
            }
        }
        out += rest
        return out
    }
}

/// The lines of the file, indexed on first use, for the `sourceLine` of diagnostics.
final class OFXSourceLines {
    private let bytes: [UInt8]
    private let decoder: OFXTextDecoder
    private var starts: [Int]?

    init(bytes: [UInt8], decoder: OFXTextDecoder) {
        self.bytes = bytes
        self.decoder = decoder
    }

    /// The number of the last line.
    var lastLine: Int {
        let all = index()
        // A final newline does not start a line of its own.
        if let last = all.last, last >= bytes.count, all.count > 1 { return all.count - 1 }
        return all.count
    }

    private func index() -> [Int] {
        if let starts { return starts }
        var result = [0]
        // memchr from line feed to line feed: the byte loop cost about seven instructions a byte of the file.
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count, let found = memchr(base + offset, 0x0A, buffer.count - offset) {
                let position = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                result.append(position + 1)
                offset = position + 1
            }
        }
        starts = result
        return result
    }

    /// Line `line` (1-based), without its line break, cut to 240 bytes; nil when out of range.
    func text(_ line: Int) -> String? {
        let all = index()
        guard line >= 1, line <= all.count else { return nil }
        let start = all[line - 1]
        var end = line < all.count ? all[line] - 1 : bytes.count
        end = min(end, start + 240)
        guard start <= end, end <= bytes.count else { return nil }
        while end > start, bytes[end - 1] == 0x0D { end -= 1 }
        return bytes.withUnsafeBufferPointer { decoder.decode($0, start..<end) }
    }
}
