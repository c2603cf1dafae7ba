import ArgumentParser
import FinDocStore
import Foundation
import Testing

@testable import FinDocCommands

/// The invoice commands, run in-process on the shipped XRechnung samples.
@Suite struct InvoiceCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let subcommands: [ParsableCommand.Type] = [QueryInvoices.self, QueryInvoiceLines.self, ExportInvoiceLines.self]

    @Test(arguments: subcommands.map { String(describing: $0) })
    func helpHasExamples(name: String) throws {
        let type = try #require(Self.subcommands.first { String(describing: $0) == name })
        let help = Findoc.helpMessage(for: type)
        #expect(help.contains("Examples:"))
        #expect(help.contains("findoc "))
    }

    @Test func badDateIsAUsageError() {
        do {
            var command = try Findoc.parseAsRoot(["query", "invoice-lines", "--from", "2024-02-30"])
            try command.run()
            Issue.record("accepted")
        } catch {
            #expect(Findoc.exitCode(for: error).rawValue == 64)
        }
    }

    @Test func ingestThenExportInvoiceLines() throws {
        let dir = NSTemporaryDirectory() + "findoc-inv-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/s.sqlite"
        var ingest = try Findoc.parseAsRoot([
            "ingest", "--db", db, Self.root + "/Samples/xrechnung-01.03a-invoice.ubl.xml",
            Self.root + "/Samples/xrechnung-03.01a-invoice.cii.xml",
        ])
        try ingest.run()

        var export = try Findoc.parseAsRoot(["export", "invoice-lines", "--db", db, "--out", dir + "/lines.csv"])
        try export.run()
        let csv = try String(contentsOfFile: dir + "/lines.csv", encoding: .utf8)
        let rows = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(rows.first == Store.invoiceLineColumns.joined(separator: ","))
        #expect(rows.count == 1 + 2 + 14)
        // The UBL sample's first line as written: "Deutsches Verwaltungsblatt", 152.34 EUR, 7 % VAT.
        #expect(rows.contains { $0.contains("Deutsches Verwaltungsblatt") && $0.contains("152.34") })

        var jsonl = try Findoc.parseAsRoot([
            "export", "invoice-lines", "--db", db, "--invoice", "RR123456", "--out", dir + "/lines.jsonl",
        ])
        try jsonl.run()
        let objects = try String(contentsOfFile: dir + "/lines.jsonl", encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(objects.count == 2)
        #expect(objects.first??["net_amount"] as? String == "152.34")
        #expect(objects.first??["classifications"] is [Any])
        #expect(Set(objects.first??.keys.map { $0 } ?? []) == Set(Store.invoiceLineColumns))
    }
}
