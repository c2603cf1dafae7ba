import Testing

@testable import FinDocCore

@Suite("Exact decimals")
struct ExactDecimalTests {
    @Test func parsesAndKeepsTheWrittenScale() throws {
        let value = try #require(ExactDecimal("0.01250"))
        #expect(value.significand == 1250)
        #expect(value.scale == 5)
        #expect(value.description == "0.01250")
        #expect(ExactDecimal(" -12.5 ")?.description == "-12.5")
        #expect(ExactDecimal("+7")?.description == "7")
        for bad in ["", "1,5", "1e3", "--1", "1.2.3", ".", "abc"] { #expect(ExactDecimal(bad) == nil, "\(bad)") }
    }

    @Test func trailingZerosBeyondInt64AreDropped() {
        #expect(ExactDecimal("10.000000000000000000")?.description == "10")
        #expect(ExactDecimal("99999999999999999999") == nil)
    }

    @Test func equalityIsByValue() {
        #expect(ExactDecimal("1.50") == ExactDecimal("1.5"))
        #expect(Set([ExactDecimal("2.00"), ExactDecimal("2")]).count == 1)
        #expect(ExactDecimal("1.49")! < ExactDecimal("1.5")!)
    }

    @Test func arithmeticIsExact() throws {
        let quantity = try #require(ExactDecimal("3.3333"))
        let price = try #require(ExactDecimal("0.0125"))
        #expect(ExactDecimal.product(quantity, price)?.description == "0.04166625")
        #expect(ExactDecimal.sum(ExactDecimal("0.1")!, ExactDecimal("0.2")!)?.description == "0.3")
        #expect(ExactDecimal.quotient(ExactDecimal("10")!, ExactDecimal("3")!, scale: 2)?.description == "3.33")
        #expect(ExactDecimal.quotient(ExactDecimal("-5")!, ExactDecimal("2")!, scale: 0)?.description == "-3")
        #expect(ExactDecimal.quotient(ExactDecimal("1")!, .zero, scale: 2) == nil)
        #expect(ExactDecimal("2.345")?.rescaled(to: 2)?.description == "2.35")
        #expect(ExactDecimal("-2.345")?.rescaled(to: 2)?.description == "-2.35")
        #expect(ExactDecimal("12.500")?.isExact(atScale: 2) == true)
        #expect(ExactDecimal("12.505")?.isExact(atScale: 2) == false)
    }

    @Test func overflowIsNilNotATrap() {
        let big = ExactDecimal(significand: Int64.max, scale: 0)
        #expect(ExactDecimal.sum(big, ExactDecimal(significand: 1, scale: 0)) == nil)
        #expect(ExactDecimal.product(big, big) == nil)
        #expect(big.rescaled(to: 5) == nil)
    }

    @Test func moneyConversionRoundsHalfAwayFromZero() throws {
        let eur = try #require(CurrencyCode("EUR"))
        #expect(ExactDecimal("47.0504")?.money(in: eur) == Money(minorUnits: 4705, currency: eur))
        #expect(ExactDecimal("-0.005")?.money(in: eur) == Money(minorUnits: -1, currency: eur))
        let jpy = try #require(CurrencyCode("JPY"))
        #expect(ExactDecimal("1234.5")?.money(in: jpy) == Money(minorUnits: 1235, currency: jpy))
    }
}
