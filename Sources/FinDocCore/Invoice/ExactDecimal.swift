/// An exact decimal number: a signed 64-bit significand and a count of decimal places (`1234`, scale 3 = 1.234).
///
/// Invoices carry quantities and unit prices with four or more decimals (`0.0125 EUR` per kWh), which `Money`
/// (minor units of a currency) cannot hold; this keeps them exactly as written, with their written scale, and never
/// goes through `Double`. Arithmetic reports overflow as nil rather than trapping, since the values come from input.
///
/// Equality is by value (`1.50 == 1.5`), so the same amount written with different decimals in two syntaxes
/// compares equal; `description` and `scale` keep the written form (the decimal rules BR-DEC-* look at it).
public struct ExactDecimal: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The value times 10^scale.
    public let significand: Int64
    /// Digits after the decimal point, 0...18.
    public let scale: Int

    /// The largest scale kept: 10^18 is the largest power of ten in an Int64.
    public static let maxScale = 18

    /// Creates a value from a significand and a scale (clamped to 0...18).
    public init(significand: Int64, scale: Int) {
        self.significand = significand
        self.scale = min(max(scale, 0), Self.maxScale)
    }

    /// Zero, scale 0.
    public static let zero = ExactDecimal(significand: 0, scale: 0)

    /// Parses decimal text as XML schema `xs:decimal` writes it: optional sign, digits, optional point and digits;
    /// surrounding white space allowed. Nil for anything else (exponents, commas, empty) or on overflow.
    public init?(_ text: some StringProtocol) {
        let trimmed = text.trimmingASCIIWhitespace()
        // Exactly as written first; when that overflows, once more without trailing zero decimals
        // ("10.000000000000000000" is 10, though 10 × 10^18 does not fit in 64 bits).
        if let value = Self.parse(trimmed.utf8, dropTrailingZeros: false) {
            self = value
        } else if let value = Self.parse(trimmed.utf8, dropTrailingZeros: true) {
            self = value
        } else {
            return nil
        }
    }

    private static func parse(_ utf8: Substring.UTF8View, dropTrailingZeros: Bool) -> ExactDecimal? {
        var end = utf8.endIndex
        if dropTrailingZeros, utf8.contains(UInt8(ascii: ".")) {
            while end > utf8.startIndex, utf8[utf8.index(before: end)] == UInt8(ascii: "0") {
                end = utf8.index(before: end)
            }
        }
        var negative = false
        var value: Int64 = 0
        var scale = 0
        var sawPoint = false
        var sawDigit = false
        for (offset, byte) in utf8[utf8.startIndex..<end].enumerated() {
            if offset == 0, byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") {
                negative = byte == UInt8(ascii: "-")
                continue
            }
            if byte == UInt8(ascii: ".") {
                guard !sawPoint else { return nil }
                sawPoint = true
                continue
            }
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            sawDigit = true
            if sawPoint {
                guard scale < maxScale else { return nil }
                scale += 1
            }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.addingReportingOverflow(Int64(byte - 0x30))
            guard !o1, !o2 else { return nil }
            value = next
        }
        // "12." has digits; "." alone does not.
        guard sawDigit || (dropTrailingZeros && sawPoint && end < utf8.endIndex) else { return nil }
        return ExactDecimal(significand: negative ? -value : value, scale: scale)
    }

    /// The canonical text: `-1.50` keeps its written scale; no exponent, no grouping.
    public var description: String { Money.format(minorUnits: significand, digits: scale) }

    /// True when the value is negative.
    public var isNegative: Bool { significand < 0 }

    /// The same value with `newScale` decimals; rounding half away from zero when decimals are dropped. Nil on
    /// overflow.
    public func rescaled(to newScale: Int) -> ExactDecimal? {
        let target = min(max(newScale, 0), Self.maxScale)
        if target == scale { return self }
        if target > scale {
            guard let factor = Self.power(target - scale) else { return nil }
            let (value, overflow) = significand.multipliedReportingOverflow(by: factor)
            return overflow ? nil : ExactDecimal(significand: value, scale: target)
        }
        guard let factor = Self.power(scale - target) else { return nil }
        return ExactDecimal(significand: Self.divideRounded(significand, by: factor), scale: target)
    }

    /// True when rescaling to `newScale` loses nothing (e.g. `12.500` to 2 places).
    public func isExact(atScale newScale: Int) -> Bool {
        guard newScale < scale else { return true }
        guard let factor = Self.power(scale - newScale) else { return false }
        return significand % factor == 0
    }

    /// The value as `Money` in `currency`, rounded half away from zero to the currency's digits; nil on overflow.
    public func money(in currency: CurrencyCode) -> Money? {
        rescaled(to: currency.minorUnitDigits).map { Money(minorUnits: $0.significand, currency: currency) }
    }

    /// The exact sum; nil on overflow.
    public static func sum(_ a: ExactDecimal, _ b: ExactDecimal) -> ExactDecimal? {
        let scale = max(a.scale, b.scale)
        guard let x = a.rescaled(to: scale), let y = b.rescaled(to: scale) else { return nil }
        let (value, overflow) = x.significand.addingReportingOverflow(y.significand)
        return overflow ? nil : ExactDecimal(significand: value, scale: scale)
    }

    /// The exact difference `a - b`; nil on overflow.
    public static func difference(_ a: ExactDecimal, _ b: ExactDecimal) -> ExactDecimal? {
        sum(a, ExactDecimal(significand: -b.significand, scale: b.scale))
    }

    /// The exact product; nil on overflow or when the scale would pass 18.
    public static func product(_ a: ExactDecimal, _ b: ExactDecimal) -> ExactDecimal? {
        guard a.scale + b.scale <= maxScale else {
            // Drop trailing precision from the finer operand first: quantities like 1.0000 are common.
            let x = a.normalized, y = b.normalized
            guard x.scale + y.scale <= maxScale else { return nil }
            return product(x, y)
        }
        let (value, overflow) = a.significand.multipliedReportingOverflow(by: b.significand)
        return overflow ? nil : ExactDecimal(significand: value, scale: a.scale + b.scale)
    }

    /// `a ÷ b` rounded half away from zero to `scale` decimals; nil when `b` is zero or on overflow.
    public static func quotient(_ a: ExactDecimal, _ b: ExactDecimal, scale: Int) -> ExactDecimal? {
        guard b.significand != 0 else { return nil }
        // a/b = (a.sig / 10^a.scale) / (b.sig / 10^b.scale); result.sig = a.sig * 10^(scale + b.scale - a.scale) / b.sig
        let shift = scale + b.scale - a.scale
        var numerator = a.significand
        var denominator = b.significand
        if shift >= 0 {
            guard let factor = power(shift) else { return nil }
            let (value, overflow) = numerator.multipliedReportingOverflow(by: factor)
            guard !overflow else { return nil }
            numerator = value
        } else {
            guard let factor = power(-shift) else { return nil }
            let (value, overflow) = denominator.multipliedReportingOverflow(by: factor)
            guard !overflow else { return nil }
            denominator = value
        }
        return ExactDecimal(significand: divideRounded(numerator, by: denominator), scale: scale)
    }

    /// The same value with trailing zero decimals removed (`1.5000` → `1.5`).
    public var normalized: ExactDecimal {
        var value = significand
        var scale = self.scale
        while scale > 0, value % 10 == 0 {
            value /= 10
            scale -= 1
        }
        return ExactDecimal(significand: value, scale: scale)
    }

    public static func == (a: ExactDecimal, b: ExactDecimal) -> Bool {
        a.scale == b.scale ? a.significand == b.significand : a.normalized.significand == b.normalized.significand
            && a.normalized.scale == b.normalized.scale
    }

    public func hash(into hasher: inout Hasher) {
        let value = normalized
        hasher.combine(value.significand)
        hasher.combine(value.scale)
    }

    public static func < (a: ExactDecimal, b: ExactDecimal) -> Bool {
        guard let d = difference(a, b) else {
            // Only on overflow, i.e. values of very different magnitude: compare the integer parts.
            return a.significand / (power(a.scale) ?? 1) < b.significand / (power(b.scale) ?? 1)
        }
        return d.significand < 0
    }

    /// Equal in value regardless of scale (`1.50` and `1.5`); `==` compares the written form.
    public func isEqualInValue(to other: ExactDecimal) -> Bool {
        Self.difference(self, other)?.significand == 0
    }

    /// 10^n for n in 0...18.
    static func power(_ n: Int) -> Int64? {
        guard n >= 0, n <= 18 else { return nil }
        var value: Int64 = 1
        for _ in 0..<n { value *= 10 }
        return value
    }

    /// Integer division rounding half away from zero.
    static func divideRounded(_ numerator: Int64, by denominator: Int64) -> Int64 {
        let quotient = numerator / denominator
        let remainder = numerator % denominator
        // Compare 2|r| with |d| without overflow: |r| < |d| so |r| - (|d| - |r|) is safe.
        let r = remainder.magnitude
        let d = denominator.magnitude
        guard r >= d - r else { return quotient }
        return (numerator < 0) != (denominator < 0) ? quotient - 1 : quotient + 1
    }
}
