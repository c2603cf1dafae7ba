import FinDocCore
import Testing

@testable import FinDocIngest

/// Hand-written cases for each rule of the QIF reader.
@Suite struct QIFStatementIngestorTests {
    typealias S = QIFTestSupport

    @Test func bankRecordFields() {
        let doc = S.read(
            "!Type:Bank\nD12/31/2019\nT-1,234.56\nPACME Ltd\nMInvoice 42\nN1001\nLUtilities:Power\nCX\nA1 Street\n"
                + "A2 Town\nZunknown\n^\n")
        #expect(doc.format == .qif && !doc.unreadable && doc.rejectedRecords == 0)
        let t = doc.transactions.first
        #expect(doc.transactions.count == 1)
        #expect(t?.bookingDate == LocalDate(year: 2019, month: 12, day: 31))
        #expect(t?.amount.minorUnits == -123456 && t?.amount.currency.code == "GBP")
        #expect(t?.payee == "ACME Ltd" && t?.description == "Invoice 42" && t?.reference == "1001")
        #expect(t?.sourceCategory == "Utilities:Power" && t?.bankId == nil && t?.status == .booked)
        #expect(t?.account == "qif" && t?.position == 0 && t?.location == SourceLocation(file: "t.qif", line: 2))
        #expect(t?.rawFields.map(\.name) == ["D", "T", "P", "M", "N", "L", "C", "A", "A2", "Z"])
        #expect(t?.rawFields.last?.value == "unknown")
        #expect(S.diagnostics(doc, "qif.currency").isEmpty)
    }

    @Test func descriptionFallsBackToPayeeAndTransfersKeepBrackets() {
        let doc = S.read("!Type:CCard\nD01/15/2020\nT50.00\nPTransfer in\nL[Savings]\n^\n")
        #expect(doc.transactions.first?.description == "Transfer in")
        #expect(doc.transactions.first?.sourceCategory == "[Savings]")
    }

    @Test(arguments: [
        ("12/31/2019", 2019, 12, 31), ("12/31/19", 2019, 12, 31), ("12/31'19", 2019, 12, 31),
        ("1/ 5'98", 1998, 1, 5), ("12-31-2019", 2019, 12, 31), ("2019-12-31", 2019, 12, 31),
        ("1/ 1'00", 2000, 1, 1), ("2/10'2020", 2020, 2, 10), ("12/31/98", 1998, 12, 31), ("1/5' 5", 2005, 1, 5),
    ])
    func monthFirstDates(text: String, year: Int, month: Int, day: Int) {
        let doc = S.read("!Type:Bank\nD\(text)\nT1.00\n^\n")
        #expect(doc.transactions.first?.bookingDate == LocalDate(year: year, month: month, day: day), "\(text)")
    }

    @Test func dayFirstProvenOverTheFile() {
        let doc = S.read("!Type:Bank\nD03/01/2020\nT1.00\n^\nD31.12.2019\nT2.00\n^\nD31/12/2019\nT3\n^\n")
        #expect(doc.transactions.map(\.bookingDate.iso) == ["2020-01-03", "2019-12-31", "2019-12-31"])
        #expect(S.diagnostics(doc, "qif.date-order").isEmpty)
    }

    @Test func ambiguousOrderWarnsAndUsesMonthFirstOrOption() {
        let text = "!Type:Bank\nD03/01/2020\nT1.00\n^\n"
        let doc = S.read(text)
        #expect(doc.transactions.first?.bookingDate.iso == "2020-03-01")
        #expect(S.diagnostics(doc, "qif.date-order").count == 1)
        let forced = S.read(text, order: .dmy)
        #expect(forced.transactions.first?.bookingDate.iso == "2020-01-03")
        #expect(S.diagnostics(forced, "qif.date-order").isEmpty)
        // Evidence in the file beats the option.
        let proven = S.read("!Type:Bank\nD01/13/2020\nT1\n^\nD02/03/2020\nT1\n^\n", order: .dmy)
        #expect(proven.transactions.map(\.bookingDate.iso) == ["2020-01-13", "2020-02-03"])
    }

    @Test func decimalCommaFile() {
        let doc = S.read("!Type:Bank\nD31.12.2019\nT-1.234,56\n^\nD30.12.2019\nT12,5\n^\n")
        #expect(S.minor(doc) == [-123456, 1250])
    }

    @Test func currencyFallbackWarnsOnce() {
        let doc = S.read("!Type:Bank\nD1/2/2020\nT1\n^\nD1/3/2020\nT2\n^\n", currency: nil)
        #expect(doc.transactions.allSatisfy { $0.amount.currency.code == "XXX" })
        let warnings = S.diagnostics(doc, "qif.currency")
        #expect(warnings.count == 1 && warnings.first?.message.contains("--currency") == true)
    }

    @Test func splitsNamedAndSummedWhenTotalMissing() {
        let doc = S.read("!Type:Bank\nD1/1/2020\nPShop\nSFood\nEbread\n$-1.10\nSHome\n$-2.25\n^\n")
        let t = doc.transactions.first
        #expect(t?.amount.minorUnits == -335)
        #expect(t?.rawFields.map(\.name) == ["D", "P", "S1", "E1", "$1", "S2", "$2"])
        let mismatch = S.read("!Type:Bank\nD1/1/2020\nT-5.00\nSFood\n$-1.10\n^\n")
        #expect(mismatch.transactions.first?.amount.minorUnits == -500)
        #expect(S.diagnostics(mismatch, "qif.split-sum").count == 1)
    }

    @Test func accountBlocksSwitchAccounts() {
        let text = """
            !Option:AutoSwitch
            !Account
            NChecking
            TBank
            ^
            NVisa
            TCCard
            ^
            !Clear:AutoSwitch
            !Account
            NChecking
            TBank
            DMain account
            ^
            !Type:Bank
            D1/2/2020
            T-1
            ^
            !Account
            NVisa
            TCCard
            ^
            !Type:CCard
            D1/3/2020
            T-2
            ^
            """
        let doc = S.read(text, account: "fallback")
        #expect(doc.transactions.map(\.account) == ["Checking", "Visa"])
        #expect(S.read("!Type:Bank\nD1/2/2020\nT1\n^\n", account: "Mine").transactions.first?.account == "Mine")
    }

    @Test func investmentCashSide() {
        let text = """
            !Type:Invst
            D1/2/2020
            NDiv
            YACME
            T12.50
            ^
            D1/3/2020
            NBuy
            YACME
            I10
            Q5
            T50.00
            ^
            D1/4/2020
            NReinvDiv
            YACME
            T3.00
            ^
            D1/5/2020
            NXOut
            T20
            L[Checking]
            ^
            D1/6/2020
            NBuyX
            T9
            ^
            D1/7/2020
            NCash
            T-4
            ^
            """
        let doc = S.read(text)
        #expect(S.minor(doc) == [1250, -5000, -2000, -400])
        #expect(doc.transactions.first?.description == "Div ACME")
        #expect(S.diagnostics(doc, "qif.investment-skipped").count == 2)
        #expect(doc.rejectedRecords == 0)
        #expect(doc.transactions.map(\.position) == [0, 1, 3, 5])
    }

    @Test func listSectionsSkippedWithNote() {
        let doc = S.read("!Type:Cat\nNFood\nE\n^\n!Type:Security\nNACME\n^\n!Type:Bank\nD1/2/2020\nT1\n^\n")
        #expect(doc.transactions.count == 1)
        #expect(S.diagnostics(doc, "qif.section-skipped").count == 2)
        #expect(doc.transactions.first?.position == 0)
    }

    @Test func badRecordsAreLocatedAndTheRestKept() {
        let text = "!Type:Bank\nD1/2/2020\nT1\n^\nPno date\nT2\n^\nD13/45/2020\nT3\n^\nD1/3/2020\nTabc\n^\nD1/4/2020\nPx\n^\nD1/5/2020\nT5\n^\n"
        let doc = S.read(text)
        #expect(S.minor(doc) == [100, 500])
        #expect(doc.rejectedRecords == 4)
        #expect(S.diagnostics(doc, "qif.missing-date").first?.location.line == 5)
        #expect(S.diagnostics(doc, "qif.date").first?.location.line == 8)
        #expect(S.diagnostics(doc, "qif.amount").first?.location.line == 12)
        #expect(S.diagnostics(doc, "qif.amount").first?.sourceLine == "Tabc")
        #expect(S.diagnostics(doc, "qif.missing-amount").first?.location.line == 14)
        #expect(doc.diagnostics.filter { $0.severity == .error }.allSatisfy { $0.location.line != nil })
    }

    @Test func truncatedLastRecord() {
        let kept = S.read("!Type:Bank\nD1/2/2020\nT1\n^\nD1/3/2020\nT-7.5")
        #expect(S.minor(kept) == [100, -750])
        #expect(S.diagnostics(kept, "qif.truncated").first?.severity == .warning)
        let dropped = S.read("!Type:Bank\nD1/2/2020\nT1\n^\nD1/3/2020\nPhalf")
        #expect(S.minor(dropped) == [100] && dropped.rejectedRecords == 1)
        #expect(S.diagnostics(dropped, "qif.truncated").first?.severity == .error)
        #expect(S.diagnostics(dropped, "qif.truncated").first?.location.line == 5)
    }

    @Test func unreadableInputs() {
        for (bytes, code) in [
            ([UInt8](), "qif.empty"), (Array(" \n\r\n".utf8), "qif.empty"), ([0, 1, 2, 3, 0xFF, 0], "qif.binary"),
            (Array("Date,Amount\n1/2/2020,5\n".utf8), "qif.not-qif"),
        ] {
            let doc = QIFStatementIngestor().read(bytes, path: "x.qif")
            #expect(doc.unreadable && doc.diagnostics.first?.code == code && doc.hasErrors, "\(code)")
        }
    }

    @Test func crlfBomCaseAndWindows1252() {
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
        bytes += Array("!type:bank\r\nD1/2/2020\r\nT1.00\r\nPCaf".utf8) + [0xE9] + Array("\r\n^\r\n".utf8)
        let doc = QIFStatementIngestor(defaultCurrency: CurrencyCode("EUR")).read(bytes, path: "w.qif")
        #expect(doc.transactions.count == 1)
        let latin = QIFStatementIngestor().read(Array("!Type:Bank\nD1/2/2020\nT1\nPCaf".utf8) + [0xE9, 0x0A, 0x5E], path: "l")
        #expect(latin.transactions.first?.payee == "Café")
    }

    @Test func looksLike() {
        #expect(QIFStatementIngestor.looksLike(Array("\u{FEFF}  \n!Type:Bank\n".utf8)))
        #expect(QIFStatementIngestor.looksLike(Array("!ACCOUNT\nNx\n".utf8)))
        #expect(QIFStatementIngestor.looksLike(Array("!Option:AutoSwitch\n".utf8)))
        #expect(QIFStatementIngestor.looksLike(Array("!clear:autoswitch\n".utf8)))
        #expect(QIFStatementIngestor.looksLike(Array("### comment\n!Type:Cat\n".utf8)))
        #expect(!QIFStatementIngestor.looksLike(Array("Date,Amount\n".utf8)))
        #expect(!QIFStatementIngestor.looksLike([]))
        #expect(!QIFStatementIngestor.looksLike([0, 0, 0, 1]))
    }

    @Test func neverTrapsOnJunk() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let alphabet = Array("!^DTUPMNLCAS$E%'/-.,0123456789 \n\r\tTypeBankInvst:".utf8) + [0xC3, 0xFF, 0x00, 0x80]
        for _ in 0..<400 {
            var bytes: [UInt8] = Array("!Type:Bank\n".utf8)
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let length = Int(state >> 56)
            for _ in 0..<length {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                bytes.append(alphabet[Int(state >> 33) % alphabet.count])
            }
            let doc = QIFStatementIngestor().read(bytes, path: "junk")
            #expect(doc.transactions.count + doc.rejectedRecords >= 0)
        }
        let huge = S.read("!Type:Bank\nD1/2/2020\nT99999999999999999999999\n^\nD1/2/2020\nT1\n^\n")
        #expect(huge.rejectedRecords == 1 && huge.transactions.count == 1)
    }
}
