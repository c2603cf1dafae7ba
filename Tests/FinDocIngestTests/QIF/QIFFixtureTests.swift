import FinDocCore
import Testing

@testable import FinDocIngest

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The quiffen fixtures (MIT): the copied ones always, the shared set when present; counts and totals are checked
/// against `QIFTestSupport.truth`, computed without the ingestor.
@Suite struct QIFFixtureTests {
    typealias S = QIFTestSupport

    static let copied = ["test_oth_a.qif", "test_split.qif", "test_category_override.qif", "test_unknown_account_type.qif"]
    static let sharedFiles: [String] = (TestSupport.listDirectory(S.shared) ?? []).filter { $0.hasSuffix(".qif") }

    /// Every file either ingests with the independent count and total, or fails with a located error.
    @discardableResult
    static func check(_ path: String) -> Int {
        guard let bytes = TestSupport.readFile(path) else {
            Issue.record("cannot read \(path)")
            return 0
        }
        let doc = QIFStatementIngestor(defaultCurrency: CurrencyCode("USD")).read(bytes, path: path)
        let truth = S.truth(bytes)
        if doc.unreadable {
            #expect(doc.hasErrors, "\(path)")
            return 0
        }
        let cash = doc.transactions.filter { truth.starts.contains($0.location.line ?? -1) }
        #expect(Set(cash.compactMap(\.location.line)) == truth.starts, "\(path)")
        #expect(cash.reduce(Int64(0)) { $0 + $1.amount.minorUnits } == truth.cents, "\(path)")
        #expect(doc.rejectedRecords == 0, "\(path): \(doc.diagnostics)")
        for diagnostic in doc.diagnostics where diagnostic.severity == .error {
            #expect(diagnostic.location.line != nil, "\(diagnostic)")
        }
        return truth.starts.count
    }

    @Test(arguments: copied) func copiedFixture(name: String) {
        let records = Self.check(S.fixtures + "/" + name)
        // The independent count is not vacuous: every copied file but the portfolio one has bank-side records.
        #expect(records > 0 || name == "test_unknown_account_type.qif")
    }

    @Test(.enabled(if: !sharedFiles.isEmpty), arguments: sharedFiles)
    func sharedFixture(name: String) {
        Self.check(S.shared + "/" + name)
    }

    @Test func othAccountDetails() throws {
        let bytes = try #require(TestSupport.readFile(S.fixtures + "/test_oth_a.qif"))
        #expect(QIFStatementIngestor.looksLike(bytes))
        let doc = QIFStatementIngestor().read(bytes, path: "test_oth_a.qif")
        // Six Oth A records; the Invst Buy has no T amount and is skipped with a note.
        #expect(doc.transactions.count == 6)
        #expect(doc.transactions.first?.bookingDate.iso == "2020-02-10")
        let phone = doc.transactions.first { $0.payee == "T-Mobile" }
        #expect(phone?.rawFields.map(\.name) == ["D", "T", "P", "L", "S1", "E1", "$1", "S2", "E2", "$2"])
        #expect(S.diagnostics(doc, "qif.section-skipped").count == 5)
        #expect(S.diagnostics(doc, "qif.investment-skipped").count == 1)
        #expect(S.diagnostics(doc, "qif.split-sum").isEmpty)
        #expect(S.diagnostics(doc, "qif.currency").count == 1)
    }

    @Test func splitFixture() throws {
        let bytes = try #require(TestSupport.readFile(S.fixtures + "/test_split.qif"))
        let doc = QIFStatementIngestor().read(bytes, path: "test_split.qif")
        #expect(doc.transactions.first?.bookingDate.iso == "2000-01-01")
        #expect(doc.transactions.first?.sourceCategory == "--Split--")
        #expect(S.minor(doc) == [-1000])
    }

    @Test func dayFirstFixture() throws {
        let bytes = try #require(TestSupport.readFile(S.fixtures + "/test_category_override.qif"))
        let doc = QIFStatementIngestor().read(bytes, path: "c.qif")
        #expect(doc.transactions.map(\.bookingDate.iso) == ["2017-12-22", "2018-01-01", "2018-01-02", "2018-01-02"])
        #expect(S.diagnostics(doc, "qif.date-order").isEmpty)
    }

    @Test func portfolioAccountFixture() throws {
        let bytes = try #require(TestSupport.readFile(S.fixtures + "/test_unknown_account_type.qif"))
        let doc = QIFStatementIngestor().read(bytes, path: "u.qif")
        #expect(!doc.unreadable && doc.transactions.isEmpty && doc.rejectedRecords == 0)
        #expect(S.diagnostics(doc, "qif.investment-skipped").count == 1)
    }
}
