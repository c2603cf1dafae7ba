import FinDocCore
import Foundation
import Testing

@testable import FinDocML

/// Every sentence is ours (fictional); every offset was counted by hand in Unicode scalars (comments show the count).
@Suite struct EntityRecognizerTests {
    struct Expected: Equatable, CustomStringConvertible {
        let type: EntityType
        let start: Int
        let end: Int
        let text: String
        let normalized: String
        var description: String { "\(type)[\(start)..<\(end)] \(text) → \(normalized)" }
    }

    func found(_ text: String) -> [Expected] {
        EntityRecognizer.recognize(text).map {
            Expected(type: $0.type, start: $0.start, end: $0.end, text: $0.text, normalized: $0.normalized ?? "")
        }
    }

    /// N0…d8 ␠9 raised10-15 ␠16 $17 84.3→18-21 ␠22 billion23-29 ␠30 in31-32 ␠33 Q34 3(35) ␠36 2022(37-40) .41
    @Test func moneyInBillionsAndAQuarter() throws {
        let spans = EntityRecognizer.recognize("Northwind raised $84.3 billion in Q3 2022.")
        #expect(
            found("Northwind raised $84.3 billion in Q3 2022.") == [
                Expected(type: .money, start: 17, end: 30, text: "$84.3 billion", normalized: "84300000000 USD"),
                Expected(type: .date, start: 34, end: 41, text: "Q3 2022", normalized: "2022-Q3"),
            ])
        #expect(spans[0].amount == "84300000000" && spans[0].currency == CurrencyCode("USD"))
        #expect(spans[0].money == Money(minorUnits: 8_430_000_000_000, currency: try #require(CurrencyCode("USD"))))
        #expect(spans.allSatisfy { $0.source == .rule && $0.probability == nil })
    }

    /// Margin0-5 ␠6 was7-9 ␠10 12.5(11-14) %15 ,16 ␠17 up18-19 ␠20 300(21-23) ␠24 basis25-29 ␠30 points31-36 ;37 ␠38
    /// €39 1.2(40-42) m43 ␠44 went45-48 ␠49 to50-51 ␠52 Zoë53-55 .56
    @Test func percentagesBasisPointsAndLetterScales() {
        #expect(
            found("Margin was 12.5%, up 300 basis points; €1.2m went to Zoë.") == [
                Expected(type: .percent, start: 11, end: 16, text: "12.5%", normalized: "12.5%"),
                Expected(type: .percent, start: 21, end: 37, text: "300 basis points", normalized: "300bp"),
                Expected(type: .money, start: 39, end: 44, text: "€1.2m", normalized: "1200000 EUR"),
            ])
    }

    /// Offsets count scalars, not characters or UTF-16 units: 🚀0 ␠1 C2 a3 f4 e5 ◌́6 ␠7 revenue8-14 :15 ␠16
    /// EUR17-19 ␠20 13.1(21-24) ␠25 million26-32 .33 (a rocket is 2 UTF-16 units; e + combining acute is 1 Character).
    @Test func offsetsAreUnicodeScalars() {
        #expect(
            found("🚀 Cafe\u{301} revenue: EUR 13.1 million.") == [
                Expected(type: .money, start: 17, end: 33, text: "EUR 13.1 million", normalized: "13100000 EUR")
            ])
    }

    /// Sales0-4 ␠5 hit6-8 ␠9 2.5(10-12) ␠13 bn14-15 ␠16 yen17-19 ␠20 in21-22 ␠23 fiscal24-29 ␠30 2023(31-34) ,35 ␠36
    /// versus37-42 ␠43 100(44-46) ␠47 CHF48-50 .51
    @Test func currencyAfterTheAmountAndFiscalYears() throws {
        let spans = EntityRecognizer.recognize("Sales hit 2.5 bn yen in fiscal 2023, versus 100 CHF.")
        #expect(
            found("Sales hit 2.5 bn yen in fiscal 2023, versus 100 CHF.") == [
                Expected(type: .money, start: 10, end: 20, text: "2.5 bn yen", normalized: "2500000000 JPY"),
                Expected(type: .date, start: 24, end: 35, text: "fiscal 2023", normalized: "FY2023"),
                Expected(type: .money, start: 44, end: 51, text: "100 CHF", normalized: "100 CHF"),
            ])
        // JPY has no minor unit: 2.5 bn yen is 2,500,000,000 minor units.
        #expect(spans[0].money?.minorUnits == 2_500_000_000)
        #expect(spans[2].money?.minorUnits == 10_000)
    }

    /// On0-1 ␠2 May3-5 ␠6 12(7-8) ,9 ␠10 2025(11-14) ␠15 (16 NASDAQ17-22 :23 ␠24 AAPL25-28 )29 ␠30 and31-33 ␠34 $35
    /// TSLA36-39 ␠40 rose41-44 ;45 ␠46 the47-49 ␠50 third51-55 ␠56 quarter57-63 ␠64 of65-66 ␠67 2022(68-71) ␠72
    /// and73-75 ␠76 2025(77-80) -81 05(82-83) -84 12(85-86) ␠87 too88-90 .91
    @Test func datesAndTickers() {
        let text = "On May 12, 2025 (NASDAQ: AAPL) and $TSLA rose; the third quarter of 2022 and 2025-05-12 too."
        #expect(
            found(text) == [
                Expected(type: .date, start: 3, end: 15, text: "May 12, 2025", normalized: "2025-05-12"),
                Expected(type: .ticker, start: 17, end: 29, text: "NASDAQ: AAPL", normalized: "NASDAQ:AAPL"),
                Expected(type: .ticker, start: 35, end: 40, text: "$TSLA", normalized: "TSLA"),
                Expected(type: .date, start: 51, end: 72, text: "third quarter of 2022", normalized: "2022-Q3"),
                Expected(type: .date, start: 77, end: 87, text: "2025-05-12", normalized: "2025-05-12"),
            ])
    }

    /// One phrase per sentence: the text found and its value (offsets are checked above).
    @Test(arguments: [
        ("Revenue was US$5 million.", "US$5 million", "5000000 USD"),
        ("It cost $5.", "$5", "5 USD"),
        ("A fee of £250,000 applied.", "£250,000", "250000 GBP"),
        ("Sales fell to 13.1 million euros.", "13.1 million euros", "13100000 EUR"),
        ("Debt was $1.5 trillion.", "$1.5 trillion", "1500000000000 USD"),
        ("It fell -2.5% today.", "-2.5%", "-2.5%"),
        ("Up 7 percent.", "7 percent", "7%"),
        ("Up 7 per cent.", "7 per cent", "7%"),
        ("Margins rose 2 percentage points.", "2 percentage points", "2pp"),
        ("Spreads were 40 bps wider.", "40 bps", "40bp"),
        ("Guidance for Q3 FY23 holds.", "Q3 FY23", "FY2023-Q3"),
        ("Strong 3Q22 results.", "3Q22", "2022-Q3"),
        ("In H1 2022 we grew.", "H1 2022", "2022-H1"),
        ("In the first half of 2024 we grew.", "first half of 2024", "2024-H1"),
        ("For FY2023 we expect more.", "FY2023", "FY2023"),
        ("For fiscal year 2024 we expect more.", "fiscal year 2024", "FY2024"),
        ("What hits in fiscal '22?", "fiscal '22", "FY2022"),
        ("The second quarter of fiscal 2021 was good.", "second quarter of fiscal 2021", "FY2021-Q2"),
        ("On 12 May 2025 we met.", "12 May 2025", "2025-05-12"),
        ("In May 2025 we met.", "May 2025", "2025-05"),
        ("On Sept. 5, 2025 we met.", "Sept. 5, 2025", "2025-09-05"),
        ("In the fourth quarter margins rose.", "fourth quarter", "Q4"),
        ("Shares (NYSE: BRK.B) rose.", "NYSE: BRK.B", "NYSE:BRK.B"),
        ("Listed as NYSE American: ACU today.", "NYSE American: ACU", "NYSE American:ACU"),
    ])
    func recognisesOnePhrase(text: String, phrase: String, normalized: String) {
        let spans = EntityRecognizer.recognize(text)
        #expect(spans.count == 1, "\(text): \(spans)")
        #expect(spans.first?.text == phrase && spans.first?.normalized == normalized, "\(text): \(spans)")
    }

    /// Text that looks close but is not an entity.
    @Test(arguments: [
        "The CEO may 12 times say so.", "Q5 2022 is not a quarter.", "February 30, 2024 never came.",
        "ACME123 and $5x are codes.", "Version 2.5 shipped.", "The CFO owes ABC 12 apples.", "$tsla is lower case.",
    ])
    func ignoresLookalikes(text: String) {
        #expect(EntityRecognizer.recognize(text).isEmpty, "\(EntityRecognizer.recognize(text))")
    }

    @Test func exactAmounts() throws {
        #expect(EntityRecognizer.scaledDecimal("84.3", exponent: 9) == "84300000000")
        #expect(EntityRecognizer.scaledDecimal("0.5", exponent: 0) == "0.5")
        #expect(EntityRecognizer.scaledDecimal("1.2345", exponent: 3) == "1234.5")
        #expect(EntityRecognizer.scaledDecimal("007", exponent: 0) == "7")
        // Sub-cent amounts stay exact in `amount` but are not representable as USD minor units.
        let span = try #require(EntityRecognizer.recognize("It was $1.234 each.").first)
        #expect(span.amount == "1.234" && span.money == nil)
    }
}

/// Random text never traps the recognisers or the word splitter, and what they return is consistent with the text.
@Suite struct EntityRecognizerRobustnessTests {
    static let pool: [String] = [
        "$", "€", "£", "¥", "%", "US", "Q", "H", "FY", "fiscal", "year", "quarter", "third", "of", "May", "Sept", ".",
        ",", ":", "-", "'", "(", ")", "NYSE", "NASDAQ", "AAPL", "B", "m", "bn", "million", "basis", "points", "percent",
        "per", "cent", "yen", "EUR", "0", "1", "12", "2022", "05", "84.3", "1,200", " ", " ", "  ", "\n", "é", "\u{301}",
        "🚀", "\u{200B}", "Zoë", "x",
    ]

    @Test func randomTextKeepsTheInvariants() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let text = (0..<Int.random(in: 0...20, using: &generator)).map { _ in
                Self.pool.randomElement(using: &generator) ?? ""
            }.joined()
            let scalars = Array(text.unicodeScalars)
            let spans = EntityRecognizer.recognize(text)
            for (index, span) in spans.enumerated() {
                #expect(span.start >= 0 && span.start < span.end && span.end <= scalars.count, "\(text)")
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars[span.start..<span.end])
                #expect(String(view) == span.text, "\(text)")
                if index > 0 { #expect(spans[index - 1].end <= span.start, "\(text)") }
                if span.type == .money { #expect(span.amount != nil && span.currency != nil, "\(text)") }
            }
            let words = SentenceWords(text)
            #expect(words.words.count == words.ranges.count)
            #expect(words.ranges.allSatisfy { $0.upperBound <= scalars.count })
        }
    }
}
