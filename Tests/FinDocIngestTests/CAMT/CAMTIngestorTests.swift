import FinDocCore
import Testing

@testable import FinDocIngest

/// The hand-written fixtures: every expected value below is read off the fixture text (see the XML files), not
/// copied from the ingestor's output.
@Suite("camt ingestor")
struct CAMTIngestorTests {
    static let folder = TestSupport.repositoryRoot + "/Tests/FinDocIngestTests/Fixtures/camt/handmade/"

    static func read(_ name: String) throws -> StatementDocument {
        let bytes = try #require(TestSupport.readFile(folder + name), "missing fixture \(name)")
        return CAMTStatementIngestor().read(bytes, path: name)
    }

    static func read(text: String, path: String = "inline.xml") -> StatementDocument {
        CAMTStatementIngestor().read(Array(text.utf8), path: path)
    }

    static func raw(_ transaction: Transaction, _ name: String) -> [String] {
        transaction.rawFields.filter { $0.name == name }.map(\.value)
    }

    @Test func namespacesOfEveryVersionAreRecognisedAndOthersRefused() {
        for message in ["052", "053", "054"] {
            for version in 1...13 {
                let ns = "urn:iso:std:iso:20022:tech:xsd:camt.\(message).001.\(version < 10 ? "0" : "")\(version)"
                let kind = CAMTMessageKind(namespace: ns)
                #expect(kind?.message.rawValue == message)
                #expect(kind?.version == version)
                #expect(kind?.namespace == ns)
            }
        }
        for bad in [
            "urn:iso:std:iso:20022:tech:xsd:camt.053.001.14", "urn:iso:std:iso:20022:tech:xsd:camt.053.001.00",
            "urn:iso:std:iso:20022:tech:xsd:camt.056.001.08", "urn:iso:std:iso:20022:tech:xsd:camt.053.002.02",
            "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03", "urn:iso:std:iso:20022:tech:xsd:camt.053.001.2",
        ] {
            #expect(CAMTMessageKind(namespace: bad) == nil, "\(bad)")
        }
    }

    @Test func reportWithPendingAndInfoEntriesInThePrefixedAndNewStatusForm() throws {
        let document = try Self.read("report052-pending.xml")
        #expect(!document.hasErrors, "\(document.diagnostics)")
        #expect(document.format == .camt)
        #expect(document.transactions.count == 3)
        let t = document.transactions
        #expect(t.map(\.status) == [.booked, .pending, .info])
        #expect(t.map(\.amount.minorUnits) == [-4250, -1999, 0])
        #expect(t.allSatisfy { $0.account == "0012345678" && $0.amount.currency.code == "EUR" })
        #expect(t.map(\.bookingDate.iso) == ["2024-03-05", "2024-03-05", "2024-03-06"])
        #expect(t[0].valueDate?.iso == "2024-03-05")
        #expect(t[1].valueDate == nil)
        #expect(t.map(\.bankId) == ["RPT-BOOK-001", "RPT-PDNG-002", nil])
        #expect(t[0].description == "CARD PAYMENT LINDEN BAKERY")
        #expect(Self.raw(t[0], "BkTxCd/Domn/Fmly/SubFmlyCd") == ["POSD"])
        // Ustrd lines are joined; the creditor (money out) is the payee; NOTPROVIDED is no reference.
        #expect(t[1].description == "HARBOUR BOOKS ORDER 7781")
        #expect(t[1].payee == "Harbour Books")
        #expect(t[1].reference == nil)
        #expect(Self.raw(t[1], "BkTxCd/Prtry/Cd") == ["CARD-AUTH"])
        #expect(Self.raw(t[1], "Sts/Cd") == ["PDNG"])
        #expect(t[1].location.xpath == "/Document/BkToCstmrAcctRpt/Rpt[1]/Ntry[2]")
        #expect(t[1].location.line == 38)
        // ITBD is neither opening nor closing: kept as a note; no balance check without both.
        #expect(document.statements.count == 1)
        #expect(document.statements[0].openingBalance == nil)
        #expect(document.statements[0].identifier == "RPT-0001")
        #expect(TestSupport.diagnostics(document, "camt.balanceKept").count == 1)
        #expect(TestSupport.diagnostics(document, "camt.balance").isEmpty)
    }

    @Test func notificationWithReferencesPartiesAndStructuredRemittance() throws {
        let document = try Self.read("notification054.xml")
        #expect(!document.hasErrors, "\(document.diagnostics)")
        let t = try #require(document.transactions.first)
        #expect(document.transactions.count == 1)
        #expect(t.account == "DE89370400440532013000")
        #expect(t.amount.minorUnits == 125_000)
        #expect(t.amount.currency.code == "EUR")
        #expect(t.bookingDate.iso == "2023-11-20")  // the date of BookgDt/DtTm as written
        #expect(t.valueDate?.iso == "2023-11-21")
        #expect(t.bankId == "NTF-REF-5521")
        #expect(t.payee == "Orchard Lane Supplies Ltd")  // money in: the debtor
        #expect(t.reference == "RF18539007547034")
        #expect(t.description == "SEPA CREDIT TRANSFER")
        #expect(Self.raw(t, "counterpartyIBAN") == ["FR7630006000011234567890189"])
        #expect(Self.raw(t, "TxDtls/Refs/EndToEndId") == ["INV-2023-0457"])
        #expect(Self.raw(t, "TxDtls/Refs/TxId") == ["TX-99812"])
        #expect(Self.raw(t, "TxDtls/Refs/MndtId") == ["MANDATE-12"])
        #expect(Self.raw(t, "RvslInd") == ["false"])
        #expect(Self.raw(t, "Amt@Ccy") == ["EUR"])
        #expect(document.statements.first?.identifier == "NTF-88-1")
    }

    @Test func batchEntryBecomesOneRowPerDetailLinkedToTheEntry() throws {
        let document = try Self.read("batch053.xml")
        #expect(!document.hasErrors, "\(document.diagnostics)")
        let t = document.transactions
        #expect(t.count == 6)  // 3 details + 1 plain entry in Stmt 1, 2 details in Stmt 2
        #expect(t.map(\.amount.minorUnits) == [-10_000, -15_000, -5_000, 2_500, -100, -200])
        #expect(t.map(\.bankId) == ["BATCH-0001#1", "BATCH-0001-B", "BATCH-0001#3", "REF-0002", "GB-BATCH-9#1", "GB-BATCH-9#2"])
        #expect(t.map(\.payee) == ["Alder Energy", "Birch Water", "Cedar Telecom", nil, "Rowan Parking", "Rowan Parking"])
        #expect(t[0].reference == "E2E-ALDER-01")
        #expect(t[2].reference == "RF712348231")
        #expect(t[4].reference == "GB-BATCH-9#1")
        #expect(t[0].description == "Invoice A-17")
        #expect(Self.raw(t[1], "batchEntry") == ["BATCH-0001"])
        #expect(Self.raw(t[1], "batchDetail") == ["2 of 3"])
        #expect(Self.raw(t[0], "counterpartyIBAN") == ["NL02ABNA0123456789"])
        #expect(Self.raw(t[0], "NtryDtls/Btch/NbOfTxs") == ["3"])
        #expect(t[1].location.xpath == "/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/NtryDtls/TxDtls[2]")
        #expect(t[1].location.line == 59)
        #expect(t[5].location.xpath == "/Document/BkToCstmrStmt/Stmt[2]/Ntry[1]/NtryDtls/TxDtls[2]")
        #expect(t.map(\.statementIndex) == [0, 0, 0, 0, 1, 1])
        #expect(t.map(\.account) == Array(repeating: "NL91ABNA0417164300", count: 4) + ["GB29NWBK60161331926819", "GB29NWBK60161331926819"])
        // Statement 1 balances: 1000.00 − 300.00 + 25.00 = 725.00. Statement 2: 10.00 − 3.00 ≠ 5.00.
        let s = document.statements
        #expect(s.count == 2)
        #expect(s[0].openingBalance?.minorUnits == 100_000)
        #expect(s[0].closingBalance?.minorUnits == 72_500)
        #expect(s[0].periodStart?.iso == "2024-01-31")
        #expect(s[0].periodEnd?.iso == "2024-01-31")
        #expect(s[1].currency?.code == "GBP")
        let balance = TestSupport.diagnostics(document, "camt.balance")
        #expect(balance.count == 1)
        #expect(balance.first?.location.xpath == "/Document/BkToCstmrStmt/Stmt[2]")
        #expect(balance.first?.message.contains("S-JAN-2") == true)
        #expect(TestSupport.diagnostics(document, "camt.balanceKept").count == 1)  // CLAV
    }

    @Test func batchProblemsKeepTheEntryAmountWarnAndNeverDropData() throws {
        let document = try Self.read("batch-problems.xml")
        let t = document.transactions
        #expect(t.count == 2)
        #expect(t.map(\.amount.minorUnits) == [-9_000, -6_000])
        #expect(t.map(\.bankId) == ["MISSING-AMT", "BAD-SUM"])
        let warnings = TestSupport.diagnostics(document, "camt.batch")
        #expect(warnings.count == 2)
        #expect(warnings[0].message.contains("TxDtls[2] has no amount"))
        #expect(warnings[0].location.line == 16)
        #expect(warnings[1].message.contains("50.00"))
        // Every detail is still there, by index.
        #expect(Self.raw(t[0], "TxDtls[2]/RmtInf/Ustrd") == ["second has no amount"])
        #expect(Self.raw(t[0], "TxDtls[3]/AmtDtls/TxAmt/Amt") == ["20.00"])
        #expect(t[0].description == "first; second has no amount; third")
        // The entry without Amt is an error located at it; the statement's balance check is then skipped.
        let missing = TestSupport.diagnostics(document, "camt.amount")
        #expect(missing.count == 1)
        #expect(missing.first?.location.xpath == "/Document/BkToCstmrStmt/Stmt[1]/Ntry[3]")
        #expect(missing.first?.severity == .error)
        #expect(document.rejectedRecords == 1)
        #expect(TestSupport.diagnostics(document, "camt.balance").isEmpty)
    }

    @Test func truncatedFileKeepsCompleteEntriesAndGivesALocatedError() throws {
        let bytes = try #require(TestSupport.readFile(Self.folder + "batch053.xml"))
        // Cut inside the second entry of the first statement.
        let text = String(decoding: bytes, as: UTF8.self)
        let cut = try #require(text.range(of: "<AddtlNtryInf>INTEREST"))
        let truncated = Array(text[..<cut.lowerBound].utf8)
        let document = CAMTStatementIngestor().read(truncated, path: "cut.xml")
        let error = try #require(TestSupport.diagnostics(document, "camt.xml").first)
        #expect(error.severity == .error)
        #expect(error.location.line != nil)
        #expect(error.location.file == "cut.xml")
        #expect(document.transactions.count == 3)  // the complete batch entry
        #expect(document.rejectedRecords == 1)
    }

    @Test func unknownVersionAndOtherMessagesAreLocatedErrors() {
        for (namespace, root) in [
            ("urn:iso:std:iso:20022:tech:xsd:camt.053.001.14", "BkToCstmrStmt"),
            ("urn:iso:std:iso:20022:tech:xsd:camt.056.001.08", "FIToFIPmtCxlReq"),
        ] {
            let document = Self.read(text: "<?xml version=\"1.0\"?>\n<Document xmlns=\"\(namespace)\">\n<\(root)/></Document>")
            let error = TestSupport.diagnostics(document, "camt.namespace").first
            #expect(error?.severity == .error)
            #expect(error?.message.contains(namespace) == true)
            #expect(error?.location.line == 2)
            #expect(document.unreadable)
        }
        let other = Self.read(text: "<Document xmlns=\"urn:example:not-camt\"><Stmt/></Document>")
        #expect(TestSupport.diagnostics(other, "camt.namespace").first?.severity == .error)
        #expect(other.unreadable)
        let mismatch = Self.read(
            text: "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrAcctRpt/></Document>")
        #expect(TestSupport.diagnostics(mismatch, "camt.message").count == 1)
    }

    @Test func billionLaughsIsNeverExpanded() {
        var text = "<?xml version=\"1.0\"?>\n<!DOCTYPE Document [\n<!ENTITY lol \"lol\">\n"
        text += "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
        for level in 2...9 {
            text += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">\n"
        }
        text += "]>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt><Stmt>"
        text += "<Acct><Id><IBAN>&lol9;</IBAN></Id></Acct><Ntry><Amt Ccy=\"EUR\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>"
        text += "<Sts>BOOK</Sts><BookgDt><Dt>2024-01-01</Dt></BookgDt><AddtlNtryInf>&lol9;</AddtlNtryInf></Ntry>"
        text += "</Stmt></BkToCstmrStmt></Document>"
        let document = Self.read(text: text)
        // Either libxml2 refuses it (a located error) or the reference stays unexpanded: never 10^9 "lol"s.
        for transaction in document.transactions {
            #expect(transaction.description.utf8.count < 1000)
            #expect(transaction.account.utf8.count < 1000)
        }
        #expect(
            document.hasErrors || !TestSupport.diagnostics(document, "camt.entity").isEmpty,
            "\(document.diagnostics)")
    }

    @Test func externalEntitiesAreNeverFetched() throws {
        let secret = "/tmp/findoc-camt-xxe-\(UInt32.random(in: 0...UInt32.max)).txt"
        let marker = "SECRET-MARKER-4711"
        let file = try #require(fopen(secret, "w"))
        fputs(marker, file)
        fclose(file)
        defer { remove(secret) }
        let text = """
            <?xml version="1.0"?>
            <!DOCTYPE Document [<!ENTITY xxe SYSTEM "file://\(secret)">]>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt>
            <Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id></Acct>
            <Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
            <BookgDt><Dt>2024-01-01</Dt></BookgDt><AddtlNtryInf>x&xxe;y</AddtlNtryInf></Ntry>
            </Stmt></BkToCstmrStmt></Document>
            """
        let document = Self.read(text: text)
        let everything =
            document.transactions.flatMap { [$0.description] + $0.rawFields.map(\.value) }
            + document.diagnostics.map(\.message)
        #expect(!everything.contains { $0.contains(marker) })
    }

    /// A generated statement long enough to pass line 65,535: each transaction's line is its `<Ntry>`'s line,
    /// counted off the text.
    @Test func linesPast65535AreExact() throws {
        var text = "<?xml version=\"1.0\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">\n"
        text += "<BkToCstmrStmt>\n<Stmt>\n<Acct>\n<Id>\n<IBAN>NL91ABNA0417164300</IBAN>\n</Id>\n</Acct>\n"
        for i in 0..<8_000 {
            text += "<Ntry>\n<Amt Ccy=\"EUR\">\(i).00</Amt>\n<CdtDbtInd>CRDT</CdtDbtInd>\n<Sts>BOOK</Sts>\n"
            text += "<BookgDt>\n<Dt>2024-01-01</Dt>\n</BookgDt>\n<AddtlNtryInf>entry \(i)</AddtlNtryInf>\n</Ntry>\n"
        }
        text += "</Stmt>\n</BkToCstmrStmt>\n</Document>\n"
        let expected = TestSupport.lines(of: "<Ntry>", in: text)
        let document = Self.read(text: text)
        #expect(document.transactions.count == 8_000)
        #expect(try #require(expected.last ?? nil) > 65_535)
        #expect(document.transactions.map(\.location.line) == expected)
    }

    /// Malformed XML in the entry after three complete ones: the three are kept (libxml2's reader, which parses
    /// ahead of what it hands over, used to lose the last of them), and the error names the broken entry.
    @Test func anErrorKeepsEveryEntryCompletedBeforeIt() throws {
        var text = "<?xml version=\"1.0\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">"
        text += "<BkToCstmrStmt><Stmt><Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id></Acct>\n"
        for i in 1...3 {
            text += "<Ntry><Amt Ccy=\"EUR\">\(i).00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
            text += "<BookgDt><Dt>2024-01-0\(i)</Dt></BookgDt></Ntry>\n"
        }
        text += "<Ntry></Wrong>\n</Stmt></BkToCstmrStmt></Document>\n"
        let document = Self.read(text: text)
        #expect(document.transactions.map(\.amount.minorUnits) == [100, 200, 300])
        let error = try #require(TestSupport.diagnostics(document, "camt.xml").first)
        #expect(error.location.line == 6)
        #expect(error.location.xpath == "/Document/BkToCstmrStmt/Stmt[1]/Ntry[4]")
    }

    @Test func garbageNeverTraps() {
        var generator = TestSupport.Xorshift()
        let base = TestSupport.readFile(Self.folder + "batch053.xml") ?? []
        #expect(!base.isEmpty)
        for _ in 0..<200 {
            var bytes = base
            for _ in 0..<8 where !bytes.isEmpty {
                let at = Int(generator.next() % UInt64(bytes.count))
                bytes[at] = UInt8(truncatingIfNeeded: generator.next())
            }
            let cut = bytes.isEmpty ? 0 : Int(generator.next() % UInt64(bytes.count + 1))
            _ = CAMTStatementIngestor().read(Array(bytes[..<cut]), path: "fuzz.xml")
            _ = CAMTStatementIngestor().read(bytes, path: "fuzz.xml")
        }
        #expect(CAMTStatementIngestor().read([], path: "empty.xml").unreadable)
    }

    /// A camt file saved as UTF-16 (either byte order, with its byte-order mark) is sniffed as camt, not CSV, and
    /// reads exactly as its UTF-8 original; a UTF-16 CSV export is still CSV.
    @Test func utf16FilesAreSniffedAndReadLikeUTF8() throws {
        let bytes = try #require(TestSupport.readFile(Self.folder + "batch053.xml"))
        let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(
            of: "encoding=\"UTF-8\"", with: "encoding=\"UTF-16\"")
        let little = Self.utf16(text, bigEndian: false)
        let big = Self.utf16(text, bigEndian: true)
        let original = CAMTStatementIngestor().read(bytes, path: "s.xml")
        #expect(original.transactions.count == 6)
        for encoded in [little, big] {
            #expect(FormatSniffer.sniff(encoded) == .format(.camt))
            let document = CAMTStatementIngestor().read(encoded, path: "s.xml")
            #expect(document.transactions == original.transactions)
            #expect(document.statements == original.statements)
        }
        #expect(FormatSniffer.sniff(Self.utf16("Date,Amount\n2024-01-01,1.00\n", bigEndian: false)) == .format(.csv))
    }

    /// `text` as UTF-16 with its byte-order mark.
    static func utf16(_ text: String, bigEndian: Bool) -> [UInt8] {
        var out: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
        for unit in text.utf16 {
            let high = UInt8(unit >> 8), low = UInt8(unit & 0xFF)
            out += bigEndian ? [high, low] : [low, high]
        }
        return out
    }

    /// A streaming consumer that answers false stops the read: no further transaction is handed over, and a
    /// consumer that always answers true gets what `read` gives.
    @Test func streamStopsWhenTheConsumerWantsNoMore() throws {
        let path = Self.folder + "report052-pending.xml"
        var all: [Transaction] = []
        _ = CAMTStatementIngestor().stream(fileAt: path) { all.append($0); return true }
        #expect(all == CAMTStatementIngestor().read(fileAt: path).transactions)
        #expect(all.count >= 2)
        var calls = 0
        _ = CAMTStatementIngestor().stream(fileAt: path) { _ in calls += 1; return false }
        #expect(calls == 1)
    }

    @Test func readingFromAFileGivesTheSameResultAsFromMemory() throws {
        let path = Self.folder + "batch053.xml"
        let fromFile = CAMTStatementIngestor().read(fileAt: path)
        let fromMemory = CAMTStatementIngestor().read(try #require(TestSupport.readFile(path)), path: path)
        #expect(fromFile.transactions == fromMemory.transactions)
        #expect(fromFile.statements == fromMemory.statements)
        #expect(CAMTStatementIngestor().read(fileAt: Self.folder + "no-such-file.xml").unreadable)
    }

    @Test func accountOverrideAndSniffing() throws {
        let bytes = try #require(TestSupport.readFile(Self.folder + "notification054.xml"))
        #expect(CAMTStatementIngestor(account: "main").read(bytes, path: "n.xml").transactions.first?.account == "main")
        #expect(FormatSniffer.sniff(bytes) == .format(.camt))
        #expect(CAMTStatementIngestor.looksLike(bytes))
        #expect(!CAMTStatementIngestor.looksLike(Array("<OFX></OFX>".utf8)))
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
