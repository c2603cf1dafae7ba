import FinDocCore
import Testing

@testable import FinDocIngest

/// Amounts with more decimals than the currency has: stored rounded half away from zero, with a warning at the
/// amount's line naming the exact text, which stays in the row's raw fields. Nothing is lost silently.
@Suite("OFX extra decimals")
struct OFXPrecisionTests {
    static func statement(_ amounts: [String], currency: String = "USD") -> String {
        var text = """
            OFXHEADER:100
            DATA:OFXSGML
            VERSION:102

            <OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>\(currency)
            <BANKACCTFROM><BANKID>1<ACCTID>2<ACCTTYPE>CHECKING</BANKACCTFROM>
            <BANKTRANLIST>

            """
        for (index, amount) in amounts.enumerated() {
            text += "<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240105\n<TRNAMT>\(amount)\n<FITID>F\(index)<NAME>n</STMTTRN>\n"
        }
        return text + "</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n"
    }

    @Test func extraDecimalsAreRoundedHalfAwayFromZeroWithALocatedWarning() throws {
        // Expected values by hand: -12.3456 → -12.35; 0.125 → 0.13 and -0.125 → -0.13 (half away from zero);
        // 7.1249 → 7.12; -12.3400 has only zeros beyond the cents and is exact.
        let document = OFXTestSupport.read(Self.statement(["-12.3456", "0.125", "-0.125", "7.1249", "-12.3400"]))
        #expect(TestSupport.minor(document) == [-1235, 13, -13, 712, -1234])
        let warnings = TestSupport.diagnostics(document, "ofx.amount")
        #expect(warnings.count == 4)
        #expect(warnings.allSatisfy { $0.severity == .warning })
        // Each warning points at its TRNAMT line and shows the exact text: the header and aggregates take lines 1–7,
        // then each transaction three lines with TRNAMT second, so lines 9, 12, 15, 18.
        #expect(warnings.map(\.location.line) == [9, 12, 15, 18])
        #expect(warnings.first?.sourceLine == "<TRNAMT>-12.3456")
        #expect(warnings.first?.message.contains("\"-12.3456\"") == true)
        #expect(warnings.first?.message.contains("-12.35 USD") == true)
        // The exact text is kept with the row.
        #expect(document.transactions.map { $0.rawFields.first { $0.name == "TRNAMT" }?.value } == [
            "-12.3456", "0.125", "-0.125", "7.1249", "-12.3400",
        ])
        #expect(document.rejectedRecords == 0)
    }

    @Test func aZeroDecimalCurrencyRoundsToWholeUnits() throws {
        let document = OFXTestSupport.read(Self.statement(["-1500.5", "-1500"], currency: "JPY"))
        #expect(TestSupport.minor(document) == [-1501, -1500])
        #expect(TestSupport.diagnostics(document, "ofx.amount").count == 1)
    }

    @Test func realFidelityFileWithFourDecimalAmounts() throws {
        // fidelity-savings.ofx (ofxparse's fixture) writes TRNAMT with four decimals in USD; by hand from the file:
        // -1500.0000 (exact), +115.8331 → 115.83, -197.1063 → -197.11, -197.1220 → -197.12.
        let bytes = try #require(TestSupport.readFile(OFXTestSupport.fixtures + "/fidelity-savings.ofx"))
        let document = OFXStatementIngestor().read(bytes, path: "fidelity-savings.ofx")
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let amounts = document.transactions.filter { $0.rawFields.contains { $0.name == "TRNAMT" } }
        #expect(amounts.map(\.amount.minorUnits).prefix(4) == [-150_000, 11_583, -19_711, -19_712])
        let warnings = TestSupport.diagnostics(document, "ofx.amount")
        #expect(warnings.count == 3)
        for warning in warnings {
            let line = try #require(warning.location.line)
            #expect(lines[line - 1].contains("<TRNAMT>"), "warning at line \(line): \(lines[line - 1])")
        }
    }
}

/// OFX date-times as the OFX 2.3 specification (§3.2.8.2) writes them, and broken ones.
@Suite struct OFXDateTests {
    @Test(arguments: [
        ("20240105", "2024-01-05"), ("20240105120000", "2024-01-05"), ("202401051200", "2024-01-05"),
        ("2024010512", "2024-01-05"), ("20240105120000.000", "2024-01-05"), ("20240105233000.123[-5:EST]", "2024-01-05"),
        ("20240105120000[+1]", "2024-01-05"), ("20240105 ", "2024-01-05"), ("20240229\t", "2024-02-29"),
        ("20231231235959.999[0:GMT]  ", "2023-12-31"),
    ])
    func validDates(text: String, iso: String) {
        #expect(OFXValues.date(text)?.iso == iso, "\(text)")
    }

    @Test(arguments: [
        "", "2024", "2024010", "2024-01-05", "20240105X", "202401051", "20240105120", "20240105123456789",
        "20240105120000[-5:EST", "20240105120000.000 x", "20240230", "20241305", "２０２４０１０５",
    ])
    func brokenDates(text: String) {
        #expect(OFXValues.date(text) == nil, "\(text)")
    }

    /// TRNAMT as banks write it: a decimal point or comma, the other one as a thousands separator, signs, blanks.
    @Test(arguments: [
        ("-12.50", "-12.50"), ("1,50", "1.50"), ("1.234,56", "1234.56"), ("1,234.56", "1234.56"), (" 7 ", "7"),
        ("+3", "+3"), ("-0,5", "-0.5"), ("1.234.567,8", "1234567.8"), ("12", "12"),
    ])
    func amountsInCanonicalForm(text: String, canonical: String) {
        #expect(OFXValues.canonicalAmount(text) == canonical, "\(text)")
    }

    @Test(arguments: ["", "   ", "12a", "1 000", "€5", "5 EUR"])
    func notAmounts(text: String) {
        #expect(OFXValues.canonicalAmount(text) == nil, "\(text)")
    }
}
