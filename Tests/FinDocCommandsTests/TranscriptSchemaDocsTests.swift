import FinDocStore
import Foundation
import Testing

/// The transcript query columns are documented, in order, in Schemas/export (Markdown and JSON Schema).
@Suite struct TranscriptSchemaDocsTests {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test(arguments: [
        ("calls", Store.callColumns), ("utterances", Store.utteranceColumns), ("sentences", Store.sentenceColumns),
    ])
    func schemaListsTheColumnsInOrder(_ name: String, _ columns: [String]) throws {
        let data = try Data(contentsOf: root.appendingPathComponent("Schemas/export/\(name).schema.json"))
        let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let properties = try #require(schema["properties"] as? [String: Any])
        #expect(Set(properties.keys) == Set(columns))
        #expect(schema["x-column-order"] as? [String] == columns)
        let markdown = try String(contentsOf: root.appendingPathComponent("Schemas/export/\(name).md"), encoding: .utf8)
        for (index, column) in columns.enumerated() {
            #expect(markdown.contains("| \(index + 1) | `\(column)` |"), "\(column) undocumented or out of order")
        }
    }
}
