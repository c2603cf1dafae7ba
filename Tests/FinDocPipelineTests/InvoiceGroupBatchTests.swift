import FinDocCore
import FinDocPipeline
import FinDocStore
import Foundation
import Testing

/// Many small invoices through the batch, stored in groups (one transaction, a savepoint per invoice): every file
/// gets its own report in order, a bad file in the middle of a group loses nothing else, and a re-run adds nothing.
@Suite struct InvoiceGroupBatchTests {
    /// Progress calls, collected from the ingester's callback.
    final class Calls: @unchecked Sendable {
        private let lock = NSLock()
        private var done: [Int] = []
        func add(_ value: Int) { lock.withLock { done.append(value) } }
        var values: [Int] { lock.withLock { done } }
    }

    @Test func hundredFiftyInvoicesWithABadOneAndACopyInTheMiddle() throws {
        let dir = try TemporaryDirectory()
        let sample = try String(
            contentsOfFile: repositoryRoot + "/Samples/xrechnung-01.03a-invoice.ubl.xml", encoding: .utf8)
        // 150 invoices (more than two groups of 64), renumbered so each is a different invoice.
        let count = 150
        var paths: [String] = []
        for number in 0..<count {
            let text = sample.replacingOccurrences(
                of: "<cbc:ID>RR123456</cbc:ID>", with: "<cbc:ID>RR-\(number)</cbc:ID>")
            #expect(text != sample)
            paths.append(try dir.write(String(format: "in/inv-%03d.xml", number), text))
        }
        // A truncated invoice and an exact copy of invoice 10, both in the middle of the second group.
        let truncated = try dir.write("in/inv-070-bad.xml", String(sample.prefix(sample.utf8.count / 2)))
        let copy = try dir.write(
            "in/inv-071-copy.xml", try String(contentsOfFile: paths[10], encoding: .utf8))
        let inputs = Array(paths[..<70]) + [truncated, copy] + Array(paths[70...])
        let lines = Int64(sample.components(separatedBy: "<cac:InvoiceLine>").count - 1)
        #expect(lines > 0)

        let store = try Store.open(path: dir.file("s.sqlite"))
        let calls = Calls()
        let report = BatchIngester(options: IngestOptions(), progress: { done, _, _ in calls.add(done) })
            .run(paths: inputs, store: store)
        #expect(report.files.map(\.path) == inputs, "one report per file, in input order")
        #expect(calls.values == Array(1...inputs.count), "progress once per file, in order")
        #expect(report.files[70].isFailure)
        #expect(report.files[70].diagnostics.first?.code == "invoice.xml")
        #expect(report.files[71].outcome == .alreadyIngested(previousPath: paths[10]))
        let stored = report.files.filter { $0.outcome == .stored(.ingested) }.count
        #expect(stored == count)
        #expect(try store.integer("SELECT COUNT(*) FROM invoices") == Int64(count))
        #expect(try store.integer("SELECT COUNT(*) FROM invoice_lines") == Int64(count) * lines)
        #expect(try store.integer("SELECT COUNT(DISTINCT number) FROM invoices") == Int64(count))

        // Re-running the same folder adds nothing.
        let rerun = BatchIngester(options: IngestOptions()).run(paths: inputs, store: store)
        let again = rerun.files.filter {
            if case .alreadyIngested = $0.outcome { true } else { false }
        }.count
        #expect(again == count + 1, "every stored file and the copy are recognised")
        #expect(try store.integer("SELECT COUNT(*) FROM invoices") == Int64(count))
        #expect(try store.integer("SELECT COUNT(*) FROM invoice_lines") == Int64(count) * lines)
    }
}
