import FinDocStore
import Foundation
import Testing

/// The export columns are documented, in order, in the JSON Schema shipped in Schemas/export.
@Suite struct SchemaDocsTests {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func transactionsSchemaListsTheColumnsInOrder() throws {
        let data = try Data(contentsOf: root.appendingPathComponent("Schemas/export/transactions.schema.json"))
        let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let properties = try #require(schema["properties"] as? [String: Any])
        #expect(Set(properties.keys) == Set(Store.transactionColumns))
        #expect(schema["x-column-order"] as? [String] == Store.transactionColumns)
        let markdown = try String(contentsOf: root.appendingPathComponent("Schemas/export/transactions.md"), encoding: .utf8)
        for column in Store.transactionColumns { #expect(markdown.contains("`\(column)`"), "\(column) undocumented") }
    }
}

/// The invoice-line export columns are documented, in order, in Schemas/export/invoice-lines.*.
@Suite struct InvoiceLineSchemaDocsTests {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func invoiceLinesSchemaListsTheColumnsInOrder() throws {
        let data = try Data(contentsOf: root.appendingPathComponent("Schemas/export/invoice-lines.schema.json"))
        let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let properties = try #require(schema["properties"] as? [String: Any])
        #expect(Set(properties.keys) == Set(Store.invoiceLineColumns))
        #expect(schema["x-column-order"] as? [String] == Store.invoiceLineColumns)
        let markdown = try String(
            contentsOf: root.appendingPathComponent("Schemas/export/invoice-lines.md"), encoding: .utf8)
        // Each column in its numbered row, in order.
        for (index, column) in Store.invoiceLineColumns.enumerated() {
            #expect(markdown.contains("| \(index + 1) | `\(column)` |"), "\(column) not documented as column \(index + 1)")
        }
    }
}
