/// An exact amount of money: a signed integer count of minor units (pence, cents) in one currency.
///
/// Never built from a floating-point value. Sign convention throughout findoc: from the account holder's point of
/// view, negative is money leaving the account (a card purchase, a debit), positive is money coming in.
public struct Money: Hashable, Sendable, CustomStringConvertible {
    /// The amount in minor units: `-1234` is -12.34 in a two-digit currency.
    public var minorUnits: Int64
    /// The currency the amount is expressed in.
    public var currency: CurrencyCode

    /// Creates an amount from minor units and a currency.
    public init(minorUnits: Int64, currency: CurrencyCode) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// Creates an amount from a canonical decimal string (`-1234.5`, `12`, `+0.07`): an optional sign, digits, an
    /// optional `.` and digits. Returns nil for anything else, for more decimals than the currency has (unless they
    /// are zeros), or when the value does not fit in 64 bits.
    public init?(decimal text: some StringProtocol, currency: CurrencyCode) {
        guard let value = Self.parseMinorUnits(text, digits: currency.minorUnitDigits) else { return nil }
        self.init(minorUnits: value, currency: currency)
    }

    /// The amount as a plain decimal string with exactly the currency's minor digits, e.g. `-12.30`.
    public var decimalString: String {
        Self.format(minorUnits: minorUnits, digits: currency.minorUnitDigits)
    }

    public var description: String { "\(decimalString) \(currency.code)" }

    /// Formats minor units as a decimal string with `digits` digits after the point.
    public static func format(minorUnits: Int64, digits: Int) -> String {
        let negative = minorUnits < 0
        let magnitude = minorUnits.magnitude
        guard digits > 0 else { return (negative ? "-" : "") + String(magnitude) }
        var divisor: UInt64 = 1
        for _ in 0..<digits { divisor *= 10 }
        let whole = magnitude / divisor
        var fraction = String(magnitude % divisor)
        if fraction.count < digits { fraction = String(repeating: "0", count: digits - fraction.count) + fraction }
        return (negative ? "-" : "") + String(whole) + "." + fraction
    }

    /// Parses a canonical decimal string into minor units with `digits` decimal places, exactly.
    public static func parseMinorUnits(_ text: some StringProtocol, digits: Int) -> Int64? {
        var bytes = Substring(text).utf8[...]
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var value: Int64 = 0
        var sawDigit = false
        var fractionDigits = -1  // -1: no point seen yet
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard fractionDigits < 0 else { return nil }
                fractionDigits = 0
                continue
            }
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            sawDigit = true
            let digit = Int64(byte - 0x30)
            if fractionDigits >= 0 {
                fractionDigits += 1
                if fractionDigits > digits {
                    // Extra decimals are only acceptable when they are zeros ("12.500" in GBP).
                    guard digit == 0 else { return nil }
                    continue
                }
            }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.addingReportingOverflow(digit)
            guard !o1, !o2 else { return nil }
            value = next
        }
        guard sawDigit else { return nil }
        for _ in 0..<(digits - max(0, min(fractionDigits, digits))) {
            let (next, overflow) = value.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            value = next
        }
        return negative ? -value : value
    }
}
