import FinDocCore
import Testing

@testable import FinDocIngest

@Suite("OFX ingestor")
struct OFXIngestorTests {
    private let header = "OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\nCHARSET: 1252\r\n\r\n"

    private func sgml(_ transactions: String) -> String {
        header + "<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR<BANKACCTFROM><BANKID>B1<ACCTID>A1</BANKACCTFROM>\n"
            + "<BANKTRANLIST><DTSTART>20240101<DTEND>20240131\n" + transactions
            + "</BANKTRANLIST><LEDGERBAL><BALAMT>10,00<DTASOF>20240131</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n"
    }

    @Test func looksLike() {
        #expect(OFXStatementIngestor.looksLike(Array(header.utf8)))
        #expect(OFXStatementIngestor.looksLike(Array("<?xml version=\"1.0\"?><?OFX OFXHEADER=\"200\"?><OFX/>".utf8)))
        #expect(!OFXStatementIngestor.looksLike(Array("Date,Amount\n".utf8)))
        #expect(!OFXStatementIngestor.looksLike([]))
    }

    /// XML that breaks after rows were handed over cannot be streamed (it is re-read leniently from the start):
    /// `stream` says so with nil, while `read` keeps every row of the lenient reading and warns about the XML.
    @Test func streamGivesUpWhenTheXMLBreaksAfterRows() {
        let text = "<?xml version=\"1.0\"?><?OFX OFXHEADER=\"200\" VERSION=\"220\"?>\n"
            + "<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR</CURDEF>\n"
            + "<BANKACCTFROM><BANKID>B1</BANKID><ACCTID>A1</ACCTID></BANKACCTFROM>\n<BANKTRANLIST>\n"
            + "<STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20240105</DTPOSTED><TRNAMT>-1.50</TRNAMT><FITID>F1</FITID>"
            + "<NAME>Tea</NAME></STMTTRN>\n"
            + "<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20240106<TRNAMT>2.00<FITID>F2<NAME>Refund</STMTTRN>\n"
            + "</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n"
        let bytes = Array(text.utf8)
        var handed: [Transaction] = []
        let streamed = OFXStatementIngestor().stream(bytes, path: "s.ofx") { handed.append($0) }
        #expect(streamed == nil)
        #expect(handed.map(\.bankId) == ["F1"])
        let whole = OFXStatementIngestor().read(bytes, path: "s.ofx")
        #expect(whole.transactions.map(\.bankId) == ["F1", "F2"])
        #expect(whole.diagnostics.contains { $0.code == "ofx.xml" && $0.message.hasSuffix("read leniently as OFX 1.x-style markup") })
    }

    /// `stream` gives the rows `read` gives, in order and with the same positions, for both syntaxes.
    @Test(arguments: [false, true])
    func streamHandsOverWhatReadKeeps(xml: Bool) {
        let rows = "<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240105<TRNAMT>-1,50<FITID>F1<NAME>Tea</STMTTRN>\n"
            + "<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20240106<TRNAMT>2,00<FITID>F2<NAME>Refund</STMTTRN>\n"
        let text = xml
            ? "<?xml version=\"1.0\"?><?OFX OFXHEADER=\"200\" VERSION=\"220\"?>\n"
                + "<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR<BANKACCTFROM><BANKID>B1<ACCTID>A1</BANKACCTFROM>"
                + "<BANKTRANLIST>" + rows + "</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n"
            : sgml(rows)
        let bytes = Array(text.utf8)
        let whole = OFXStatementIngestor().read(bytes, path: "s.ofx")
        var handed: [Transaction] = []
        let streamed = OFXStatementIngestor().stream(bytes, path: "s.ofx") { handed.append($0) }
        #expect(whole.transactions.count == 2)
        #expect(handed == whole.transactions)
        #expect(streamed?.transactions.isEmpty == true)
        #expect(streamed?.statements == whole.statements)
        #expect(streamed?.diagnostics.map(\.description) == whole.diagnostics.map(\.description))
    }

    @Test func nonOFXIsUnreadable() {
        let document = OFXTestSupport.read("Date,Amount\n2024-01-01,5\n")
        #expect(document.unreadable)
        #expect(document.diagnostics.first?.code == "ofx.notOFX")
    }

    @Test func unclosedLeavesDecimalCommaZonesAndOverride() throws {
        let text = sgml(
            "<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240105120000.000[-5:EST]<DTAVAIL>20240106<TRNAMT>-12,50<FITID>F1<NAME>Shop &amp; Co<MEMO>card 1234<CHECKNUM>0<REFNUM>R9</STMTTRN>\n")
        let document = OFXTestSupport.read(text)
        let t = try #require(document.transactions.first)
        #expect(t.account == "B1 A1")
        #expect(t.amount.minorUnits == -1250)
        #expect(t.amount.currency.code == "EUR")
        #expect(t.bookingDate == LocalDate(year: 2024, month: 1, day: 5))
        #expect(t.valueDate == LocalDate(year: 2024, month: 1, day: 6))
        #expect(t.payee == "Shop & Co")
        #expect(t.description == "card 1234")
        #expect(t.reference == "R9")
        #expect(t.bankId == "F1")
        #expect(t.statementIndex == 0)
        #expect(t.rawFields.map(\.name) == ["TRNTYPE", "DTPOSTED", "DTAVAIL", "TRNAMT", "FITID", "NAME", "MEMO", "CHECKNUM", "REFNUM"])
        #expect(t.location.line == 8)
        #expect(document.statements.first?.closingBalance?.minorUnits == 1000)
        #expect(OFXTestSupport.read(text, account: "mine").transactions.first?.account == "mine")
    }

    @Test func badTransactionIsRejectedOthersKept() {
        let document = OFXTestSupport.read(
            sgml(
                "<STMTTRN><DTPOSTED>20240105<TRNAMT>abc</STMTTRN>\n<STMTTRN><DTPOSTED>20240106<TRNAMT>5</STMTTRN>\n<STMTTRN><TRNAMT>5</STMTTRN>\n"
            ))
        #expect(document.transactions.count == 1)
        #expect(document.rejectedRecords == 2)
        let errors = document.diagnostics.filter { $0.severity == .error }
        #expect(errors.map(\.location.line) == [8, 10])
        #expect(errors.allSatisfy { $0.sourceLine?.contains("STMTTRN") == true })
    }

    @Test func truncatedFileKeepsWhatWasRead() {
        let full = sgml("<STMTTRN><DTPOSTED>20240105<TRNAMT>1.00</STMTTRN>\n<STMTTRN><DTPOSTED>20240106<TRNAMT>2.00</STMTTRN>\n")
        let bytes = Array(full.utf8)
        let stop = bytes.count - 130  // inside the closing aggregates, after both transactions
        let document = OFXStatementIngestor().read(Array(bytes.prefix(stop)), path: "cut.ofx")
        #expect(document.transactions.count >= 1)
        #expect(document.diagnostics.contains { $0.code == "ofx.truncated" && $0.location.line != nil })
        // Every prefix of the file reads without trapping.
        for length in stride(from: 0, to: bytes.count, by: 7) {
            _ = OFXStatementIngestor().read(Array(bytes.prefix(length)), path: "p.ofx")
        }
    }

    @Test func ofx2XMLWithCurrencyAndMalformedXML() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <?OFX OFXHEADER="200" VERSION="220"?>
            <OFX><CREDITCARDMSGSRSV1><CCSTMTTRNRS><CCSTMTRS><CURDEF>GBP</CURDEF>
            <CCACCTFROM><ACCTID>4111</ACCTID></CCACCTFROM>
            <BANKTRANLIST><DTSTART>20240101</DTSTART><DTEND>20240131</DTEND>
            <STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20240102</DTPOSTED><TRNAMT>-10.00</TRNAMT><FITID>X</FITID>
            <NAME>Café</NAME><CURRENCY><CURRATE>0.85</CURRATE><CURSYM>EUR</CURSYM></CURRENCY></STMTTRN>
            </BANKTRANLIST></CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1></OFX>
            """
        let document = OFXTestSupport.read(xml)
        let t = try #require(document.transactions.first)
        #expect(t.account == "4111")
        #expect(t.amount.minorUnits == -850)
        #expect(t.originalAmount == Money(minorUnits: -1000, currency: try #require(CurrencyCode("EUR"))))
        #expect(t.payee == "Café")
        #expect(t.location.line == 6)
        #expect(!document.hasErrors)
        let broken = OFXTestSupport.read(xml.replacingOccurrences(of: "</CCSTMTRS>", with: "</CCSTMTRX>"))
        #expect(broken.diagnostics.contains { $0.code == "ofx.xml" && $0.severity == .error && $0.location.line != nil })
    }

    /// OFX 2.x past line 65,535: each transaction's line is its `<STMTTRN>`'s, counted off the text.
    @Test func ofx2LinesPast65535AreExact() throws {
        var xml = "<?xml version=\"1.0\"?>\n<?OFX OFXHEADER=\"200\" VERSION=\"220\"?>\n<OFX>\n<BANKMSGSRSV1>\n"
        xml += "<STMTTRNRS>\n<STMTRS>\n<CURDEF>USD</CURDEF>\n<BANKACCTFROM>\n<ACCTID>9</ACCTID>\n</BANKACCTFROM>\n"
        xml += "<BANKTRANLIST>\n"
        for i in 0..<10_000 {
            xml += "<STMTTRN>\n<TRNTYPE>DEBIT</TRNTYPE>\n<DTPOSTED>20240102</DTPOSTED>\n<TRNAMT>-\(i).00</TRNAMT>\n"
            xml += "<FITID>F\(i)</FITID>\n<NAME>Shop \(i)</NAME>\n</STMTTRN>\n"
        }
        xml += "</BANKTRANLIST>\n</STMTRS>\n</STMTTRNRS>\n</BANKMSGSRSV1>\n</OFX>\n"
        let expected = TestSupport.lines(of: "<STMTTRN>", in: xml)
        let document = OFXTestSupport.read(xml)
        #expect(!document.hasErrors)
        #expect(document.transactions.count == 10_000)
        #expect(try #require(expected.last ?? nil) > 65_535)
        #expect(document.transactions.map(\.location.line) == expected)
    }

    @Test func randomBytesNeverTrap() {
        var generator = SystemRandomNumberGenerator()
        let seed = Array(sgml("<STMTTRN><DTPOSTED>20240105<TRNAMT>1.00</STMTTRN>\n").utf8)
        for _ in 0..<300 {
            var bytes = seed
            for _ in 0..<8 {
                let i = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[i] = UInt8.random(in: 0...255, using: &generator)
            }
            _ = OFXStatementIngestor().read(bytes, path: "r.ofx")
        }
    }
}
