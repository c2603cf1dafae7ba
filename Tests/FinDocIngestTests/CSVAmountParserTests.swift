import FinDocCore
import Testing

@testable import FinDocIngest

@Suite struct CSVAmountParserTests {
    static let dot = UInt8(ascii: ".")
    static let comma = UInt8(ascii: ",")

    func minor(_ text: String, _ separator: UInt8, digits: Int = 2) -> Int64? {
        guard case .number(let n) = CSVAmountParser.parse(text, decimalSeparator: separator),
            case .success(let value) = CSVAmountParser.minorUnits(n, digits: digits)
        else { return nil }
        return value
    }

    @Test(arguments: [
        ("1,120.81", 112_081), ("-12.34", -1234), ("+12.34", 1234), ("(12.34)", -1234), ("12.34-", -1234),
        ("12.34 CR", 1234), ("12.34 DR", -1234), ("12.34Dr", -1234), ("Cr 5.00", 500), ("£12.34", 1234),
        ("$1,234.56", 123_456), ("-£3.20", -320), ("£-3.20", -320), ("1'234.50", 123_450), ("1’234.50", 123_450),
        ("USD 7", 700), ("12", 1200), (".5", 50), ("12.", 1200), ("1,00,000.00", 10_000_000), ("  42.00  ", 4200),
        ("12.500", 1250), ("−4.00", -400),
    ] as [(String, Int64)])
    func decimalPoint(text: String, expected: Int64) {
        #expect(minor(text, Self.dot) == expected, "\(text)")
    }

    @Test(arguments: [
        ("1.234,56", 123_456), ("12,34", 1234), ("1 234,56", 123_456), ("1\u{A0}234,56", 123_456),
        ("1\u{202F}234,56", 123_456), ("EUR 12,34", 1234), ("12,34 €", 1234), ("-1.234.567,89", -123_456_789),
        ("12,34-", -1234),
    ] as [(String, Int64)])
    func decimalComma(text: String, expected: Int64) {
        #expect(minor(text, Self.comma) == expected, "\(text)")
    }

    @Test(arguments: ["abc", "12,34", "1,2,3", "1.2.3", "12a", "--", "(12.34", "n/a", "1e5", "12.3.4", "£", "CR"])
    func notNumbersUnderDecimalPoint(text: String) {
        #expect(CSVAmountParser.parse(text, decimalSeparator: Self.dot) == .invalid, "\(text)")
    }

    @Test func blankIsEmpty() {
        #expect(CSVAmountParser.parse("", decimalSeparator: Self.dot) == .empty)
        #expect(CSVAmountParser.parse("   ", decimalSeparator: Self.dot) == .empty)
    }

    @Test func embeddedCurrencyIsReported() {
        guard case .number(let n) = CSVAmountParser.parse("EUR 12,34", decimalSeparator: Self.comma) else {
            Issue.record("not a number")
            return
        }
        #expect(n.currency?.code == "EUR")
        guard case .number(let p) = CSVAmountParser.parse("£1.00", decimalSeparator: Self.dot) else {
            Issue.record("not a number")
            return
        }
        #expect(p.currency?.code == "GBP")
    }

    @Test func tooManyDecimalsAndOverflow() throws {
        guard case .number(let n) = CSVAmountParser.parse("12.345", decimalSeparator: Self.dot) else {
            Issue.record("not a number")
            return
        }
        #expect(CSVAmountParser.minorUnits(n, digits: 2) == .failure(.tooManyDecimals))
        #expect(CSVAmountParser.minorUnits(n, digits: 3) == .success(12345))
        #expect(CSVAmountParser.parse("99999999999999999999", decimalSeparator: Self.dot) == .invalid)
        guard case .number(let big) = CSVAmountParser.parse("999999999999999999", decimalSeparator: Self.dot) else {
            Issue.record("not a number")
            return
        }
        #expect(CSVAmountParser.minorUnits(big, digits: 2) == .failure(.overflow))
    }

    @Test(arguments: [
        ("1,120.81", UInt8(ascii: ".")), ("1.234,56", UInt8(ascii: ",")), ("12,34", UInt8(ascii: ",")),
        ("12.34", UInt8(ascii: ".")), ("1,234,567", UInt8(ascii: ".")), ("1.234.567", UInt8(ascii: ",")),
        ("1 234,567", UInt8(ascii: ",")),
    ] as [(String, UInt8)])
    func evidence(text: String, separator: UInt8) {
        #expect(CSVAmountParser.decimalEvidence(text) == separator, "\(text)")
    }

    @Test(arguments: ["1,234", "1.234", "12", "abc", ""])
    func noEvidence(text: String) {
        #expect(CSVAmountParser.decimalEvidence(text) == nil, "\(text)")
    }
}
