import ArgumentParser
import FinDocCore
import FinDocStore
import Foundation
import Testing

@testable import FinDocCommands

/// `findoc label --task entities` and `findoc query entities` on the shipped sample transcripts (ours, fictional).
@Suite struct EntityCommandTests {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    final class Rows: RowSink {
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

    func run(_ arguments: [String]) throws {
        var command = try Findoc.parseAsRoot(arguments)
        try command.run()
    }

    /// The id of the stored sentence with exactly this text.
    func sentenceID(_ store: Store, _ text: String) throws -> Int64 {
        let rows = Rows()
        try store.readOnlyQuery("SELECT id, text FROM sentences ORDER BY id", into: rows)
        let index = try #require(rows.column("text").firstIndex(of: text), "no sentence \(text)")
        return try #require(Int64(rows.column("id")[index]))
    }

    @Test func labelThenQueryOnTheSamples() throws {
        let dir = NSTemporaryDirectory() + "findoc-ent-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/s.sqlite"
        try run(["ingest", "--db", db, root.path + "/Samples/transcripts"])
        try run(["label", "--db", db, "--task", "entities"])
        let store = try Store.open(path: db, mustExist: true)
        let all = Rows()
        let count = try store.entities(matching: EntityFilter(), into: all)
        #expect(count > 0)
        // A second run stores nothing twice; --all re-labels and replaces.
        try run(["label", "--db", db, "--task", "entities"])
        try run(["label", "--db", db, "--task", "entities", "--all"])
        #expect(try store.entities(matching: EntityFilter(), into: Rows()) == count)
        #expect(try store.entities(matching: EntityFilter(runID: "findoc-rules-1"), into: Rows()) == count)

        // Northwind Robotics, counted by hand in Samples/transcripts/northwind-robotics-q2-2024.html:
        // "Revenue grew 12.5% to $84.3 million in Q2." — Revenue0-6 ␠7 grew8-11 ␠12 12.5%13-17 ␠18 to19-20 ␠21
        // $22 84.3(23-26) ␠27 million28-34 ␠35 in36-37 ␠38 Q2(39-40) .41
        let revenue = try sentenceID(store, "Revenue grew 12.5% to $84.3 million in Q2.")
        let spans = try store.storedEntities(sentenceID: revenue, runID: "findoc-rules-1")
        #expect(spans.map(\.type) == [.percent, .money, .date])
        #expect(spans.map(\.start) == [13, 22, 39] && spans.map(\.end) == [18, 35, 41])
        #expect(spans.map(\.text) == ["12.5%", "$84.3 million", "Q2"])
        #expect(spans[1].amount == "84300000" && spans[1].currency?.code == "USD")
        #expect(spans[1].money?.minorUnits == 8_430_000_000)
        // "Gross margin was 41.2%, up 180 basis points." — 41.2% at 17..<22; "180 basis points" at 27..<43.
        let margin = try store.storedEntities(
            sentenceID: try sentenceID(store, "Gross margin was 41.2%, up 180 basis points."), runID: "findoc-rules-1")
        #expect(margin.map(\.normalized) == ["41.2%", "180bp"])
        #expect(margin.map(\.start) == [17, 27] && margin.map(\.end) == [22, 43])

        // The query's filters: MONEY of the Northwind call only.
        let calls = Rows()
        try store.calls(into: calls)
        let northwind = try #require(calls.column("company").firstIndex(of: "Northwind Robotics"))
        let call = try #require(Int64(calls.column("call_id")[northwind]))
        let money = Rows()
        try store.entities(matching: EntityFilter(call: call, types: ["MONEY"]), into: money)
        #expect(money.column("text") == ["$84.3 million", "$11.9 million"])
        #expect(money.column("amount") == ["84300000", "11900000"])
        for arguments in [
            ["query", "entities", "--db", db], ["query", "entities", "--db", db, "--call", "\(call)", "--format", "csv"],
            ["query", "entities", "--db", db, "--type", "percent", "--type", "DATE", "--format", "jsonl", "--limit", "2"],
        ] {
            try run(arguments)
        }
    }

    /// The model hook: a tagger's spans merge with the recognisers' and are stored under <model>+findoc-rules-1.
    /// "Good morning, and welcome to the Northwind Robotics second quarter 2024 earnings conference call." —
    /// Good0-3 ␠4 morning5-11 ,12 ␠13 and14-16 ␠17 welcome18-24 ␠25 to26-27 ␠28 the29-31 ␠32 Northwind33-41 ␠42
    /// Robotics43-50 ␠51 second52-57 ␠58 quarter59-65 ␠66 2024(67-70).
    @Test func taggerSpansMergeWithTheRules() throws {
        let dir = NSTemporaryDirectory() + "findoc-ent-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/s.sqlite"
        try run(["ingest", "--db", db, root.path + "/Samples/transcripts"])
        let store = try Store.open(path: db, mustExist: true)
        let welcome = "Good morning, and welcome to the Northwind Robotics second quarter 2024 earnings conference call."
        let summary = try EntityLabelling.run(store: store, tagger: { texts in
            texts.map { text in
                guard text == welcome else { return [] }
                return [
                    EntitySpan(start: 33, end: 51, type: .organization, text: "Northwind Robotics", source: .model, probability: 0.9),
                    EntitySpan(start: 52, end: 66, type: .organization, text: "second quarter", source: .model, probability: 0.6),
                    EntitySpan(start: 90, end: 200, type: .location, text: "?", source: .model),
                ]
            }
        }, modelID: "ner-test")
        #expect(summary.byType["ORG"] == 1)
        let id = try sentenceID(store, welcome)
        let spans = try store.storedEntities(sentenceID: id, runID: "ner-test+findoc-rules-1")
        #expect(spans.map(\.text) == ["Northwind Robotics", "second quarter 2024"])
        #expect(spans.map(\.start) == [33, 52] && spans.map(\.end) == [51, 71])
        #expect(spans[0].probability == 0.9 && spans[1].normalized == "2024-Q2")
        let rows = Rows()
        try store.entities(matching: EntityFilter(types: ["ORG"]), into: rows)
        #expect(rows.column("model_id") == ["ner-test"] && rows.column("run_id") == ["ner-test+findoc-rules-1"])
        #expect(throws: EntityLabellingError.self) {
            try EntityLabelling.run(store: store, tagger: { _ in [] }, modelID: "broken")
        }
    }

    @Test func usageErrorsExit64() throws {
        for arguments in [
            ["query", "entities", "--type", "MISC"], ["query", "entities", "--limit", "-1"],
            ["label", "--task", "entities", "--rules", "r.json"], ["label", "--task", "entities", "--int8"],
            ["label", "--task", "nouns"],
        ] {
            do {
                try run(arguments)
                Issue.record("\(arguments) was accepted")
            } catch {
                #expect(Findoc.exitCode(for: error).rawValue == 64, "\(arguments): \(error)")
            }
        }
        let help = Findoc.helpMessage(for: QueryEntities.self)
        #expect(help.contains("Examples:") && help.contains("findoc query entities"))
        #expect(Findoc.helpMessage(for: LabelCommand.self).contains("findoc label --task entities"))
    }

    /// The columns are documented, in order, in Schemas/export (Markdown and JSON Schema).
    @Test func schemaListsTheColumnsInOrder() throws {
        let columns = Store.entityColumns
        let data = try Data(contentsOf: root.appendingPathComponent("Schemas/export/entities.schema.json"))
        let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let properties = try #require(schema["properties"] as? [String: Any])
        #expect(Set(properties.keys) == Set(columns))
        #expect(schema["x-column-order"] as? [String] == columns)
        let markdown = try String(contentsOf: root.appendingPathComponent("Schemas/export/entities.md"), encoding: .utf8)
        for (index, column) in columns.enumerated() {
            #expect(markdown.contains("| \(index + 1) | `\(column)` |"), "\(column) undocumented or out of order")
        }
    }
}
