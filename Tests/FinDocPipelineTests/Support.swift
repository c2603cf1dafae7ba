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
