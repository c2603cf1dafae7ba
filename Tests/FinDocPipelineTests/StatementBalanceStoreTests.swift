import FinDocCore
import FinDocStore
import Foundation
import Testing

@testable import FinDocPipeline

/// Statement balances through the whole batch: stored in `statement_balances` with their lines and XPaths, listed by
/// `Store.balances`, and not stored twice when a file comes again.
@Suite struct StatementBalanceStoreTests {
    static let fixtures = repositoryRoot + "/Tests/FinDocIngestTests/Fixtures/"

    func copy(_ name: String, to dir: TemporaryDirectory) throws -> String {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + name))
        return try dir.write((name as NSString).lastPathComponent, [UInt8](bytes))
    }

    @Test func balancesOfEveryFormatAreStoredAndListed() throws {
        let dir = try TemporaryDirectory()
        let camt = try copy("camt/genkgo/camt053.v2.all-balance-types.xml", to: dir)
        let mt940 = try copy("mt940/mbank_mt940.sta", to: dir)
        let ofx = try copy("ofx/bank_medium.ofx", to: dir)
        let qif = try dir.write(
            "checking.qif", "!Account\nNChecking\nTBank\n/12/31'2023\n$1,234.56\n^\n!Type:Bank\nD12/30'2023\nT-20.00\n^\n")
        let store = try Store.open(path: dir.file("s.sqlite"))
        let report = BatchIngester(options: IngestOptions()).run(paths: [camt, mt940, ofx, qif], store: store)
        #expect(report.files.allSatisfy { !$0.isFailure }, "\(report.files.map(\.diagnostics))")

        let sink = CollectingSink()
        #expect(try store.balances(into: sink) == 10 + 3 + 2 + 1)
        #expect(sink.columns == Store.balanceColumns)
        func rows(_ path: String) -> [[String]] {
            sink.rows.filter { $0[3] == .text(path) }.map { row in
                // kind, code, balance_date, amount, amount_minor, source_line, source_xpath
                [7, 8, 9, 10, 11, 14, 15].map { index -> String in
                    switch row[index] {
                    case .text(let text): text
                    case .integer(let value): String(value)
                    default: "-"
                    }
                }
            }
        }
        // camt: the ten <Bal> of the file, by hand from its text (codes, Amt, Dt and the Bal's line).
        let camtRows = rows(camt)
        #expect(camtRows.map { $0[1] } == ["OPBD", "PRCD", "ITBD", "XPCD", "OPAV", "CLBD", "CLAV", "FWAV", "INFO", "ITAV"])
        #expect(camtRows.first { $0[1] == "FWAV" } == [
            "forward_available", "FWAV", "2015-01-26", "6.06", "606", "92", "/Document/BkToCstmrStmt/Stmt[1]/Bal[6]",
        ])
        // MT940 (mbank_mt940.sta, lines 5, 24, 25): :60F:C170119PLN0,40 :62F:C170119PLN0,43 :64:C170119PLN0,43.
        #expect(rows(mt940) == [
            ["opening", "60F", "2017-01-19", "0.40", "40", "5", "-"],
            ["closing", "62F", "2017-01-19", "0.43", "43", "24", "-"],
            ["available", "64", "2017-01-19", "0.43", "43", "25", "-"],
        ])
        // OFX (bank_medium.ofx line 18): LEDGERBAL 382.34 and AVAILBAL 682.34, both as of 2009-05-23.
        #expect(rows(ofx) == [
            ["closing", "LEDGERBAL", "2009-05-23", "382.34", "38234", "18", "-"],
            ["available", "AVAILBAL", "2009-05-23", "682.34", "68234", "18", "-"],
        ])
        #expect(rows(qif) == [["closing", "$", "2023-12-31", "1234.56", "123456", "5", "-"]])

        // The balance list filters by account ending and by kind.
        let available = CollectingSink()
        #expect(try store.balances(kind: .available, into: available) == 3)
        let checking = CollectingSink()
        try store.balances(account: "Checking", into: checking)
        #expect(checking.rows.count == 1)

        // The same files again add nothing.
        let again = BatchIngester(options: IngestOptions()).run(paths: [camt, mt940, ofx, qif], store: store)
        #expect(again.stored == 0)
        #expect(try store.integer("SELECT COUNT(*) FROM statement_balances") == 16)
    }

    @Test func strictRejectsAFileWithARoundedOFXAmount() throws {
        // fidelity-savings.ofx has TRNAMT values with four decimals in USD: rounded with a warning by default, the
        // whole file refused under --strict.
        let dir = try TemporaryDirectory()
        let ofx = try copy("ofx/fidelity-savings.ofx", to: dir)
        let store = try Store.open(path: dir.file("s.sqlite"))
        let strict = BatchIngester(options: IngestOptions(strict: true)).run(paths: [ofx], store: store)
        #expect(strict.files.first?.isFailure == true)
        #expect(try store.integer("SELECT COUNT(*) FROM transactions") == 0)
        let lenient = BatchIngester(options: IngestOptions()).run(paths: [ofx], store: store)
        #expect(lenient.files.first?.isFailure == false)
        #expect(
            try store.texts("SELECT amount_minor, json_extract(raw_fields, '$.TRNAMT') FROM transactions WHERE amount_minor = 11583")
                == [["11583", "+00000000000115.8331"]])
        #expect(try store.integer("SELECT COUNT(*) FROM diagnostics WHERE code = 'ofx.amount'") == 3)
    }

    @Test func aBalanceOnlyDownloadStoresItsStatementsAndBalances() throws {
        // multiple_accounts2.ofx: two accounts with a LEDGERBAL each and no transactions (lines 31–37, 51–57:
        // BANKID 123, ACCTID 9100 BALAMT 111 and ACCTID 9200 BALAMT 222, both DTASOF 20120603).
        let dir = try TemporaryDirectory()
        let ofx = try copy("ofx/multiple_accounts2.ofx", to: dir)
        let store = try Store.open(path: dir.file("s.sqlite"))
        let report = BatchIngester(options: IngestOptions()).run(paths: [ofx], store: store)
        #expect(report.files.first?.isFailure == false)
        #expect(try store.integer("SELECT COUNT(*) FROM transactions") == 0)
        #expect(
            try store.texts(
                """
                SELECT a.identifier, s.closing_balance_minor, b.code, b.amount_minor, b.balance_date, b.source_line
                FROM statement_balances b JOIN statements s ON s.id = b.statement_id
                JOIN accounts a ON a.id = s.account_id ORDER BY b.id
                """)
                == [
                    ["123 9100", "11100", "LEDGERBAL", "11100", "2012-06-03", "35"],
                    ["123 9200", "22200", "LEDGERBAL", "22200", "2012-06-03", "55"],
                ])
    }
}
