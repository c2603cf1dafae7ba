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

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, Array(text.utf8))
    }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = file(name)
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}

/// Collects rows in memory.
final class CollectingSink: RowSink {
    var columns: [String] = []
    var rows: [[Cell]] = []
    func begin(columns: [String]) throws { self.columns = columns }
    func row(_ cells: [Cell]) throws { rows.append(cells) }
    func end() throws {}
}

extension Store {
    /// The single integer a query returns.
    func integer(_ sql: String) throws -> Int64? {
        let sink = CollectingSink()
        try readOnlyQuery(sql, into: sink)
        if case let .integer(value) = sink.rows.first?.first { return value }
        return nil
    }

    /// Every row of a query as text.
    func texts(_ sql: String) throws -> [[String]] {
        let sink = CollectingSink()
        try readOnlyQuery(sql, into: sink)
        return sink.rows.map { $0.map(\.text) }
    }
}

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path
/// `../shared/data` beside the repository (present on developer machines and in CI).
let sharedData = (repositoryRoot as NSString).deletingLastPathComponent + "/shared/data"

/// Small CSV files that each break one rule, by path under a test folder: shared by the bad-input tests and the
/// streamed-versus-whole comparison, so both see the same faults.
enum BadCSV {
    static let files: [(path: String, text: String)] = [
        ("bad-amount.csv", "Date,Description,Amount\n03/01/2024,Tea,-2.10\n04/01/2024,Cake,abc\n05/01/2024,Bun,-1.20\n"),
        ("bad-date.csv", "Date,Description,Amount\nyesterday,Tea,-2.10\nlast week,Cake,-3.00\n"),
        ("truncated.csv", "Date,Description,Amount\n06/01/2024,Scone,-2.40\n07/01/2024,\"Cake and"),
        ("sub/broken-quote.csv", "Date,Description,Amount\n08/01/2024,\"Tea,-2.10\n09/01/2024,Cake,-3.00\n10/01/2024,Bun,-1.20\n"),
    ]

    /// Writes every file under `folder` in `dir`.
    static func write(into dir: TemporaryDirectory, folder: String) throws {
        for file in files { try dir.write(folder + "/" + file.path, file.text) }
    }
}
