import ArgumentParser
import FinDocML
import FinDocStore
import Foundation
import Testing

@testable import FinDocCommands

/// Invoice lines as category items, end to end in-process: the two XRechnung samples (UBL + CII) next to the
/// Birmingham card sample, trained from the store, labelled, corrected, exported, reported and overruled by a rule.
@Suite struct InvoiceLineCategoryTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let ubl = root.appendingPathComponent("Samples/xrechnung-01.03a-invoice.ubl.xml").path
    static let cii = root.appendingPathComponent("Samples/xrechnung-03.01a-invoice.cii.xml").path
    static let cards = root.appendingPathComponent("Samples/birmingham-pcard-2017-01-excerpt.csv").path

    static func run(_ arguments: [String]) throws {
        var command = try Findoc.parseAsRoot(arguments)
        try command.run()
    }

    static func rows(_ store: Store, _ sql: String) throws -> [[String]] {
        let sink = CategoryCommandTests.Collect()
        try store.readOnlyQuery(sql, into: sink)
        return sink.rows
    }

    /// `findoc export invoice-lines` as JSON objects keyed by line id.
    static func exported(_ db: String, _ dir: String) throws -> [Int: [String: Any]] {
        let out = dir + "/lines-\(UUID().uuidString).jsonl"
        try run(["export", "invoice-lines", "--db", db, "--out", out])
        var byID: [Int: [String: Any]] = [:]
        for line in try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            byID[try #require(object["id"] as? Int)] = object
        }
        return byID
    }

    /// Occurrences of `needle` in the file at `path`: an independent count of line elements.
    static func occurrences(_ needle: String, in path: String) throws -> Int {
        try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: needle).count - 1
    }

    @Test func invoiceLinesAreLabelledCorrectedTrainedExportedAndRuled() throws {
        let dir = NSTemporaryDirectory() + "findoc-invcat-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/s.sqlite", model = dir + "/model"
        try Self.run(["ingest", "--db", db, Self.cards, Self.ubl, Self.cii])
        let store = try Store.open(path: db)

        // Independent truth: the line elements in the two files, counted as text.
        let expectedLines = try Self.occurrences("<cac:InvoiceLine>", in: Self.ubl)
            + Self.occurrences("<ram:IncludedSupplyChainTradeLineItem>", in: Self.cii)
        #expect(expectedLines == 16)
        let lines = try Self.rows(store, "SELECT id, name FROM invoice_lines ORDER BY id")
        #expect(lines.count == expectedLines)
        // The UBL sample's shipping line as written: <cbc:Name>Versandkosten</cbc:Name>, 17.94 EUR.
        let shipping = try #require(lines.first { $0[1] == "Versandkosten" }.flatMap { Int64($0[0]) })

        // A person's label on a line feeds training beside the card transactions' imported categories.
        try Self.run(["correct", "--db", db, "--invoice-line", String(shipping), "--label", "Postage"])
        #expect(try store.invoiceLineTrainingRows().map { [$0.id: $0.label ?? ""] } == [[shipping: "Postage"]])
        try Self.run(["train", "categories", "--from-store", "--db", db, "--out", model, "--epochs", "20"])
        let bundle = try CategoryBundle.load(from: URL(fileURLWithPath: model, isDirectory: true))
        #expect(bundle.model.labels.contains("Postage"))

        try Self.run(["label", "--task", "categories", "--db", db, "--model", model])
        let perLine = "SELECT COUNT(*), COUNT(DISTINCT item_id) FROM predictions WHERE item_kind = 'invoice_line'"
        #expect(try Self.rows(store, perLine) == [[String(expectedLines), String(expectedLines)]])
        #expect(try CategoryCommandTests.scalar(store, "SELECT COUNT(*) FROM predictions WHERE item_kind = 'transaction'") == 30)
        // Idempotent: the same model labels nothing new, and --all replaces in place.
        try Self.run(["label", "--task", "categories", "--db", db, "--model", model])
        try Self.run(["label", "--task", "categories", "--db", db, "--model", model, "--all"])
        #expect(try Self.rows(store, perLine) == [[String(expectedLines), String(expectedLines)]])

        // The correction survives re-labelling and wins in the export; every other line carries the model's label.
        let labels = try store.labels(task: "categories", itemKind: "invoice_line")
        #expect(labels.map(\.itemID) == [shipping] && labels.first?.label == "Postage" && labels.first?.source == .person)
        var export = try Self.exported(db, dir)
        #expect(export.count == expectedLines)
        #expect(export[Int(shipping)]?["category"] as? String == "Postage")
        #expect(export[Int(shipping)]?["category_source"] as? String == "person")
        for (id, row) in export where id != Int(shipping) {
            #expect(row["category_source"] as? String == "model")
            #expect(!((row["category"] as? String) ?? "").isEmpty)
        }
        let csvPath = dir + "/lines.csv"
        try Self.run(["export", "invoice-lines", "--db", db, "--out", csvPath])
        let header = try String(contentsOfFile: csvPath, encoding: .utf8).components(separatedBy: "\r\n").first ?? ""
        #expect(header.hasSuffix(",attributes,category,category_source"))

        // Spend over invoice lines: the shipping line is 17.94 out (read from the file), under the person's label;
        // the default report still counts transactions only.
        let spend = CategoryCommandTests.Collect()
        try store.spendByCategory(byMonth: false, items: .invoiceLines, into: spend)
        #expect(spend.rows.first { $0[0] == "Postage" }.map { [$0[1], $0[2], $0[3], $0[4]] } == ["EUR", "1", "-17.94", "17.94"])
        #expect(spend.rows.reduce(0) { $0 + (Int($1[2]) ?? 0) } == expectedLines)
        let transactionsOnly = CategoryCommandTests.Collect()
        try store.spendByCategory(byMonth: false, into: transactionsOnly)
        #expect(transactionsOnly.rows.reduce(0) { $0 + (Int($1[2]) ?? 0) } == 30)
        #expect(!transactionsOnly.rows.contains { $0[0] == "Postage" })
        let both = CategoryCommandTests.Collect()
        try store.spendByCategory(byMonth: true, items: .all, into: both)
        #expect(both.rows.reduce(0) { $0 + (Int($1[3]) ?? 0) } == 30 + expectedLines)
        // The CII invoice (issued 2019-02-28) states its line total as <ram:LineTotalAmount>687.28; its lines'
        // spend, summed over categories in cents, must add up to it.
        let february = both.rows.filter { $0[0] == "2019-02" }.reduce(0) { $0 + (Int($1[5].replacingOccurrences(of: ".", with: "")) ?? 0) }
        #expect(february == 68728)

        // A rule on the seller name (both samples write "[Seller name]") wins over the model; the person still wins,
        // and no transaction has a seller field for the rule to match.
        let rules = dir + "/rules.json"
        try Data(
            #"{"rules": [{"name": "seller-utilities", "label": "Utilities", "match": [{"field": "seller", "equals": "[Seller name]"}]}]}"#
                .utf8
        ).write(to: URL(fileURLWithPath: rules))
        try Self.run(["label", "--task", "categories", "--db", db, "--model", model, "--rules", rules, "--all"])
        export = try Self.exported(db, dir)
        let bySeller = export.values.filter { $0["seller_name"] as? String == "[Seller name]" }
        #expect(bySeller.count >= 14)  // at least the CII invoice's 14 lines
        for row in bySeller where row["id"] as? Int != Int(shipping) {
            #expect(row["category"] as? String == "Utilities")
            #expect(row["category_source"] as? String == "rule")
        }
        #expect(export[Int(shipping)]?["category"] as? String == "Postage")
        #expect(
            try CategoryCommandTests.scalar(
                store, "SELECT COUNT(*) FROM predictions WHERE item_kind = 'transaction' AND reason LIKE 'rule:%'") == 0)
    }

    @Test func correctRejectsAnUnknownInvoiceLine() throws {
        let dir = NSTemporaryDirectory() + "findoc-invcat-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/s.sqlite"
        try Self.run(["ingest", "--db", db, Self.ubl])
        #expect(throws: ExitCode.failure) {
            try Self.run(["correct", "--db", db, "--invoice-line", "999999", "--label", "Postage"])
        }
        #expect(try Store.open(path: db).labels(task: "categories", itemKind: "invoice_line").isEmpty)
    }

    @Test func spendReportRejectsUnknownItems() {
        #expect(throws: (any Error).self) { try SpendReport.parse(["--items", "receipts"]) }
        #expect(Findoc.helpMessage(for: SpendReport.self).contains("--items"))
    }
}
