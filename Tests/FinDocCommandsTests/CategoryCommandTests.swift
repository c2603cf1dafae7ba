import ArgumentParser
import FinDocML
import FinDocStore
import Foundation
import Testing

@testable import FinDocCommands

/// Categories end to end, in-process, on the Birmingham sample (30 real rows with the council's categories).
@Suite struct CategoryCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let sample = root.appendingPathComponent("Samples/birmingham-pcard-2017-01-excerpt.csv").path

    static func run(_ arguments: [String]) throws {
        var command = try Findoc.parseAsRoot(arguments)
        try command.run()
    }

    @Test(arguments: ["train categories", "eval categories", "label", "correct", "report spend"])
    func helpHasExamples(path: String) throws {
        let types: [String: ParsableCommand.Type] = [
            "train categories": TrainCategories.self, "eval categories": EvalCategories.self, "label": LabelCommand.self,
            "correct": CorrectCommand.self, "report spend": SpendReport.self,
        ]
        let help = Findoc.helpMessage(for: try #require(types[path]))
        #expect(help.contains("Examples:") && help.contains("findoc \(path.split(separator: " ")[0])"))
    }

    @Test func trainLabelCorrectReportFromTheStore() throws {
        let dir = NSTemporaryDirectory() + "findoc-cat-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/s.sqlite", model = dir + "/model"
        try Self.run(["ingest", "--db", db, Self.sample])
        let store = try Store.open(path: db)
        let imported = try store.categoryTrainingRows()
        // Independent truth: the sample's TRANS CAC DESC 1 column, read by hand: 30 rows, all labelled.
        #expect(imported.count == 30)
        #expect(imported.first { $0.description == "shell kings 587" }?.label == "Vehicle Fuel")

        try Self.run(["train", "categories", "--from-store", "--db", db, "--out", model, "--epochs", "20"])
        try Self.run(["label", "--task", "categories", "--db", db, "--model", model])
        let count = "SELECT COUNT(*) FROM predictions WHERE task = 'categories'"
        #expect(try Self.scalar(store, count) == 30)
        // Re-running labels nothing new: the same model already labelled every item.
        try Self.run(["label", "--task", "categories", "--db", db, "--model", model])
        #expect(try Self.scalar(store, count) == 30)

        let shell = try #require(imported.first { $0.description == "shell kings 587" })
        try Self.run(["correct", "--db", db, "--transaction", String(shell.id), "--label", "Staff Travel"])
        try Self.run(["label", "--task", "categories", "--db", db, "--model", model, "--all"])
        #expect(try Self.scalar(store, count) == 30)  // replaced in place, not added
        let labels = try store.labels(task: "categories", itemKind: "transaction")
        #expect(labels.count == 1 && labels[0].label == "Staff Travel" && labels[0].source == .person)
        // The person's label feeds training and wins over the imported category.
        #expect(try store.categoryTrainingRows().first { $0.id == shell.id }?.label == "Staff Travel")

        let sink = Collect()
        try store.spendByCategory(byMonth: true, into: sink)
        // Biggest spend first within a month.
        let spent = sink.rows.filter { $0[0] == "2017-01" }.map { Double($0[5]) ?? -1 }
        #expect(spent == spent.sorted(by: >))
        let staff = try #require(sink.rows.first { $0[1] == "Staff Travel" })
        #expect(staff[0] == "2017-01" && staff[3] == "1" && staff[5] == "72.61")

        // A filter correction reaches every matching row.
        let shellCount = imported.filter { $0.description.contains("shell") }.count
        try Self.run(["correct", "--db", db, "--where", "--text shell", "--label", "Vehicle Fuel"])
        #expect(try store.labels(task: "categories", itemKind: "transaction").count == shellCount)
    }

    @Test func evalReportsTheSharedJSONKeys() throws {
        let dir = NSTemporaryDirectory() + "findoc-cat-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.run([
            "train", "categories", "--data", Self.sample, "--text-column", "MERCHANT NAME", "--label-column",
            "TRANS CAC DESC 1", "--amount-column", "ORIGINAL GROSS AMT", "--out", dir, "--epochs", "20",
        ])
        let options = try CategoryDataOptions.parse([
            "--data", Self.sample, "--text-column", "MERCHANT NAME", "--label-column", "TRANS CAC DESC 1",
            "--amount-column", "ORIGINAL GROSS AMT",
        ])
        let rows = try options.load()
        #expect(rows.count == 30)
        let bundle = try CategoryBundle.load(from: URL(fileURLWithPath: dir))
        let (metrics, extra) = EvalCategories.evaluate(bundle: bundle, rows: rows, threads: 2)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(metrics.json(extra: extra).utf8)) as? [String: Any])
        for key in ["accuracy", "macro_f1", "weighted_f1", "per_class", "confusion", "unknown", "timing", "model"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        // Trained on these very rows for 20 epochs: it should know them.
        #expect(metrics.accuracy > 0.9)
    }

    static func scalar(_ store: Store, _ sql: String) throws -> Int {
        let sink = Collect()
        try store.readOnlyQuery(sql, into: sink)
        return Int(sink.rows.first?.first ?? "") ?? -1
    }

    final class Collect: RowSink {
        var rows: [[String]] = []
        func begin(columns: [String]) throws {}
        func row(_ cells: [Cell]) throws { rows.append(cells.map(\.text)) }
        func end() throws {}
    }
}
