/// An ISO 4217 alphabetic currency code such as `GBP`, with the number of minor-unit digits it uses.
///
/// Only the code's shape is checked (three ASCII letters); codes outside the built-in exponent table are accepted
/// and assumed to have two minor-unit digits, because banks do issue statements in currencies we have not listed.
public struct CurrencyCode: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// The upper-case three-letter code.
    public let code: String

    /// Creates a code from text such as `gbp` or ` EUR `; returns nil unless it is three ASCII letters.
    public init?(_ text: some StringProtocol) {
        let trimmed = text.trimmingASCIIWhitespace()
        guard trimmed.utf8.count == 3, trimmed.utf8.allSatisfy({ ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }) else {
            return nil
        }
        code = trimmed.uppercased()
    }

    /// Digits after the decimal point in this currency (ISO 4217 "minor unit"): 2 for GBP, 0 for JPY, 3 for KWD.
    public var minorUnitDigits: Int {
        Self.exponents[code] ?? 2
    }

    public var description: String { code }

    public static func < (lhs: CurrencyCode, rhs: CurrencyCode) -> Bool { lhs.code < rhs.code }

    /// Currencies whose minor unit is not 2 (ISO 4217 list, 2024 edition).
    private static let exponents: [String: Int] = [
        "BHD": 3, "BIF": 0, "CLF": 4, "CLP": 0, "DJF": 0, "GNF": 0, "IQD": 3, "ISK": 0, "JOD": 3, "JPY": 0,
        "KMF": 0, "KRW": 0, "KWD": 3, "LYD": 3, "OMR": 3, "PYG": 0, "RWF": 0, "TND": 3, "UGX": 0, "UYI": 0,
        "UYW": 4, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
    ]
}

extension StringProtocol {
    /// The text without leading and trailing ASCII spaces, tabs, CR and LF (and U+00A0, common in bank exports).
    public func trimmingASCIIWhitespace() -> Substring {
        let s = Substring(self)
        // Fast path, exact: when both end bytes are ASCII and not white space, the first and last Characters are not
        // white space (an ASCII byte starts or ends a Character only as itself, or as a base of combining marks that
        // is then not white space either), so there is nothing to trim and no Character needs breaking.
        func plain(_ byte: UInt8) -> Bool { byte < 0x80 && byte != 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D }
        if let first = s.utf8.first, let last = s.utf8.last, plain(first), plain(last) { return s }
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\u{A0}" }
        guard let first = s.firstIndex(where: { !isSpace($0) }), let last = s.lastIndex(where: { !isSpace($0) }) else {
            return s[s.endIndex...]
        }
        return s[first...last]
    }
}
