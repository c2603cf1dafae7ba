import ArgumentParser
import FinDocStore
import Foundation
import Testing

@testable import FinDocCommands

/// `findoc query balances`: help with examples, documented stable columns, usage errors, and a real run.
@Suite struct BalanceCommandTests {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func helpHasExamples() {
        let help = Findoc.helpMessage(for: QueryBalances.self)
        #expect(help.contains("Examples:"))
        #expect(help.contains("findoc query balances"))
    }

    @Test func schemaListsTheColumnsInOrder() throws {
        let data = try Data(contentsOf: root.appendingPathComponent("Schemas/export/balances.schema.json"))
        let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let properties = try #require(schema["properties"] as? [String: Any])
        #expect(Set(properties.keys) == Set(Store.balanceColumns))
        #expect(schema["x-column-order"] as? [String] == Store.balanceColumns)
        let markdown = try String(
            contentsOf: root.appendingPathComponent("Schemas/export/balances.md"), encoding: .utf8)
        for (index, column) in Store.balanceColumns.enumerated() {
            #expect(markdown.contains("| \(index + 1) | `\(column)` |"), "\(column) undocumented or out of order")
        }
    }

    @Test func anUnknownKindIsAUsageError() {
        do {
            var command = try Findoc.parseAsRoot(["query", "balances", "--kind", "ledger"])
            try command.run()
            Issue.record("--kind ledger was accepted")
        } catch {
            #expect(Findoc.exitCode(for: error).rawValue == 64, "\(error)")
        }
    }

    @Test func ingestThenListBalances() throws {
        let dir = NSTemporaryDirectory() + "findoc-bal-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/s.sqlite"
        let file = root.path + "/Tests/FinDocIngestTests/Fixtures/mt940/mbank_mt940.sta"
        var ingest = try Findoc.parseAsRoot(["ingest", "--db", db, file])
        try ingest.run()
        for format in ["table", "csv", "jsonl"] {
            var command = try Findoc.parseAsRoot(["query", "balances", "--db", db, "--format", format])
            try command.run()
        }
        var available = try Findoc.parseAsRoot(["query", "balances", "--db", db, "--kind", "available"])
        try available.run()
        let store = try Store.open(path: db, mustExist: true)
        let sink = Rows()
        // mbank_mt940.sta has :60F:, :62F: and :64: (lines 5, 24, 25).
        #expect(try store.balances(into: sink) == 3)
        #expect(try store.balances(kind: .available, into: Rows()) == 1)
    }
}

/// Counts rows.
private final class Rows: RowSink {
    func begin(columns: [String]) throws {}
    func row(_ cells: [Cell]) throws {}
    func end() throws {}
}
