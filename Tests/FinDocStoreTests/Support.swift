import FinDocCore
import FinDocStore
import Foundation

/// A fresh directory per test, removed when the value goes away.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "findoc-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }
}

/// Collects rows in memory.
final class CollectingSink: RowSink {
    var columns: [String] = []
    var rows: [[Cell]] = []
    func begin(columns: [String]) throws { self.columns = columns }
    func row(_ cells: [Cell]) throws { rows.append(cells) }
    func end() throws {}

    func column(_ name: String) -> [String] {
        guard let index = columns.firstIndex(of: name) else { return [] }
        return rows.map { $0[index].text }
    }
}

let gbp = CurrencyCode("GBP")!

func transaction(
    _ date: String, _ pence: Int64, _ text: String, account: String = "acct-1", bankID: String? = nil, line: Int = 2,
    position: Int = 0
) -> Transaction {
    Transaction(
        account: account, bookingDate: LocalDate(iso: date)!, amount: Money(minorUnits: pence, currency: gbp),
        description: text, bankId: bankID, location: SourceLocation(file: "t.csv", line: line), position: position,
        rawFields: [RawField(name: "Description", value: text)])
}

/// An import of `transactions` with simple keys computed the way DedupKey does for content rows.
func makeImport(_ sha: String, _ transactions: [Transaction], keys: [String]? = nil) -> DocumentImport {
    var occurrences: [String: Int] = [:]
    let computed = transactions.map { t -> String in
        if let id = t.bankId { return "b:" + id }
        let base = "c:\(t.bookingDate.iso)|\(t.amount.minorUnits)|GBP|\(t.description.lowercased())"
        occurrences[t.account + base, default: 0] += 1
        return base + "|\(occurrences[t.account + base] ?? 1)"
    }
    return DocumentImport(
        sha256: sha, path: "/in/\(sha).csv", sizeBytes: 10, format: .csv,
        document: StatementDocument(format: .csv, transactions: transactions), dedupKeys: keys ?? computed)
}
