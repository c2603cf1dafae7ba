import FinDocCore
import Foundation
import Testing

@testable import FinDocIngest

/// Every balance a statement reports reaches `StatementInfo.balances`, checked against truths read without the
/// ingestors: genkgo/camt's expected parser output, and plain line scans of the MT940 and OFX files.
@Suite("statement balances")
struct StatementBalanceTests {
    // MARK: camt

    /// genkgo's balance type names, as our kinds (genkgo says "interim" for ITBD and has no kind for INFO/XPCD).
    static func kind(genkgo type: String) -> String {
        switch type {
        case "closing_available": "available"
        case "interim": "interim_booked"
        case "information", "expected_credit", "expected_debit": "other"
        default: type
        }
    }

    @Test(arguments: CAMTFixtureTests.genkgoFiles.filter { $0 != "camt053.v2.wrong.xml" })
    func camtBalancesMatchGenkgosExpectedOutput(_ name: String) throws {
        let bytes = try #require(TestSupport.readFile(CAMTFixtureTests.genkgo + name))
        let document = CAMTStatementIngestor().read(bytes, path: name)
        let jsonBytes = try #require(TestSupport.readFile(CAMTFixtureTests.genkgo + name.dropLast(4) + ".json"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(jsonBytes)) as? [String: Any])
        // genkgo's records are reachable from its entries (its top-level list holds back-references).
        var records: [[String: Any]] = []
        for case let entry as [String: Any] in (json["getEntries"] as? [Any]) ?? [] {
            if let record = entry["getRecord"] as? [String: Any],
                !records.contains(where: { $0["getId"] as? String == record["getId"] as? String })
            {
                records.append(record)
            }
        }
        for record in records {
            let id = try #require(record["getId"] as? String)
            let statement = try #require(document.statements.first { $0.identifier == id }, "\(name): \(id)")
            var expected: [String] = []
            for balance in (record["getBalances"] as? [[String: Any]]) ?? [] {
                let amount = try #require(balance["getAmount"] as? [String: Any])
                let currency = (amount["getCurrency"] as? [String: Any])?["getCode"] as? String ?? "?"
                let date = ((balance["getDate"] as? [String: Any])?["0"] as? String).map { String($0.prefix(10)) }
                let type = balance["getType"] as? String ?? "?"
                expected.append(
                    "\(Self.kind(genkgo: type)) \(amount["getAmount"] as? String ?? "?") \(currency) \(date ?? "-")")
            }
            let ours = statement.balances.map {
                "\($0.kind.rawValue) \($0.amount.minorUnits) \($0.amount.currency.code) \($0.date?.iso ?? "-")"
            }
            #expect(ours == expected, "\(name): \(id)")
            for balance in statement.balances {
                #expect(balance.location?.line != nil)
                #expect(balance.location?.xpath?.contains("/Bal[") == true)
            }
        }
    }

    @Test func camtAllBalanceTypesKeepTheirCodes() throws {
        let bytes = try #require(TestSupport.readFile(CAMTFixtureTests.genkgo + "camt053.v2.all-balance-types.xml"))
        let document = CAMTStatementIngestor().read(bytes, path: "all.xml")
        // The <Cd> values in file order, read off the file with grep: OPBD PRCD OPAV CLBD CLAV FWAV INFO ITAV ITBD XPCD.
        #expect(
            document.statements.first?.balances.map(\.code)
                == ["OPBD", "PRCD", "OPAV", "CLBD", "CLAV", "FWAV", "INFO", "ITAV", "ITBD", "XPCD"])
        #expect(document.statements.first?.balances.first?.location?.xpath == "/Document/BkToCstmrStmt/Stmt[1]/Bal[1]")
    }

    // MARK: MT940

    static let mt940Tags = ["60F", "60M", "62F", "62M", "64", "65"]

    /// The balance fields of an MT940 file by a plain line scan: `code signed-minor currency date` per field.
    static func scanMT940(_ bytes: [UInt8]) -> [String] {
        var out: [String] = []
        for raw in MT940Corpus.lines(bytes) {
            var line = Substring(raw.trimmingCharacters(in: .whitespaces))
            if line.hasPrefix("{4:") { line = line.dropFirst(3) }
            guard let tag = mt940Tags.first(where: { line.hasPrefix(":\($0):") }) else { continue }
            let content = Array(line.dropFirst(tag.count + 2))
            guard content.count > 10, let currency = CurrencyCode(String(content[7..<10])) else {
                out.append("\(tag) unreadable")
                continue
            }
            let yy = String(content[1..<3])
            let date = "20\(yy)-\(String(content[3..<5]))-\(String(content[5..<7]))"
            let amount = String(content[10...]).split(separator: ",", omittingEmptySubsequences: false)
            var fraction = amount.count > 1 ? String(amount[1]) : ""
            while fraction.count < currency.minorUnitDigits { fraction += "0" }
            let minor = Int64(String(amount[0]) + fraction) ?? -1
            out.append("\(tag) \(content[0] == "D" ? -minor : minor) \(currency.code) \(date)")
        }
        return out
    }

    static var mt940Files: [String] {
        MT940Corpus.statementFiles(MT940Corpus.fixtures) + MT940Corpus.statementFiles(MT940Corpus.shared)
    }

    @Test func mt940BalancesMatchAPlainScanOfEveryFile() throws {
        var withAvailable = 0
        var compared = 0
        for path in Self.mt940Files {
            let bytes = try #require(TestSupport.readFile(path))
            let document = MT940StatementIngestor().read(bytes, path: path)
            // Files where the ingestor reports a balance it could not read, a repeated one it ignores, or a
            // statement it could not keep are compared in the tests of those diagnostics instead.
            let skipped = ["mt940.balanceFormat", "mt940.duplicate", "mt940.currency", "mt940.account"]
            if document.unreadable || document.diagnostics.contains(where: { skipped.contains($0.code) }) { continue }
            let expected = Self.scanMT940(bytes)
            let ours = document.statements.flatMap(\.balances).map {
                "\($0.code) \($0.amount.minorUnits) \($0.amount.currency.code) \($0.date?.iso ?? "-")"
            }
            #expect(ours == expected, "\(path)")
            compared += 1
            if expected.contains(where: { $0.hasPrefix("64 ") || $0.hasPrefix("65 ") }) { withAvailable += 1 }
            for balance in document.statements.flatMap(\.balances) {
                #expect(balance.location?.line != nil)
                #expect(balance.kind == MT940Parser.balanceKind(MT940Tag(rawValue: balance.code) ?? .entry))
            }
        }
        #expect(compared >= 20, "only \(compared) MT940 files compared")
        if MT940Corpus.sharedPresent { #expect(withAvailable >= 3, "files with :64:/:65: compared: \(withAvailable)") }
    }

    @Test func mt940AvailableAndForwardBalancesAreKept() throws {
        // :64: and :65: lines of a statement (values from the MT940 standard's field layout).
        let text = """
            :20:STARTUMS
            :25:10020030/1234567
            :28C:1/1
            :60F:C240102EUR1000,00
            :61:2401030103D250,00NTRFNONREF
            :86:rent
            :62F:C240103EUR750,00
            :64:C240103EUR700,50
            :65:D240104EUR12,
            :65:C240105EUR800,00
            -
            """
        let document = MT940StatementIngestor().read(Array(text.utf8), path: "t.sta")
        let balances = try #require(document.statements.first?.balances)
        #expect(balances.map(\.kind) == [.opening, .closing, .available, .forwardAvailable, .forwardAvailable])
        #expect(balances.map(\.amount.minorUnits) == [100_000, 75_000, 70_050, -1200, 80_000])
        #expect(balances.map { $0.date?.iso ?? "" } == ["2024-01-02", "2024-01-03", "2024-01-03", "2024-01-04", "2024-01-05"])
        #expect(balances.map { $0.location?.line ?? 0 } == [4, 7, 8, 9, 10])
        #expect(!document.hasErrors)
    }

    // MARK: OFX

    /// `BALAMT` and `DTASOF` text inside each `<LEDGERBAL>`/`<AVAILBAL>` aggregate, by a plain string scan.
    static func scanOFX(_ text: String) -> [(code: String, amount: String, asOf: String)] {
        var out: [(String, String, String)] = []
        let upper = text.uppercased()
        for code in ["LEDGERBAL", "AVAILBAL"] {
            var search = upper.startIndex
            while let open = upper.range(of: "<\(code)>", range: search..<upper.endIndex) {
                let end = upper.range(of: "</\(code)>", range: open.upperBound..<upper.endIndex)?.lowerBound ?? upper.endIndex
                let body = String(text[open.upperBound..<end])
                out.append((code, Self.leaf("BALAMT", in: body), Self.leaf("DTASOF", in: body)))
                search = open.upperBound
            }
        }
        return out
    }

    static func leaf(_ name: String, in body: String) -> String {
        guard let start = body.uppercased().range(of: "<\(name)>") else { return "" }
        let rest = body[start.upperBound...]
        return String(rest.prefix { $0 != "<" && $0 != "\n" && $0 != "\r" }).trimmingCharacters(in: .whitespaces)
    }

    @Test func ofxBalancesMatchAPlainScanOfEveryFile() throws {
        let files = OFXTestSupport.allFiles(OFXTestSupport.fixtures) + OFXTestSupport.allFiles(OFXTestSupport.sharedData)
        var compared = 0
        for path in files {
            let bytes = try #require(TestSupport.readFile(path))
            let document = OFXStatementIngestor().read(bytes, path: path)
            let text = String(decoding: bytes, as: UTF8.self)
            let scanned = Self.scanOFX(text).filter { !$0.amount.isEmpty }
            let ours = document.statements.flatMap(\.balances).filter { $0.code != "INVBAL/AVAILCASH" }
            if document.unreadable || ours.count != scanned.count {
                // A balance whose amount is not a number is reported, not stored.
                #expect(
                    document.unreadable || document.diagnostics.contains { $0.code == "ofx.balance" },
                    "\(path): \(ours.count) balances stored, \(scanned.count) in the file")
                continue
            }
            for (code, amount, asOf) in scanned {
                let matches = ours.filter { $0.code == code }
                let expected = Money.parseMinorUnits(amount.replacingOccurrences(of: "+", with: ""), digits: 2)
                #expect(
                    matches.contains { $0.amount.minorUnits == expected }, "\(path): \(code) \(amount) not stored")
                if asOf.count >= 8 {
                    let day = "\(asOf.prefix(4))-\(asOf.dropFirst(4).prefix(2))-\(asOf.dropFirst(6).prefix(2))"
                    #expect(matches.contains { $0.date?.iso == day }, "\(path): \(code) date \(asOf)")
                }
            }
            compared += scanned.count
        }
        #expect(compared >= 10, "only \(compared) OFX balances compared")
    }

    // MARK: QIF

    @Test func qifAccountBlockBalanceBecomesTheClosingBalance() throws {
        // None of the shared QIF files carries an !Account balance (every "$" line there is a split amount), so
        // this is a hand-written file in Quicken's documented layout: N name, T type, / balance date, $ balance.
        let text = """
            !Account
            NChecking
            TBank
            /12/31'2023
            $-1,234.56
            ^
            !Type:Bank
            D12/30'2023
            T-20.00
            PShop
            ^
            """
        let document = QIFTestSupport.read(text, currency: "USD")
        #expect(!document.hasErrors, "\(document.diagnostics)")
        let statement = try #require(document.statements.first)
        #expect(statement.account == "Checking")
        #expect(statement.closingBalance == Money(minorUnits: -123_456, currency: try #require(CurrencyCode("USD"))))
        #expect(statement.periodEnd?.iso == "2023-12-31")
        let balance = try #require(statement.balances.first)
        #expect(balance.kind == .closing && balance.code == "$" && balance.location?.line == 5)
        #expect(document.transactions.first?.account == "Checking")
    }

    @Test func qifAccountWithoutBalanceGivesNoStatementAndABadBalanceIsLocated() throws {
        let text = """
            !Account
            NSavings
            TBank
            ^
            !Account
            NCard
            TCCard
            $lots
            ^
            !Type:CCard
            D01/02/2024
            T-5.00
            ^
            """
        let document = QIFTestSupport.read(text, currency: "USD")
        #expect(document.statements.isEmpty)
        let warning = try #require(QIFTestSupport.diagnostics(document, "qif.balance").first)
        #expect(warning.location.line == 8)
        #expect(warning.message.contains("Card"))
        #expect(document.transactions.count == 1)
    }

    @Test func qifSharedFixturesCarryNoAccountBalances() throws {
        // What occurs in the wild (as far as the shared copies go): no !Account block has "$" or "/".
        let names = TestSupport.listDirectory(QIFTestSupport.shared) ?? []
        for name in names where name.hasSuffix(".qif") {
            let bytes = try #require(TestSupport.readFile(QIFTestSupport.shared + "/" + name))
            let document = QIFStatementIngestor().read(bytes, path: name)
            #expect(document.statements.isEmpty, "\(name)")
        }
    }
}
