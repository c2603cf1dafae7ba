import FinDocCore
import Testing

@Suite struct MoneyTests {
    let gbp = CurrencyCode("GBP")!
    let jpy = CurrencyCode("jpy")!
    let kwd = CurrencyCode("KWD")!

    @Test(arguments: [
        ("12.34", 2, Int64(1234)), ("-0.07", 2, -7), ("+5", 2, 500), ("1120.81", 2, 112_081), ("12.", 2, 1200),
        ("12.500", 2, 1250), ("1234", 0, 1234), ("1.5", 3, 1500), ("0.001", 3, 1), ("-92233720368547758.07", 2, -9_223_372_036_854_775_807),
    ])
    func parsesCanonicalDecimals(text: String, digits: Int, expected: Int64) {
        #expect(Money.parseMinorUnits(text, digits: digits) == expected)
    }

    @Test(arguments: ["", "-", ".", "1.2.3", "12,34", "1e5", "12.345", " 12", "abc", "99999999999999999999", "--1"])
    func rejectsEverythingElse(text: String) {
        #expect(Money.parseMinorUnits(text, digits: 2) == nil)
    }

    @Test func formatsWithTheCurrencyDigits() {
        #expect(Money(minorUnits: -1230, currency: gbp).decimalString == "-12.30")
        #expect(Money(minorUnits: 5, currency: gbp).decimalString == "0.05")
        #expect(Money(minorUnits: -5, currency: gbp).decimalString == "-0.05")
        #expect(Money(minorUnits: 1234, currency: jpy).decimalString == "1234")
        #expect(Money(minorUnits: 1, currency: kwd).decimalString == "0.001")
        #expect(Money(minorUnits: Int64.min, currency: gbp).decimalString == "-92233720368547758.08")
    }

    @Test func roundTripsThroughText() {
        for value: Int64 in [0, 1, -1, 99, -100, 123_456_789, -987_654_321_012] {
            let money = Money(minorUnits: value, currency: gbp)
            #expect(Money(decimal: money.decimalString, currency: gbp) == money)
        }
    }

    @Test func currencyCodesAreThreeLetters() {
        #expect(CurrencyCode(" eur ")?.code == "EUR")
        #expect(CurrencyCode("EURO") == nil)
        #expect(CurrencyCode("E1R") == nil)
        #expect(CurrencyCode("£") == nil)
        #expect(CurrencyCode("XYZ")?.minorUnitDigits == 2)
    }
}
