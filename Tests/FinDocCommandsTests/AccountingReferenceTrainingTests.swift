import ArgumentParser
import FinDocML
import FinDocStore
import Foundation
import Testing

@testable import FinDocCommands

/// `train categories --from-store --label-source accounting-reference`: invoice lines whose source carries BT-133
/// (the buyer's accounting reference) become training rows labelled with that code, and a person's label still wins.
/// The expected codes are read from the shared fixtures' text with a regular expression, not through our readers.
@Suite struct AccountingReferenceTrainingTests {
    static let shared = InvoiceLineCategoryTests.root.path + "/../shared/data/"
    /// UBL invoice (Factur-X examples): both lines carry `<cbc:AccountingCost>623400`.
    static let ublInvoice = shared + "invoices_facturx_akretion/examples/ubl-21-en16931.xml"
    /// UBL credit note (Peppol BIS 3): the first of two lines carries `Konteringsstreng`.
    static let ublCreditNote = shared + "invoices_peppol_bis3/examples/base-creditnote-correction.xml"
    /// CII (XRechnung test suite): the first of two lines carries `Konto 1`; the header's BT-19 is not a line code.
    static let cii = shared + "invoices_xrechnung_testsuite/technical-cases/cius/01.01_comprehensive_test_uncefact.xml"

    /// Each line element's BT-133 in document order (nil where the line has none), read as text.
    static func lineCodes(in path: String) throws -> [String?] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let line = try Regex(
            #"<(?:cac:InvoiceLine|cac:CreditNoteLine|ram:IncludedSupplyChainTradeLineItem)>(.*?)</(?:cac:InvoiceLine|cac:CreditNoteLine|ram:IncludedSupplyChainTradeLineItem)>"#
        ).dotMatchesNewlines()
        let code = try Regex(
            #"<cbc:AccountingCost>([^<]*)</cbc:AccountingCost>|<ram:ReceivableSpecifiedTradeAccountingAccount>\s*<ram:ID>([^<]*)</ram:ID>"#)
        return text.matches(of: line).map { match in
            guard let body = match.output[1].substring, let found = body.firstMatch(of: code) else { return nil }
            let value = (found.output[1].substring ?? found.output[2].substring).map(String.init)
            return value?.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    @Test func accountingReferencesBecomeLabelsAndAPersonStillWins() throws {
        let files = [Self.ublInvoice, Self.ublCreditNote, Self.cii]
        for file in files where !FileManager.default.fileExists(atPath: file) {
            Issue.record("shared fixture missing: \(file)")
            return
        }
        let dir = NSTemporaryDirectory() + "findoc-bt133-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/s.sqlite", model = dir + "/model"
        try InvoiceLineCategoryTests.run(["ingest", "--db", db] + files)
        let store = try Store.open(path: db)

        // Independent truth: per file, the codes in line order, joined to the stored lines by file and position.
        var expected: [Int64: String] = [:]
        var lineCount = 0
        for file in files {
            let codes = try Self.lineCodes(in: file)
            let stored = try InvoiceLineCategoryTests.rows(
                store,
                "SELECT l.id FROM invoice_lines l JOIN documents d ON d.id = l.document_id WHERE d.path LIKE '%"
                    + URL(fileURLWithPath: file).lastPathComponent + "' ORDER BY l.position")
            #expect(stored.count == codes.count, "\(file)")
            lineCount += codes.count
            for (row, code) in zip(stored, codes) {
                if let code, let id = Int64(row[0]) { expected[id] = code }
            }
        }
        #expect(lineCount == 6)
        #expect(Set(expected.values) == ["623400", "Konteringsstreng", "Konto 1"])
        #expect(expected.count == 4)

        // Without the option nothing is labelled; with it, exactly the lines that carry a code, labelled by it.
        #expect(try store.invoiceLineTrainingRows().isEmpty)
        var rows = try store.invoiceLineTrainingRows(source: .accountingReference)
        #expect(Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0.label ?? "") }) == expected)

        // A person's label on a coded line wins over its code; one on an uncoded line joins the rows.
        let coded = try #require(expected.first { $0.value == "Konteringsstreng" }?.key)
        let uncoded = try #require(
            try InvoiceLineCategoryTests.rows(store, "SELECT id FROM invoice_lines ORDER BY id").compactMap { Int64($0[0]) }
                .first { expected[$0] == nil })
        try InvoiceLineCategoryTests.run(["correct", "--db", db, "--invoice-line", String(coded), "--label", "6300 Repairs"])
        try InvoiceLineCategoryTests.run(["correct", "--db", db, "--invoice-line", String(uncoded), "--label", "6300 Repairs"])
        var withPerson = expected
        withPerson[coded] = "6300 Repairs"
        withPerson[uncoded] = "6300 Repairs"
        rows = try store.invoiceLineTrainingRows(source: .accountingReference)
        #expect(Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0.label ?? "") }) == withPerson)
        #expect(Set(try store.invoiceLineTrainingRows().map(\.id)) == [coded, uncoded])

        // Training learns the codes (Konteringsstreng's only line now carries the person's label instead).
        try InvoiceLineCategoryTests.run([
            "train", "categories", "--from-store", "--label-source", "accounting-reference", "--db", db, "--out", model,
            "--epochs", "5", "--calibration-fraction", "0",
        ])
        let bundle = try CategoryBundle.load(from: URL(fileURLWithPath: model, isDirectory: true))
        #expect(Set(bundle.model.labels) == ["623400", "Konto 1", "6300 Repairs"])
    }

    @Test func labelSourceIsCheckedAndDocumented() throws {
        #expect(throws: (any Error).self) {
            try TrainCategories.parse(["--from-store", "--label-source", "gl-code"])
        }
        #expect(throws: (any Error).self) {
            try TrainCategories.parse([
                "--data", "x.csv", "--text-column", "a", "--label-column", "b", "--label-source", "accounting-reference",
            ])
        }
        _ = try TrainCategories.parse(["--from-store", "--label-source", "accounting-reference"])
        let help = Findoc.helpMessage(for: TrainCategories.self)
        #expect(help.contains("--label-source accounting-reference"))
    }
}
