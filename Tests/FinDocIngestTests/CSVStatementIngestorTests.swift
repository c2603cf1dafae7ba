import FinDocCore
import Testing

@testable import FinDocIngest

@Suite struct CSVStatementIngestorTests {
    let gbp = CurrencyCode("GBP")

    // MARK: - Basics

    @Test func simpleFileWithEverySingleAmountField() throws {
        let text = """
            Date,Description,Amount,Currency,Transaction ID,Category,Balance
            03/01/2017,Coffee shop,-3.50,GBP,T1,Eating out,96.50
            14/01/2017,Salary,"1,200.00",GBP,T2,Income,1296.50

            """
        let document = TestSupport.read(text)
        #expect(document.profile == "auto")
        #expect(!document.unreadable)
        #expect(document.diagnostics.isEmpty)
        #expect(document.transactions.count == 2)
        let first = try #require(document.transactions.first)
        #expect(first.bookingDate == LocalDate(year: 2017, month: 1, day: 3))
        #expect(first.amount == Money(minorUnits: -350, currency: try #require(gbp)))
        #expect(first.description == "Coffee shop")
        #expect(first.bankId == "T1")
        #expect(first.sourceCategory == "Eating out")
        #expect(first.account == "csv:auto")
        #expect(first.location == SourceLocation(file: "test.csv", line: 2))
        #expect(first.position == 0)
        #expect(first.status == .booked)
        #expect(
            first.rawFields.map(\.name) == ["Date", "Description", "Amount", "Currency", "Transaction ID", "Category", "Balance"])
        #expect(first.rawFields.last?.value == "96.50")
        #expect(document.transactions.last?.amount.minorUnits == 120_000)
        #expect(document.transactions.last?.position == 1)
    }

    @Test func identicalRowsAreBothKept() {
        let text = "Date,Description,Amount\n03/01/2017,Bus,-2.00\n03/01/2017,Bus,-2.00\n"
        let document = TestSupport.read(text, options: CSVOptions(defaultCurrency: CurrencyCode("GBP")))
        #expect(document.transactions.count == 2)
        #expect(document.transactions.map(\.position) == [0, 1])
        #expect(document.transactions.map(\.location.line) == [2, 3])
    }

    @Test func crlfAndUTF8BOM() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("Date,Description,Amount\r\n2017-02-01,Tea,-1.20\r\n".utf8)
        let document = CSVStatementIngestor(options: CSVOptions(defaultCurrency: gbp)).read(bytes, path: "bom.csv")
        #expect(document.diagnostics.isEmpty)
        let t = try #require(document.transactions.first)
        #expect(t.rawFields.first?.name == "Date")
        #expect(t.description == "Tea")
        #expect(t.amount.minorUnits == -120)
    }

    @Test func utf16LittleEndianFile() throws {
        let text = "Date\tDescription\tAmount\r\n01/02/2017\tCafé\t-4.10\r\n"
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let document = CSVStatementIngestor(options: CSVOptions(defaultCurrency: gbp)).read(bytes, path: "u16.csv")
        #expect(document.transactions.map(\.description) == ["Café"])
        #expect(document.transactions.first?.amount.minorUnits == -410)
    }

    @Test func windows1252Bytes() throws {
        // "Date;Description;Amount\n01/02/2017;Caf\xE9 \x96 \xA35 off;-5.00\n"
        var bytes = Array("Date;Description;Amount\n01/02/2017;Caf".utf8)
        bytes += [0xE9, 0x20, 0x96, 0x20, 0xA3]
        bytes += Array("5 off;-5.00\n".utf8)
        let document = CSVStatementIngestor(options: CSVOptions(defaultCurrency: gbp)).read(bytes, path: "cp.csv")
        #expect(document.transactions.first?.description == "Café – £5 off")
    }

    // MARK: - Dialect and header

    @Test func preambleLinesBeforeTheHeader() throws {
        let text = """
            Account Name:,Mr A Smith
            Account Number:,12345678
            Statement period:,01/01/2017 to 31/01/2017

            Date,Type,Description,Paid out,Paid in,Balance
            04/01/2017,DEB,SHOP,12.00,,88.00
            05/01/2017,FPI,REFUND,,2.50,90.50
            """
        let document = TestSupport.read(text)
        #expect(document.profile == "uk-bank-paid-out-in")
        #expect(TestSupport.minor(document) == [-1200, 250])
        #expect(document.transactions.first?.location.line == 6)
        #expect(document.transactions.first?.amount.currency.code == "GBP")
        let note = try #require(TestSupport.diagnostics(document, "csv.preamble").first)
        #expect(note.severity == .note)
        #expect(note.location.line == 5)
        #expect(document.rejectedRecords == 0)
    }

    @Test func headerWithStraySpacesAndCase() {
        let text = " DATE ;  transaction   AMOUNT ; Details \n01/02/2017;-1,50;Brot\n"
        let document = TestSupport.read(text, options: CSVOptions(defaultCurrency: CurrencyCode("EUR")))
        #expect(document.transactions.count == 1)
        #expect(document.transactions.first?.amount.minorUnits == -150)
        #expect(document.transactions.first?.description == "Brot")
        #expect(document.transactions.first?.rawFields.map(\.name) == ["DATE", "transaction   AMOUNT", "Details"])
    }

    @Test func semicolonFileWithDecimalComma() throws {
        let text = """
            Buchungstag;Valuta;Buchungstext;Verwendungszweck;Betrag;Waehrung;Info
            30.12.2016;30.12.2016;LASTSCHRIFT;Strom Januar;-1.234,56;EUR;Umsatz gebucht
            02.01.2017;03.01.2017;GUTSCHRIFT;Gehalt;2.500,00;EUR;Umsatz vorgemerkt
            """
        let document = TestSupport.read(text)
        #expect(document.profile == "de-bank-buchungstag")
        #expect(document.diagnostics.isEmpty)
        #expect(TestSupport.minor(document) == [-123_456, 250_000])
        let first = try #require(document.transactions.first)
        #expect(first.description == "LASTSCHRIFT Strom Januar")
        #expect(first.amount.currency.code == "EUR")
        #expect(first.valueDate == LocalDate(year: 2016, month: 12, day: 30))
        #expect(document.transactions.map(\.status) == [.booked, .pending])
        #expect(document.transactions.last?.valueDate == LocalDate(year: 2017, month: 1, day: 3))
    }

    @Test func decimalCommaDecidedOverTheColumnWithoutProfile() {
        // "1,234" alone could be either; "12,30" in the same column settles it.
        let text = "Datum;Betrag;Verwendungszweck\n2017-01-02;1,234;a\n2017-01-03;12,30;b\n"
        let document = TestSupport.read(text, options: CSVOptions(defaultCurrency: CurrencyCode("KWD")))
        #expect(TestSupport.minor(document) == [1234, 12300])
    }

    @Test func tabAndPipeDelimiters() {
        let tab = TestSupport.read("Date\tAmount\tMemo\n2017-01-02\t5.00\tx\n", options: CSVOptions(defaultCurrency: gbp))
        #expect(TestSupport.minor(tab) == [500])
        let pipe = TestSupport.read("Date|Amount|Memo\n2017-01-02|5.00|x, y\n", options: CSVOptions(defaultCurrency: gbp))
        #expect(pipe.transactions.first?.description == "x, y")
    }

    // MARK: - Amount layouts and signs

    @Test func debitAndCreditColumns() throws {
        let text = """
            Date,Details,Debit,Credit
            01/02/2017,Rent,500.00,
            02/02/2017,Refund,,20.00
            03/02/2017,Signed debit,-7.00,
            04/02/2017,Nothing,,
            05/02/2017,Zero filled,0.00,3.00
            """
        let document = TestSupport.read(text, options: CSVOptions(defaultCurrency: gbp))
        #expect(TestSupport.minor(document) == [-50_000, 2000, -700, 300])
        #expect(document.rejectedRecords == 1)
        let error = try #require(TestSupport.diagnostics(document, "csv.amount").first)
        #expect(error.location.line == 5)
        #expect(error.message.contains("neither \"Debit\" nor \"Credit\" has an amount"))
    }

    @Test func directionColumn() throws {
        let text = """
            Booking date;Amount;D/C;Narrative
            01/02/2017;12,50;D;Shop
            02/02/2017;100,00;C;Pay
            03/02/2017;5,00;S;Soll
            04/02/2017;6,00;H;Haben
            05/02/2017;7,00;X;Unknown
            """
        let document = TestSupport.read(text, options: CSVOptions(defaultCurrency: CurrencyCode("EUR")))
        #expect(TestSupport.minor(document) == [-1250, 10_000, -500, 600])
        let error = try #require(TestSupport.diagnostics(document, "csv.direction").first)
        #expect(error.location.line == 6)
        #expect(error.message.contains("found \"X\""))
        #expect(document.rejectedRecords == 1)
    }

    @Test func profileDirectionWordsAndPositiveIsDebit() throws {
        let profile = CSVProfile(
            name: "card", columns: [.date: ["When"], .amount: ["Value"], .description: ["What"], .direction: ["Kind"]],
            debitValues: ["purchase"], creditValues: ["refund"])
        let text = "When,Value,What,Kind\n2017-01-01,10.00,a,Purchase\n2017-01-02,4.00,b,refund\n"
        let document = TestSupport.read(text, options: CSVOptions(profile: profile, defaultCurrency: gbp))
        #expect(TestSupport.minor(document) == [-1000, 400])
        #expect(document.profile == "card")
        #expect(document.transactions.first?.account == "csv:card")

        let card = CSVProfile(
            name: "card2", columns: [.date: ["When"], .amount: ["Value"], .description: ["What"]],
            amountSign: .positiveIsDebit, defaultCurrency: "USD", account: "card-1234")
        let flipped = TestSupport.read(
            "When,Value,What\n2017-01-01,10.00,purchase\n2017-01-02,-4.00,refund\n", options: CSVOptions(profile: card))
        #expect(TestSupport.minor(flipped) == [-1000, 400])
        #expect(flipped.transactions.first?.amount.currency.code == "USD")
        #expect(flipped.transactions.first?.account == "card-1234")
    }

    @Test func signMarkersAndCurrencySymbols() {
        let text = """
            Date,Amount,Description
            2017-01-01,(12.34),a
            2017-01-02,12.34-,b
            2017-01-03,12.34 CR,c
            2017-01-04,12.34 DR,d
            2017-01-05,£12.34,e
            2017-01-06,+12.34,f
            """
        let document = TestSupport.read(text)
        #expect(TestSupport.minor(document) == [-1234, -1234, 1234, -1234, 1234, 1234])
        // No currency column and no default: XXX with one warning for the file.
        #expect(document.transactions.map(\.amount.currency.code) == ["XXX", "XXX", "XXX", "XXX", "GBP", "XXX"])
        #expect(TestSupport.diagnostics(document, "csv.currency").count == 1)
        #expect(TestSupport.diagnostics(document, "csv.currency").first?.severity == .warning)
        #expect(TestSupport.diagnostics(document, "csv.currency").first?.message.contains("--currency CODE") == true)
    }

    @Test func currencyPrecedence() {
        let text = "Date,Amount,Currency,Description\n2017-01-01,1,JPY,a\n2017-01-02,2.00,,b\n2017-01-03,EUR 3,,c\n"
        let document = TestSupport.read(text, options: CSVOptions(defaultCurrency: CurrencyCode("CHF")))
        #expect(document.transactions.map(\.amount.description) == ["1 JPY", "2.00 CHF", "3.00 EUR"])
        let header = TestSupport.read("Date,Amount (GBP),Description\n2017-01-01,1.50,a\n")
        #expect(header.transactions.first?.amount.description == "1.50 GBP")
        #expect(header.diagnostics.isEmpty)
    }

    @Test func badCurrencyCodeRejectsTheRow() throws {
        let document = TestSupport.read("Date,Amount,Currency,Description\n2017-01-01,1.00,pounds,a\n")
        let error = try #require(document.diagnostics.first)
        #expect(error.code == "csv.currency")
        #expect(error.message == "expected a three-letter ISO 4217 currency code in column \"Currency\", found \"pounds\"")
        #expect(document.rejectedRecords == 1)
    }

    // MARK: - Bad rows

    @Test func nonNumberAmount() throws {
        let text = "Date;Amount;Description\n03/01/17;12.00;ok\n03/01/17;abc;shell kings\n04/01/17;1.00;after\n"
        let document = TestSupport.read(text, options: CSVOptions(defaultCurrency: gbp))
        #expect(document.transactions.count == 2)
        #expect(document.rejectedRecords == 1)
        let error = try #require(document.diagnostics.first { $0.severity == .error })
        #expect(error.code == "csv.amount")
        #expect(error.message.hasPrefix("expected a number in column \"Amount\", found \"abc\""))
        #expect(error.location == SourceLocation(file: "test.csv", line: 3, column: 10))
        #expect(error.sourceLine == "03/01/17;abc;shell kings")
    }

    @Test func tooManyDecimalsForTheCurrency() throws {
        let text = "Date,Amount,Currency,Description\n2017-01-01,1.234,GBP,a\n2017-01-01,1.234,KWD,b\n2017-01-01,5.10,JPY,c\n"
        let document = TestSupport.read(text)
        #expect(document.transactions.map(\.amount.description) == ["1.234 KWD"])
        #expect(document.rejectedRecords == 2)
        let messages = TestSupport.diagnostics(document, "csv.amount").map(\.message)
        #expect(messages.first == "amount \"1.234\" in column \"Amount\" has more decimals than GBP allows (2)")
        #expect(messages.last == "amount \"5.10\" in column \"Amount\" has more decimals than JPY allows (0)")
    }

    @Test func unknownDateFormatAndImpossibleDate() throws {
        let text = "Date,Amount,Description\n03/01/2017,1.00,a\nyesterday,1.00,b\n31/02/2017,1.00,c\n,1.00,d\n"
        let document = TestSupport.read(text, options: CSVOptions(defaultCurrency: gbp))
        #expect(document.transactions.count == 1)
        #expect(document.rejectedRecords == 3)
        let errors = TestSupport.diagnostics(document, "csv.date")
        #expect(errors.map(\.location.line) == [3, 4, 5])
        #expect(errors.first?.message == "expected a date like dd/mm/yyyy in column \"Date\", found \"yesterday\"")
        #expect(errors.dropFirst().first?.message == "\"31/02/2017\" in column \"Date\" is not a real date (read as dd/mm/yyyy)")
        #expect(errors.last?.message == "column \"Date\" is empty; expected a date like dd/mm/yyyy")
        #expect(errors.first?.location.column == 1)
    }

    @Test func contradictoryDateOrdersRejectTheMinority() throws {
        let text = """
            Date,Amount,Description
            13/01/2017,1.00,a
            14/01/2017,1.00,b
            01/13/2017,1.00,c
            05/01/2017,1.00,d
            """
        let document = TestSupport.read(text, options: CSVOptions(defaultCurrency: gbp))
        #expect(document.transactions.map(\.description) == ["a", "b", "d"])
        #expect(document.transactions.last?.bookingDate == LocalDate(year: 2017, month: 1, day: 5))
        let error = try #require(TestSupport.diagnostics(document, "csv.date").first)
        #expect(error.location.line == 4)
        #expect(error.message.contains("can only be month/day/year"))
    }

    @Test func ambiguousDatesWarnAndCanBeForced() throws {
        let text = "Date,Amount,Description\n01/02/2017,1.00,a\n03/04/2017,1.00,b\n"
        let guessed = TestSupport.read(text, options: CSVOptions(defaultCurrency: gbp))
        #expect(guessed.transactions.first?.bookingDate == LocalDate(year: 2017, month: 2, day: 1))
        let warning = try #require(TestSupport.diagnostics(guessed, "csv.date-order").first)
        #expect(warning.severity == .warning)
        #expect(warning.message.contains("--date-order mdy"))
        let forced = TestSupport.read(text, options: CSVOptions(defaultCurrency: gbp, dateOrder: .mdy))
        #expect(forced.transactions.first?.bookingDate == LocalDate(year: 2017, month: 1, day: 2))
        #expect(forced.diagnostics.isEmpty)
        let proven = TestSupport.read(text + "12/25/2017,1.00,c\n", options: CSVOptions(defaultCurrency: gbp))
        #expect(proven.transactions.first?.bookingDate == LocalDate(year: 2017, month: 1, day: 2))
        #expect(proven.diagnostics.isEmpty)
    }

    @Test func fieldCountMismatch() throws {
        let text = "a,b,Date,Amount,Description\n1,2,2017-01-01,1.00,x\n1,2,2017-01-01\n1,2,2017-01-02,2.00,y,,\n1,2,2017-01-03,3.00,z,extra\n"
        let document = TestSupport.read(text, options: CSVOptions(defaultCurrency: gbp))
        #expect(TestSupport.minor(document) == [100, 200])
        let errors = TestSupport.diagnostics(document, "csv.fields")
        #expect(errors.map(\.message) == [
            "expected 5 fields as in the header, found 3", "expected 5 fields as in the header, found 6",
        ])
        #expect(errors.map(\.location.line) == [3, 5])
        #expect(errors.first?.sourceLine == "1,2,2017-01-01")
        #expect(document.rejectedRecords == 2)
    }

    @Test func allEmptyRowIsANoteNotARejection() throws {
        let text = "Date;Amount;Description\n2017-01-01;1.00;a\n;;\n2017-01-02;2.00;b\n"
        let document = TestSupport.read(text, options: CSVOptions(defaultCurrency: gbp))
        #expect(document.transactions.count == 2)
        #expect(document.rejectedRecords == 0)
        let note = try #require(document.diagnostics.first)
        #expect(note.code == "csv.empty-row")
        #expect(note.severity == .note)
        #expect(note.location.line == 3)
        #expect(document.transactions.map(\.position) == [0, 2])
    }

    @Test func missingDescriptionNeedsAPayee() throws {
        let text = "Date,Amount,Description,Payee\n2017-01-01,1.00,,Bob\n2017-01-02,1.00,,\n"
        let document = TestSupport.read(text, options: CSVOptions(defaultCurrency: gbp))
        #expect(document.transactions.count == 1)
        #expect(document.transactions.first?.payee == "Bob")
        #expect(document.transactions.first?.description == "")
        #expect(TestSupport.diagnostics(document, "csv.description").first?.location.line == 3)
    }

    // MARK: - Quotes

    @Test func embeddedNewlineKeepsLineNumbersOfFollowingRows() {
        let text = "Date,Amount,Description\n2017-01-01,1.00,\"two\nlines\"\n2017-01-02,2.00,next\r\n2017-01-03,3.00,\"a\r\nb\r\nc\"\n2017-01-04,4.00,last"
        let document = TestSupport.read(text, options: CSVOptions(defaultCurrency: gbp))
        #expect(document.diagnostics.isEmpty)
        #expect(document.transactions.map(\.location.line) == [2, 4, 5, 8])
        #expect(document.transactions.first?.description == "two\nlines")
    }

    @Test func truncatedFileWithUnclosedQuote() throws {
        let text = "Date,Amount,Description\n2017-01-01,1.00,ok\n2017-01-02,2.00,\"cut off here"
        let document = TestSupport.read(text, options: CSVOptions(defaultCurrency: gbp))
        #expect(TestSupport.minor(document) == [100])
        #expect(document.rejectedRecords == 1)
        let error = try #require(document.diagnostics.first)
        #expect(error.code == "csv.quote")
        #expect(
            error.message
                == "quoted field opened here is never closed; expected a closing \" before the end of the file")
        #expect(error.location == SourceLocation(file: "test.csv", line: 3, column: 17))
    }

    @Test func brokenQuoteMidFileStillReadsTheRowsAfter() throws {
        let text = """
            Date,Amount,Description
            2017-01-01,1.00,ok
            2017-01-02,2.00,"broken
            2017-01-03,3.00,fine
            2017-01-04,4.00,fine too
            """
        let document = TestSupport.read(text, options: CSVOptions(defaultCurrency: gbp))
        #expect(TestSupport.minor(document) == [100, 300, 400])
        #expect(document.transactions.map(\.location.line) == [2, 4, 5])
        #expect(document.rejectedRecords == 1)
        #expect(TestSupport.diagnostics(document, "csv.quote").first?.location.line == 3)
    }

    @Test func strayQuotePairingWithALaterLineIsCaught() throws {
        let text = """
            Date,Amount,Description
            2017-01-01,1.00,"stray
            2017-01-02,2.00,fine
            2017-01-03,3.00,"quoted",
            2017-01-04,4.00,"ok"
            """
        let document = TestSupport.read(text, options: CSVOptions(defaultCurrency: gbp))
        #expect(document.transactions.map(\.location.line) == [3, 4, 5])
        #expect(TestSupport.minor(document) == [200, 300, 400])
        let error = try #require(TestSupport.diagnostics(document, "csv.quote").first)
        #expect(error.location.line == 2)
        #expect(error.severity == .error)
        #expect(document.rejectedRecords == 1)
    }

    @Test func textAfterClosingQuoteIsKeptWithAWarning() throws {
        let text = "Date,Amount,Description\n2017-01-01,1.00,\"Joe's\" Diner\n"
        let document = TestSupport.read(text, options: CSVOptions(defaultCurrency: gbp))
        #expect(document.transactions.first?.description == "Joe's Diner")
        let warning = try #require(document.diagnostics.first)
        #expect(warning.code == "csv.quote")
        #expect(warning.severity == .warning)
    }

    @Test func manyOddQuotesStayFastAndAreAllReported() {
        // Every line opens a quote that pairs with the next line's: a quadratic re-scan would crawl.
        let text = "Date,Amount,Description\n" + String(repeating: "2017-01-01,1.00,\"x\n", count: 20_000)
        let document = TestSupport.read(text, options: CSVOptions(defaultCurrency: gbp))
        #expect(document.rejectedRecords == 20_000)
        #expect(document.transactions.isEmpty)
        #expect(document.diagnostics.count == 101)
        #expect(document.diagnostics.last?.message.hasPrefix("… and 19900 more csv.quote errors") == true)
    }

    // MARK: - Mapping, profiles, caps

    @Test func unmappableFileIsUnreadableWithHelp() throws {
        let document = TestSupport.read("Foo,Bar\n1,2\n")
        #expect(document.unreadable)
        let error = try #require(document.diagnostics.first)
        #expect(document.diagnostics.count == 1)
        #expect(error.code == "csv.mapping")
        #expect(error.message.contains("\"Foo\", \"Bar\""))
        #expect(error.message.contains("--profile FILE"))
        #expect(error.message.contains("a date column"))
    }

    @Test func forcedProfileThatDoesNotFit() throws {
        let profile = CSVProfile(name: "mine", columns: [.date: ["Datum"], .amount: ["Betrag"]])
        let document = TestSupport.read("Date,Amount\n2017-01-01,1\n", options: CSVOptions(profile: profile))
        #expect(document.unreadable)
        #expect(document.diagnostics.first?.message.hasPrefix("profile \"mine\" does not fit this file: no column \"Datum\"") == true)
    }

    @Test func diagnosticsAreCappedPerCode() throws {
        var text = "Date,Amount,Description\n"
        for _ in 0..<150 { text += "2017-01-01,oops,x\n" }
        text += "2017-01-02,1.00,good\n"
        let document = TestSupport.read(text, options: CSVOptions(defaultCurrency: gbp))
        #expect(document.rejectedRecords == 150)
        #expect(document.transactions.count == 1)
        #expect(TestSupport.diagnostics(document, "csv.amount").count == 101)
        let summary = try #require(document.diagnostics.last)
        #expect(summary.message.hasPrefix("… and 50 more csv.amount errors"))
        #expect(summary.severity == .error)
    }

    @Test func accountColumnOptionsAndStatus() {
        let text = "Date,Amount,Description,Account,Status\n2017-01-01,1.00,a,GB00X,Pending\n2017-01-02,2.00,b,,posted\n"
        let document = TestSupport.read(text, options: CSVOptions(account: "main", defaultCurrency: gbp))
        #expect(document.transactions.map(\.account) == ["GB00X", "main"])
        #expect(document.transactions.map(\.status) == [.pending, .booked])
    }

    @Test func usCardProfile() throws {
        let text = """
            Transaction Date,Post Date,Description,Category,Type,Amount,Memo
            01/13/2017,01/15/2017,STARBUCKS,Food & Drink,Sale,-4.50,
            01/14/2017,01/15/2017,Payment Thank You,,Payment,100.00,web
            """
        let document = TestSupport.read(text)
        #expect(document.profile == "us-card-transaction-post-date")
        #expect(document.diagnostics.isEmpty)
        #expect(TestSupport.minor(document) == [-450, 10_000])
        #expect(document.transactions.first?.bookingDate == LocalDate(year: 2017, month: 1, day: 13))
        #expect(document.transactions.first?.amount.currency.code == "USD")
        #expect(document.transactions.first?.sourceCategory == "Food & Drink")
        #expect(document.transactions.last?.description == "Payment Thank You web")
    }

    @Test func birminghamShapeWithLeadingSpacesAndMissingBillingColumns() throws {
        let jan = """
            TRANS DATE; TRANS VAT DESC; ORIGINAL GROSS AMT; ORIGINAL CUR; BILLING GROSS AMT; BILLING CUR CODE; MERCHANT NAME; CARD NUMBER; TRANS CAC CODE 1; TRANS CAC DESC 1; TRANS CAC CODE 2; TRANS CAC DESC 2; TRANS CAC CODE 3; Directorate
            03/01/17;VR;"1,120.81";GBP;"1,120.81";GBP;shell kings 587;************5770;K020;Vehicle Fuel;RV12N;African-Caribbean DC;A00;Adult & Communities
            04/01/17;VR;-5.00;EUR;-4.30;GBP;refund;************5770;K020;Vehicle Fuel;RV12N;X;A00;Adult & Communities
            """
        let document = TestSupport.read(jan)
        #expect(document.profile == "birmingham-pcard")
        #expect(document.diagnostics.isEmpty)
        #expect(TestSupport.minor(document) == [-112_081, 430])
        let refund = try #require(document.transactions.last)
        #expect(refund.originalAmount == Money(minorUnits: 500, currency: try #require(CurrencyCode("EUR"))))
        #expect(refund.rawFields.count == 14)
        #expect(refund.rawFields.first?.name == "TRANS DATE")
        #expect(refund.rawFields.dropFirst().first?.name == "TRANS VAT DESC")

        let dec = """
            TRANS DATE;TRANS VAT DESC;ORIGINAL GROSS AMT;MERCHANT NAME;CARD NUMBER;TRANS CAC CODE 1;TRANS CAC DESC 1;TRANS CAC CODE 2;TRANS CAC DESC 2;TRANS CAC CODE 3;Directorate
            22/12/16;VR;20.00;shell kings 587;************5770;K020;Vehicle Fuel;RV12N;African-Caribbean DC;A00;Adult & Communities
            """
        let december = TestSupport.read(dec)
        #expect(december.profile == "birmingham-pcard")
        #expect(december.transactions.first?.amount.description == "-20.00 GBP")
        #expect(december.transactions.first?.originalAmount == nil)
    }

    // MARK: - Never trap

    @Test func arbitraryBytesNeverTrap() {
        // A deterministic generator over bytes that matter to the parser, plus mutations of a valid file.
        var random = TestSupport.Xorshift()
        func next() -> UInt64 { random.next() }
        let alphabet: [UInt8] = Array("\",;\t|\r\n 0123456789.-()£€abcDRCR/".utf8) + [0x00, 0x96, 0xFF, 0xC3, 0xA9, 0xEF, 0xBB, 0xBF]
        let valid = Array("Date,Amount,Description,Debit,Credit\n2017-01-01,\"1,000.00\",x,1,2\n01/02/17,(3),\"a\"\"b\",,\n".utf8)
        let ingestor = CSVStatementIngestor(options: CSVOptions(defaultCurrency: gbp))
        for round in 0..<400 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int(next() % 300)).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] }
            } else {
                bytes = valid
                for _ in 0..<Int(next() % 6) {
                    let at = Int(next() % UInt64(bytes.count))
                    bytes[at] = alphabet[Int(next() % UInt64(alphabet.count))]
                }
            }
            let document = ingestor.read(bytes, path: "fuzz.csv")
            // Every rejected record is explained by an error.
            #expect(document.rejectedRecords == 0 || document.hasErrors)
            #expect(document.transactions.count + document.rejectedRecords <= bytes.count)
        }
    }
}
