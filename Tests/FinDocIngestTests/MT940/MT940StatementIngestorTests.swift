import FinDocCore
import Testing

@testable import FinDocIngest

/// Reads MT940 text given as a string.
private func read(_ text: String, account: String? = nil) -> StatementDocument {
    MT940StatementIngestor(account: account).read(Array(text.utf8), path: "s.sta")
}

private func codes(_ document: StatementDocument) -> [String] { document.diagnostics.map(\.code) }

private func raw(_ t: Transaction, _ name: String) -> String? { t.rawFields.first { $0.name == name }?.value }

@Suite("MT940 ingestor")
struct MT940IngestorTests {
    @Test("Envelope, two messages, CRLF, balances and statement links")
    func envelopeAndStatements() throws {
        let text = """
            {1:F01ASNBNL21XXXX0000000000}{2:O940ASNBNL21XXXXN}{3:}{4:\r
            :20:REF1\r
            :25:NL81ASNB9999999999\r
            :28C:1/1\r
            :60F:C200101EUR444,29\r
            :61:2001010101D65,00NOVBNL47INGB9999999999\r
            hr gjlm paulissen\r
            :86:NL47INGB9999999999 hr gjlm paulissen\r
            Betaling sieraden\r
            :62F:C200101EUR379,29\r
            -}{5:}\r
            {1:F01ASNBNL21XXXX0000000000}{2:O940ASNBNL21XXXXN}{3:}{4:\r
            :20:REF2\r
            :25:NL81ASNB9999999999\r
            :28C:2/1\r
            :60F:C200102EUR379,29\r
            :61:200103C1000,NTRFNONREF//B123\r
            :62F:C200103EUR1379,29\r
            -}\r

            """
        let d = read(text)
        #expect(!d.unreadable)
        #expect(d.diagnostics.isEmpty, "\(d.diagnostics)")
        #expect(d.statements.count == 2)
        #expect(d.transactions.count == 2)
        let s0 = d.statements[0]
        #expect(s0.account == "NL81ASNB9999999999")
        #expect(s0.identifier == "1/1")
        #expect(s0.openingBalance == Money(minorUnits: 44429, currency: try #require(CurrencyCode("EUR"))))
        #expect(s0.closingBalance?.minorUnits == 37929)
        #expect(s0.location?.line == 2)
        #expect(s0.periodStart == LocalDate(year: 2020, month: 1, day: 1))
        let t0 = d.transactions[0]
        #expect(t0.amount.minorUnits == -6500)
        #expect(t0.statementIndex == 0)
        #expect(t0.location.line == 6)
        #expect(t0.description == "NL47INGB9999999999 hr gjlm paulissen Betaling sieraden")
        #expect(raw(t0, "supplementaryDetails") == "hr gjlm paulissen")
        #expect(t0.reference == "NL47INGB9999999999")
        #expect(t0.bankId == nil)
        let t1 = d.transactions[1]
        #expect(t1.amount.minorUnits == 100_000)
        #expect(t1.statementIndex == 1)
        #expect(t1.bankId == "B123")
        #expect(t1.reference == nil)
        #expect(t1.position == 1)
        #expect(d.statements[1].periodEnd == LocalDate(year: 2020, month: 1, day: 3))
    }

    @Test("Entry dates roll over New Year both ways; booking date is the entry date")
    func entryDateRollover() {
        let d = read(
            """
            :20:X
            :25:ACC
            :60F:C231231EUR0,
            :61:2312310102C1,00NTRFNONREF
            :61:2401021231D1,00NTRFNONREF
            :61:240315C2,50NTRF
            :62F:C240315EUR2,50
            """)
        #expect(d.transactions.count == 3)
        #expect(d.transactions[0].bookingDate == LocalDate(year: 2024, month: 1, day: 2))
        #expect(d.transactions[0].valueDate == LocalDate(year: 2023, month: 12, day: 31))
        #expect(d.transactions[1].bookingDate == LocalDate(year: 2023, month: 12, day: 31))
        #expect(d.transactions[1].valueDate == LocalDate(year: 2024, month: 1, day: 2))
        #expect(d.transactions[2].bookingDate == LocalDate(year: 2024, month: 3, day: 15))
        #expect(!codes(d).contains("mt940.balance"))
    }

    @Test("Marks: C, D, RC is money out, RD is money in, funds code letter is skipped")
    func marks() {
        let d = read(
            """
            :20:X
            :25:ACC
            :60F:C240101EUR100,00
            :61:240101C10,00NTRFNONREF
            :61:240101D1,00NTRFNONREF
            :61:240101RC2,00NTRFNONREF
            :61:240101RD3,00NTRFNONREF
            :61:240101DR4,00N024NONREF
            :61:240101CN50,NZ10NONREF
            :62F:C240101EUR156,00
            """)
        #expect(d.transactions.map(\.amount.minorUnits) == [1000, -100, -200, 300, -400, 5000])
        #expect(d.transactions.map { raw($0, "fundsCode") } == [nil, nil, nil, nil, "R", "N"])
        #expect(d.transactions.map { raw($0, "transactionType") } == ["NTRF", "NTRF", "NTRF", "NTRF", "N024", "NZ10"])
        #expect(!codes(d).contains("mt940.balance"))
    }

    @Test("German ?NN sub-fields: remittance, payee, EREF, BIC, IBAN")
    func germanSubfields() {
        let d = read(
            """
            :20:STARTUMS
            :25:12345678/1020304050
            :28C:0
            :60F:C170914EUR12345,12
            :61:170914D233,15NMSC
            :86:105?00Basislastschrift?10931?20EREF+123/123/12345-----L110
            ?30BYLADEMM
            ?31DE99700500000000012345?32Finanzamt Muenchen Abteilun
            ?33g Erhebung?34992?60000000012345 BIC: BYLADEMM 
            ?61ABWA: Finanzamt Muenchen ?62ABWA+Finanzamt Muenchen 
            ?63Abteilung Erhebung
            :62F:C170914EUR12111,97
            -
            """)
        #expect(d.diagnostics.isEmpty, "\(d.diagnostics)")
        let t = d.transactions[0]
        #expect(t.payee == "Finanzamt Muenchen Abteilung Erhebung")
        #expect(t.reference == "123/123/12345-----L110")
        #expect(raw(t, "?30") == "BYLADEMM")
        #expect(raw(t, "?31") == "DE99700500000000012345")
        #expect(raw(t, "?00") == "Basislastschrift")
        #expect(raw(t, "?10") == "931")
        #expect(raw(t, "postingCode") == "105")
        #expect(t.description.contains("000000012345 BIC: BYLADEMM"))
        #expect(t.account == "12345678/1020304050")
    }

    /// A full 27-character sub-field is glued to the next one (banks cut mid-word there), so "Einkauf" + "bei"
    /// touch here: the price of not inserting spaces into words cut at the limit.
    @Test("German SEPA keys: SVWZ is the description, wrapped lines are glued")
    func germanSEPA() {
        let d = read(
            """
            :20:STARTUMS
            :25:12345678/1020304050
            :60F:C170914EUR0,
            :61:170914D233,15NMSC
            :86:835?20Cie., S.C.A.?21SEPA-BASISLASTSCHRIFT?22EREF+ 1234567890123 PAYPAL?23MREF+ 12AB234CD6E7F CRED+ A?24B12CDE0000000000000000034 S?25VWZ+ . SPOTIFY, Ihr Einkauf?26bei SPOTIFY?32PayPal (Europe) S.a.r.l. et
            :62F:D170914EUR233,15
            """)
        let t = d.transactions[0]
        #expect(t.description == ". SPOTIFY, Ihr Einkaufbei SPOTIFY")
        #expect(t.reference == "1234567890123 PAYPAL")
        #expect(raw(t, "CRED") == "AB12CDE0000000000000000034")
        #expect(t.payee == "PayPal (Europe) S.a.r.l. et")
        #expect(!codes(d).contains("mt940.balance"))
    }

    @Test("Dutch slash codes: CNTP, REMI, EREF and ABN AMRO style")
    func slashCodes() {
        let d = read(
            """
            :20:940S140102
            :25:NL93RABO0157787990 EUR
            :28C:1
            :60F:C140101EUR100,00
            :61:140102C000000000020,00N541NONREF
            :86:/EREF/02-01-2014 12:34 0030000999999999//CNTP/NL61INGB0123456789/
            INGBNL2A/J. Jansen/Utrecht///REMI/Betaling 123/
            :61:140102D5,00N658NONREF
            :86:/TRTP/SEPA OVERBOEKING/IBAN/NL86INGB0002445588/BIC/INGBNL2A/NAME/
            Belastingdienst/REMI/USTD//Aanslag 2014/EREF/NOTPROVIDED
            :62F:C140102EUR115,00
            """)
        #expect(d.diagnostics.isEmpty, "\(d.diagnostics)")
        let t0 = d.transactions[0]
        #expect(t0.payee == "J. Jansen")
        #expect(t0.description == "Betaling 123")
        #expect(t0.reference == "02-01-2014 12:34 0030000999999999")
        #expect(raw(t0, "CNTP.account") == "NL61INGB0123456789")
        #expect(raw(t0, "CNTP.bic") == "INGBNL2A")
        let t1 = d.transactions[1]
        #expect(t1.payee == "Belastingdienst")
        #expect(t1.description == "Aanslag 2014")
        #expect(t1.reference == nil)
        #expect(raw(t1, "IBAN") == "NL86INGB0002445588")
        #expect(raw(t1, "TRTP") == "SEPA OVERBOEKING")
    }

    @Test("Balance mismatch is a located warning naming the statement and the difference")
    func balanceMismatch() throws {
        let d = read(
            """
            :20:MYREF
            :25:ACC
            :28C:7/2
            :60F:C240101EUR100,00
            :61:240101D10,00NTRFNONREF
            :62F:C240101EUR80,00
            """)
        let w = try #require(d.diagnostics.first { $0.code == "mt940.balance" })
        #expect(w.severity == .warning)
        #expect(w.location.line == 1)
        #expect(w.message.contains(":20:MYREF"))
        #expect(w.message.contains(":28C:7/2"))
        #expect(w.message.contains("-10.00"))
        #expect(d.transactions.count == 1)
    }

    @Test("A broken :61: rejects only its transaction, with file, line and source line")
    func brokenEntry() throws {
        let d = read(
            """
            :20:X
            :25:ACC
            :60F:C240101EUR0,
            :61:24AB01C1,00NTRF
            :86:details of the broken one
            :61:240101X1,00NTRF
            :61:240101C,NTRF
            :61:240101C5,00NTRF
            :62F:C240101EUR5,00
            """)
        #expect(d.transactions.count == 1)
        #expect(d.rejectedRecords == 3)
        let errors = d.diagnostics.filter { $0.code == "mt940.entry" }
        #expect(errors.map(\.location.line) == [4, 6, 7])
        #expect(errors.allSatisfy { $0.severity == .error && $0.location.file == "s.sta" && $0.sourceLine != nil })
        #expect(errors.first?.sourceLine == ":61:24AB01C1,00NTRF")
        #expect(!codes(d).contains("mt940.orphanInformation"))
    }

    @Test("Missing :25: is an error for that statement; the account option overrides")
    func missingAccount() {
        let text = """
            :20:A
            :60F:C240101EUR0,
            :61:240101C5,00NTRF
            :62F:C240101EUR5,00
            -
            :20:B
            :25:GOOD
            :60F:C240101EUR0,
            :61:240101C5,00NTRF
            :62F:C240101EUR5,00
            -
            """
        let d = read(text)
        #expect(d.statements.count == 1)
        #expect(d.transactions.count == 1)
        #expect(d.transactions.first?.statementIndex == 0)
        #expect(d.rejectedRecords == 1)
        #expect(d.diagnostics.contains { $0.code == "mt940.account" && $0.severity == .error && $0.location.line == 1 })
        let o = read(text, account: "MINE")
        #expect(o.transactions.count == 2)
        #expect(o.transactions.allSatisfy { $0.account == "MINE" })
        #expect(o.statements.map(\.account) == ["MINE", "MINE"])
        #expect(!o.hasErrors)
    }

    @Test(":86: without :61: is a warning; truncated envelope and missing closing balance are reported")
    func orphanAndTruncated() {
        let d = read(
            """
            {1:F01X}{2:O940X}{4:
            :20:X
            :25:ACC
            :60F:C240101EUR0,
            :86:who am I
            :61:240101C5,00NTRF
            """)
        #expect(d.diagnostics.contains { $0.code == "mt940.orphanInformation" && $0.location.line == 5 })
        #expect(d.diagnostics.filter { $0.code == "mt940.truncated" }.count == 2)
        #expect(d.transactions.count == 1)
    }

    @Test("Empty, binary and non-MT940 input are unreadable with an error")
    func unreadable() {
        for input in ["", "  \n\n", "date,amount\n2024-01-01,5\n", ":NS:\n"] {
            let d = read(input)
            #expect(d.unreadable, "\(input)")
            #expect(d.hasErrors)
        }
        let binary = MT940StatementIngestor().read([0, 1, 2, 0, 0xFF], path: "b")
        #expect(binary.unreadable)
    }

    @Test("MT942: floor limit and totals, currency from :34F:, no balances needed")
    func mt942() {
        let d = read(
            """
            :20:MT942REF
            :25:PL29114010810000267002001002
            :28C:1/1
            :34F:PLND0,
            :13D:1701191200+0100
            :61:1701190119CN0,01NTRFNONREF//MB170119012058
            :86:hello
            :90D:0PLN0,
            :90C:1PLN0,01
            -
            """)
        #expect(!d.hasErrors, "\(d.diagnostics)")
        #expect(d.transactions.count == 1)
        #expect(d.transactions.first?.amount.currency.code == "PLN")
        #expect(d.transactions.first?.bankId == "MB170119012058")
        #expect(!codes(d).contains("mt940.closingBalance"))
    }

    @Test("Sniffing: envelope, :20:, bank header lines, tag lines; not CSV")
    func sniffing() {
        #expect(MT940StatementIngestor.looksLike(Array("{1:F01ABC}{2:O940}{4:\n:20:X\n".utf8)))
        #expect(MT940StatementIngestor.looksLike(Array(":20:X\r\n:25:Y\r\n".utf8)))
        #expect(MT940StatementIngestor.looksLike(Array("ABNANL2A\n940\nABNANL2A\n:20:ABN AMRO BANK NV\n".utf8)))
        #expect(MT940StatementIngestor.looksLike(Array("\u{1}\n:20:ST170119CYC/1\n".utf8)))
        #expect(MT940StatementIngestor.looksLike(Array(":61:1409010902DR000000000001,62NTRF\n".utf8)))
        #expect(!MT940StatementIngestor.looksLike(Array("date,amount\n2024-01-01,5\n".utf8)))
        #expect(!MT940StatementIngestor.looksLike(Array(":NS:\n".utf8)))
        #expect(!MT940StatementIngestor.looksLike([]))
    }

    @Test("February 30 (German month-end convention) is kept with a warning")
    func februaryThirty() {
        let d = read(
            """
            :20:STARTUMSE
            :25:12345678/1020304050
            :60F:C160229EUR1200,00
            :61:1602300301DR6,00N024NONREF
            :86:805?00ENTGELTABSCHLUSS?106666?20Pauschalen?3012345678?1122334
            45566
            :62F:C160301EUR1194,00
            -
            """)
        #expect(d.transactions.count == 1)
        #expect(d.transactions.first?.valueDate == LocalDate(year: 2016, month: 2, day: 29))
        #expect(d.transactions.first?.bookingDate == LocalDate(year: 2016, month: 3, day: 1))
        #expect(d.transactions.first.flatMap { raw($0, "?11") } == "2233445566")
        #expect(d.diagnostics.map(\.code) == ["mt940.date"])
    }

    @Test("Arbitrary and mutated bytes never trap")
    func fuzz() {
        let seed = Array(
            """
            {1:F01X}{2:O940X}{4:
            :20:X
            :25:ACC
            :28C:1/1
            :60F:C240101EUR0,
            :61:2401010102RDN1,00NTRFREF//BANK
            more
            :86:835?20EREF+A?32NAME/CNTP/a/b/c/d//REMI/x/
            :62F:C240101EUR1,00
            -}
            """.utf8)
        var random = TestSupport.Xorshift()
        func next() -> UInt64 { random.next() }
        let alphabet = Array(":{}-/?+,.CDRNEUR0123456789\r\n AZ".utf8)
        for round in 0..<3000 {
            var bytes = seed
            let edits = Int(next() % 8) + 1
            for _ in 0..<edits {
                let position = Int(next() % UInt64(max(bytes.count, 1)))
                switch next() % 4 {
                case 0 where !bytes.isEmpty: bytes.remove(at: position)
                case 1: bytes.insert(alphabet[Int(next() % UInt64(alphabet.count))], at: min(position, bytes.count))
                case 2 where !bytes.isEmpty: bytes[position] = UInt8(truncatingIfNeeded: next())
                default: bytes = Array(bytes.prefix(position))
                }
            }
            let d = MT940StatementIngestor().read(bytes, path: "f\(round)")
            #expect(d.transactions.allSatisfy { ($0.statementIndex ?? -1) < d.statements.count })
            _ = MT940StatementIngestor.looksLike(bytes)
        }
    }
}
