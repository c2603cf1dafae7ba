import FinDocCore
import FinDocStore
import Foundation
import Testing

@Suite struct QueryTests {
    func seeded() throws -> (TemporaryDirectory, Store) {
        let dir = try TemporaryDirectory()
        let store = try Store.open(path: dir.file("s.sqlite"))
        _ = try store.importDocument(
            makeImport(
                "a",
                [
                    transaction("2024-01-05", -1250, "TESCO STORES 3953", account: "************5770"),
                    transaction("2024-01-20", 50000, "Salary", account: "GB29NWBK60161331926819"),
                    transaction("2024-02-02", -99, "100%_discount shop", account: "************5770"),
                ]))
        return (dir, store)
    }

    @Test func filtersCombine() throws {
        let (_, store) = try seeded()
        func descriptions(_ filter: TransactionFilter) throws -> [String] {
            let sink = CollectingSink()
            try store.transactions(matching: filter, into: sink)
            return sink.column("description")
        }
        #expect(try descriptions(TransactionFilter(text: "tesco")) == ["TESCO STORES 3953"])
        #expect(try descriptions(TransactionFilter(account: "5770")).count == 2)
        #expect(try descriptions(TransactionFilter(from: LocalDate(iso: "2024-01-10"), to: LocalDate(iso: "2024-01-31"))) == ["Salary"])
        #expect(try descriptions(TransactionFilter(minAmount: "0")) == ["Salary"])
        #expect(try descriptions(TransactionFilter(maxAmount: "-12.50")) == ["TESCO STORES 3953"])
        #expect(try descriptions(TransactionFilter(maxAmount: "-12.49")) == ["TESCO STORES 3953"])
        #expect(try descriptions(TransactionFilter(maxAmount: "-12.51")) == [])
        #expect(try descriptions(TransactionFilter(text: "%_")) == ["100%_discount shop"], "LIKE wildcards are literal")
        #expect(try descriptions(TransactionFilter(limit: 1)) == ["TESCO STORES 3953"])
    }

    @Test func sqlIsReadOnly() throws {
        let (_, store) = try seeded()
        for statement in [
            "DELETE FROM transactions", "UPDATE transactions SET amount_minor = 0", "DROP TABLE documents",
            "INSERT INTO accounts(identifier, created_at) VALUES ('x', 'y')", "CREATE TABLE x(a)",
        ] {
            #expect(throws: StoreError.writeRefused(sql: statement)) { try store.readOnlyQuery(statement, into: CollectingSink()) }
        }
        #expect(try store.statistics().transactions == 3)
        let sink = CollectingSink()
        #expect(try store.readOnlyQuery("SELECT COUNT(*) AS n, SUM(amount_minor) FROM transactions", into: sink) == 1)
        #expect(sink.columns == ["n", "SUM(amount_minor)"])
        #expect(sink.rows == [[.integer(3), .integer(48651)]])
    }

    @Test func statisticsSumExactly() throws {
        let (_, store) = try seeded()
        let stats = try store.statistics()
        #expect(stats.totalsByCurrency == ["GBP": "486.51"])
        #expect(stats.accounts == 2)
        #expect(stats.firstBookingDate == "2024-01-05" && stats.lastBookingDate == "2024-02-02")
    }
}
