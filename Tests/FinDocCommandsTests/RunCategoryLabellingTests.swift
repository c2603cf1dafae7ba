import FinDocML
import FinDocStore
import Foundation
import Testing

/// `findoc run` labels new transactions and invoice lines with the default category bundle, end to end on the real
/// executable: the bundle is trained in the test on the council's December 2016 purchase-card rows and put where a
/// child process with its own `FINDOC_MODELS` finds it (setting that variable in this process would race the other
/// suites), then `run` ingests a folder with the January 2017 card sample and two XRechnung invoices.
@Suite struct RunCategoryLabellingTests {
    static let root = InvoiceLineCategoryTests.root
    static let december = root.path + "/../shared/data/txn_birmingham_pcard/purchase-card-transactions-201612.csv"

    /// Runs the built `findoc` with `FINDOC_MODELS` set; returns its exit status and standard output.
    static func findoc(_ arguments: [String], models: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(CrashRecoveryTests.executable, "findoc executable not built"))
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["FINDOC_MODELS"] = models
        environment["OPENBLAS_NUM_THREADS"] = "1"
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func runLabelsNewTransactionsAndInvoiceLinesWithTheTrainedModel() throws {
        guard FileManager.default.fileExists(atPath: Self.december) else {
            Issue.record("shared Birmingham data missing: \(Self.december)")
            return
        }
        let dir = NSTemporaryDirectory() + "findoc-runcat-" + UUID().uuidString
        let input = dir + "/in", models = dir + "/models"
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for sample in [CategoryCommandTests.sample, InvoiceLineCategoryTests.ubl, InvoiceLineCategoryTests.cii] {
            try FileManager.default.copyItem(
                atPath: sample, toPath: input + "/" + URL(fileURLWithPath: sample).lastPathComponent)
        }
        let db = dir + "/s.sqlite"

        // The default bundle, trained on another month than the one `run` reads.
        try InvoiceLineCategoryTests.run([
            "train", "categories", "--data", Self.december, "--text-column", "MERCHANT NAME", "--label-column",
            "TRANS CAC DESC 1", "--amount-column", "ORIGINAL GROSS AMT", "--out", models + "/categories/default",
            "--epochs", "3", "--bucket-bits", "18",  // small and quick: the test is about `run`, not the model
        ])
        let bundle = try CategoryBundle.load(from: URL(fileURLWithPath: models + "/categories/default", isDirectory: true))

        // Independent truth: the sample's data rows and categories read as text (';'-separated, header first), and
        // the invoices' line elements counted in the files.
        let csv = try String(contentsOfFile: CategoryCommandTests.sample, encoding: .utf8)
        let records = csv.split(whereSeparator: \.isNewline).dropFirst().map { $0.components(separatedBy: ";") }
        #expect(records.count == 30)
        let truth = Dictionary(records.map { ($0[6], $0[9]) }, uniquingKeysWith: { first, _ in first })
        let lineCount = try InvoiceLineCategoryTests.occurrences("<cac:InvoiceLine>", in: InvoiceLineCategoryTests.ubl)
            + InvoiceLineCategoryTests.occurrences("<ram:IncludedSupplyChainTradeLineItem>", in: InvoiceLineCategoryTests.cii)

        let first = try Self.findoc(["run", "--db", db, input], models: models)
        #expect(first.status == 0)
        #expect(first.output.contains("labelling: 30 transactions and \(lineCount) invoice lines categorised by \(bundle.modelID)"))

        let store = try Store.open(path: db)
        let predictions = try InvoiceLineCategoryTests.rows(
            store,
            """
            SELECT p.item_kind, p.item_id, p.label, p.probability, p.model_id, p.reason, p.top_k, t.description
            FROM predictions p LEFT JOIN transactions t ON p.item_kind = 'transaction' AND t.id = p.item_id
            WHERE p.task = 'categories' ORDER BY p.item_kind, p.item_id
            """)
        #expect(predictions.filter { $0[0] == "transaction" }.count == 30)
        #expect(predictions.filter { $0[0] == "invoice_line" }.count == lineCount)
        #expect(Set(predictions.filter { $0[0] == "invoice_line" }.map { $0[1] }).count == lineCount)
        let labels = Set(bundle.model.labels + [CategoryBundle.unknownLabel])
        var right = 0
        for row in predictions {
            #expect(labels.contains(row[2]), "label \(row[2])")
            let probability = try #require(Double(row[3]))
            #expect(probability > 0 && probability <= 1)
            #expect(row[4] == bundle.modelID)
            // The reason of a model decision is the JSON of the features that decided; top-k is JSON too.
            #expect(try JSONSerialization.jsonObject(with: Data(row[5].utf8)) is [Any], "reason \(row[5])")
            let topK = try #require(try JSONSerialization.jsonObject(with: Data(row[6].utf8)) as? [Any])
            #expect(!topK.isEmpty && topK.count <= 3)
            if row[0] == "transaction", truth[row[7]] == row[2] { right += 1 }
        }
        // A model of December's rows puts most of January's sample where the council did (merchants recur).
        #expect(right >= 18, "\(right) of 30 transactions agree with the sample's TRANS CAC DESC 1")

        // Re-running on the same folder ingests nothing and labels nothing twice.
        let again = try Self.findoc(["run", "--db", db, input], models: models)
        #expect(again.status == 0)
        #expect(again.output.contains("labelling: 0 transactions and 0 invoice lines"))
        #expect(try CategoryCommandTests.scalar(store, "SELECT COUNT(*) FROM predictions WHERE task = 'categories'") == 30 + lineCount)
    }
}
