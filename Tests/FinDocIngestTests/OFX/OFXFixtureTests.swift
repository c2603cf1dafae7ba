import FinDocCore
import Testing

@testable import FinDocIngest

/// Helpers for the OFX tests.
enum OFXTestSupport {
    /// `Tests/FinDocIngestTests/Fixtures/ofx`.
    static let fixtures: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(2)
        return parts.joined(separator: "/") + "/Fixtures/ofx"
    }()
    /// `../shared/data/statements_ofx` beside the repository.
    static let sharedData = TestSupport.repositoryRoot + "/../shared/data/statements_ofx"

    static func read(_ text: String, account: String? = nil) -> StatementDocument {
        OFXStatementIngestor(account: account).read(Array(text.utf8), path: "t.ofx")
    }

    /// Independent truth: the number of `<STMTTRN>` tags (plain byte search, any case).
    static func countSTMTTRN(_ bytes: [UInt8]) -> Int {
        let needle = Array("<STMTTRN>".utf8)
        var count = 0
        var i = 0
        while i + needle.count <= bytes.count {
            var match = true
            for k in 0..<needle.count where (bytes[i + k] | (bytes[i + k] >= 0x41 && bytes[i + k] <= 0x5A ? 0x20 : 0)) != (needle[k] | (needle[k] >= 0x41 && needle[k] <= 0x5A ? 0x20 : 0)) {
                match = false
                break
            }
            if match { count += 1 }
            i += 1
        }
        return count
    }

    /// Independent truth: the sum in cents of every TRNAMT value that is a plain decimal.
    static func sumTRNAMT(_ bytes: [UInt8]) -> (cents: Int64, parsed: Int) {
        let needle = Array("<TRNAMT>".utf8)
        var total: Int64 = 0
        var parsed = 0
        var i = 0
        while i + needle.count <= bytes.count {
            if Array(bytes[i..<(i + needle.count)]) == needle {
                var j = i + needle.count
                var text: [UInt8] = []
                while j < bytes.count, bytes[j] != UInt8(ascii: "<"), bytes[j] != 0x0A, bytes[j] != 0x0D {
                    text.append(bytes[j])
                    j += 1
                }
                let s = String(decoding: text, as: UTF8.self).trimmingASCIIWhitespace()
                let negative = s.hasPrefix("-")
                let body = negative || s.hasPrefix("+") ? s.dropFirst() : s
                let pieces = body.split(separator: ".", omittingEmptySubsequences: false)
                if let whole = Int64(pieces.first ?? ""), pieces.count <= 2 {
                    var cents = whole * 100
                    if pieces.count == 2 {
                        // Two decimals, the third rounds half away from zero (as the ingestor documents).
                        let fraction = String(pieces[1].prefix(3)).padding(toLength: 3, withPad: "0", startingAt: 0)
                        let mills = Int64(fraction) ?? 0
                        cents += mills / 10 + (mills % 10 >= 5 ? 1 : 0)
                    }
                    total += negative ? -cents : cents
                    parsed += 1
                }
            }
            i += 1
        }
        return (total, parsed)
    }

    static func allFiles(_ directory: String) -> [String] {
        var out: [String] = []
        for name in TestSupport.listDirectory(directory) ?? [] {
            let full = directory + "/" + name
            if name.hasSuffix(".ofx") || name.hasSuffix(".qfx") {
                out.append(full)
            } else if TestSupport.listDirectory(full) != nil {
                out += allFiles(full)
            }
        }
        return out
    }

    /// Checks one file against the independent truth; returns a summary line.
    static func check(_ file: String) -> String {
        guard let bytes = TestSupport.readFile(file) else {
            Issue.record("cannot read \(file)")
            return ""
        }
        let document = OFXStatementIngestor().read(bytes, path: file)
        let stmttrn = document.transactions.filter { $0.rawFields.contains { $0.name == "TRNAMT" } }
        let investment = document.transactions.count - stmttrn.count
        // Every <STMTTRN> is either stored or rejected with an error (rejections may also be investment ones).
        let expected = countSTMTTRN(bytes)
        #expect(stmttrn.count <= expected, "\(file)")
        #expect(stmttrn.count + document.rejectedRecords >= expected, "\(file)")
        #expect(document.diagnostics.filter { $0.severity == .error }.count >= document.rejectedRecords, "\(file)")
        // Amount as written: the original amount when the TRNAMT was in a foreign CURRENCY.
        if document.rejectedRecords == 0 {
            let truth = sumTRNAMT(bytes)
            let ours = stmttrn.reduce(Int64(0)) { sum, t in
                let foreign = t.rawFields.contains { $0.name == "CURRENCY/CURSYM" }
                return sum + (foreign ? (t.originalAmount?.minorUnits ?? 0) : t.amount.minorUnits)
            }
            #expect(truth.parsed == expected, "\(file)")
            #expect(ours == truth.cents, "\(file)")
        }
        for diagnostic in document.diagnostics where diagnostic.severity == .error {
            #expect(diagnostic.location.line != nil, "\(file): \(diagnostic)")
        }
        for t in document.transactions {
            #expect(t.location.line != nil)
            #expect(t.statementIndex.map { $0 < document.statements.count } == true)
        }
        #expect(!document.unreadable, "\(file)")
        return "\(file.split(separator: "/").suffix(2).joined(separator: "/")): \(stmttrn.count)+\(investment) tx, "
            + "\(document.rejectedRecords) rejected, \(document.statements.count) statements, "
            + "\(document.diagnostics.filter { $0.severity == .error }.count) errors"
    }
}

@Suite("OFX fixtures")
struct OFXFixtureTests {
    @Test func everyCopiedFixtureIngestsOrFailsWithALocatedError() {
        let files = OFXTestSupport.allFiles(OFXTestSupport.fixtures)
        #expect(files.count >= 17)
        for file in files { print(OFXTestSupport.check(file)) }
    }

    @Test(.enabled(if: TestSupport.listDirectory(OFXTestSupport.sharedData) != nil))
    func everySharedFixtureIngestsOrFailsWithALocatedError() {
        for file in OFXTestSupport.allFiles(OFXTestSupport.sharedData) { print(OFXTestSupport.check(file)) }
    }

    @Test func bankMediumValues() throws {
        let bytes = try #require(TestSupport.readFile(OFXTestSupport.fixtures + "/bank_medium.ofx"))
        let document = OFXStatementIngestor().read(bytes, path: "bank_medium.ofx")
        #expect(document.transactions.count == 3)
        let first = try #require(document.transactions.first)
        #expect(first.account == "160000100 12300 000012345678")
        #expect(first.amount == Money(minorUnits: -660, currency: try #require(CurrencyCode("CAD"))))
        #expect(first.bookingDate == LocalDate(year: 2009, month: 4, day: 1))
        #expect(first.bankId == "0000123456782009040100001")
        #expect(first.payee == "MCDONALD'S #112")
        #expect(first.description == "POS MERCHANDISE;MCDONALD'S #112")
        #expect(first.location.line == 15)
        let statement = try #require(document.statements.first)
        #expect(statement.closingBalance?.minorUnits == 38234)
        #expect(statement.periodStart == LocalDate(year: 2009, month: 4, day: 1))
        #expect(statement.periodEnd == LocalDate(year: 2009, month: 5, day: 23))
        #expect(document.diagnostics.contains { $0.code == "ofx.availableBalance" })
    }

    @Test func failNiceFilesRejectWithLines() throws {
        let bytes = try #require(TestSupport.readFile(OFXTestSupport.fixtures + "/fail_nice/date_missing.ofx"))
        let document = OFXStatementIngestor().read(bytes, path: "d.ofx")
        #expect(document.rejectedRecords == 3)
        #expect(document.diagnostics.filter { $0.code == "ofx.date" }.map(\.location.line) == [33, 40, 48])
        let decimal = OFXStatementIngestor().read(
            try #require(TestSupport.readFile(OFXTestSupport.fixtures + "/fail_nice/decimal_error.ofx")), path: "e.ofx")
        #expect(decimal.rejectedRecords == 1)
        let balance = OFXStatementIngestor().read(
            try #require(TestSupport.readFile(OFXTestSupport.fixtures + "/fail_nice/empty_balance.ofx")), path: "b.ofx")
        #expect(balance.transactions.count == 1)
        #expect(balance.diagnostics.contains { $0.code == "ofx.balance" && $0.location.line != nil })
    }
}
