import FinDocCore
@testable import FinDocPipeline
import FinDocStore
import Foundation
import Testing

/// Bad input gets a located message, nothing good is lost, and the store still opens.
@Suite struct BadInputTests {
    let good = "Date,Description,Amount\r\n03/01/2024,Coffee,-3.50\r\n04/01/2024,Salary,2500.00\r\n"

    func ingest(_ dir: TemporaryDirectory, _ paths: [String], strict: Bool = false) throws -> (BatchReport, Store) {
        let store = try Store.open(path: dir.file("s.sqlite"))
        let report = BatchIngester(options: IngestOptions(strict: strict)).run(paths: paths, store: store)
        return (report, store)
    }

    func report(_ batch: BatchReport, _ name: String) throws -> FileReport {
        try #require(batch.files.first { $0.path.hasSuffix("/" + name) })
    }

    @Test func mixedFolderStoresTheGoodAndLocatesTheBad() throws {
        let dir = try TemporaryDirectory()
        try dir.write("in/good.csv", good)
        try dir.write("in/binary.bin", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52])
        try dir.write("in/empty.csv", "")
        try BadCSV.write(into: dir, folder: "in")
        try dir.write("in/statement.ofx", "OFXHEADER:100\nDATA:OFXSGML\n<OFX><SIGNONMSGSRSV1>")
        // Distinct rows in every file: they share the default account csv:auto, where identical rows from files
        // that overlap would rightly count as the same transactions.
        let (batch, store) = try ingest(dir, [dir.file("in"), dir.file("missing.csv")])

        #expect(try report(batch, "good.csv").stored == 2)
        #expect(try report(batch, "good.csv").isFailure == false)

        let binary = try report(batch, "binary.bin")
        #expect(binary.isFailure && binary.stored == 0)
        #expect(binary.diagnostics.first?.message.contains("binary") == true)

        #expect(try report(batch, "empty.csv").isFailure)
        #expect(try report(batch, "empty.csv").diagnostics.first?.message.contains("empty") == true)

        let amount = try report(batch, "bad-amount.csv")
        #expect(amount.stored == 2 && amount.rejected == 1 && amount.isFailure)
        let amountError = try #require(amount.diagnostics.first { $0.severity == .error })
        #expect(amountError.location.line == 3)
        #expect(amountError.message.contains("abc"))

        let date = try report(batch, "bad-date.csv")
        #expect(date.stored == 0 && date.isFailure)
        #expect(date.diagnostics.contains { $0.severity == .error && $0.location.line == 2 })

        let truncated = try report(batch, "truncated.csv")
        #expect(truncated.stored == 1 && truncated.isFailure)
        #expect(truncated.diagnostics.contains { $0.severity == .error && $0.location.line == 3 })

        let broken = try report(batch, "broken-quote.csv")
        #expect(broken.stored == 2, "rows after the broken quote are still read")
        #expect(broken.diagnostics.contains { $0.severity == .error && $0.location.line == 2 })

        let ofx = try report(batch, "statement.ofx")
        #expect(ofx.isFailure && ofx.format == .ofx)

        #expect(try report(batch, "missing.csv").isFailure)

        // Every file that was read is recorded with its status; the store reopens cleanly.
        let statuses = try store.texts("SELECT path, status FROM documents ORDER BY path")
        #expect(statuses.count == 8)
        #expect(statuses.first { $0[0].hasSuffix("good.csv") }?[1] == "ingested")
        #expect(statuses.first { $0[0].hasSuffix("bad-amount.csv") }?[1] == "partial")
        #expect(statuses.first { $0[0].hasSuffix("binary.bin") }?[1] == "failed")
        let reopened = try Store.open(path: dir.file("s.sqlite"))
        #expect(try reopened.integer("SELECT COUNT(*) FROM transactions") == 2 + 2 + 1 + 2)
        #expect(try reopened.integer("SELECT COUNT(*) FROM diagnostics WHERE severity = 'error'") ?? 0 >= 7)
    }

    @Test func strictRejectsAFileWithAnyBadRow() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("bad-amount.csv", "Date,Description,Amount\n03/01/2024,Tea,-2.10\n04/01/2024,Cake,abc\n")
        let (batch, store) = try ingest(dir, [path], strict: true)
        #expect(batch.stored == 0 && batch.failedFiles.count == 1)
        #expect(try store.integer("SELECT COUNT(*) FROM transactions") == 0)
    }

    @Test func dryRunWritesNothing() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("good.csv", good)
        let report = BatchIngester(options: IngestOptions(dryRun: true)).run(paths: [path], store: nil)
        #expect(report.read == 2 && report.stored == 0)
        #expect(!FileManager.default.fileExists(atPath: dir.file("s.sqlite")))
    }

    /// Inputs never trap: arbitrary bytes, including ones shaped like CSV, give a report.
    @Test func randomBytesNeverCrash() throws {
        let dir = try TemporaryDirectory()
        var state: UInt64 = 42
        var paths: [String] = []
        let alphabet = Array("0123456789,;\"\r\n\t|-./ abcDEF£€".utf8)
        for index in 0..<60 {
            var bytes: [UInt8] = Array("Date,Description,Amount\n".utf8)
            for _ in 0..<(index * 37) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let r = Int(state >> 33)
                bytes.append(index % 3 == 0 ? UInt8(truncatingIfNeeded: r) : alphabet[r % alphabet.count])
            }
            paths.append(try dir.write("fuzz-\(index).csv", bytes))
        }
        let (batch, store) = try ingest(dir, paths)
        #expect(batch.files.count == 60)
        #expect(try store.integer("SELECT COUNT(*) FROM documents") == 60)
    }
}

@Suite struct InputFilesTests {
    @Test(arguments: [
        ("SOURCE.md", true), ("LICENSE", true), ("LICENSE-ofxparse", true), ("README.txt", true), ("conftest.py", true),
        ("expected.yml", true), ("statement.csv", false), ("export.ofx", false), ("mt940.sta", false), ("notes.txt", false),
        ("call.html", false), ("licensed-statement.csv", false),
    ])
    func documentationIsSkippedInFolders(name: String, skipped: Bool) {
        #expect(InputFiles.isDocumentation(name) == skipped, "\(name)")
    }

    /// `read` (plain `read(2)` calls) gives a file's bytes exactly as Foundation reads them, for an empty file, a
    /// small one and one of several read-sized pieces with every byte value; `size(of:)` agrees with `stat`'s
    /// Foundation counterpart.
    @Test func readGivesEveryByte() throws {
        let dir = try TemporaryDirectory()
        var generator = SystemRandomNumberGenerator()
        let large = (0..<300_001).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for (name, bytes) in [("empty", [UInt8]()), ("small", Array("Date,Amount\r\n".utf8)), ("large", large)] {
            let path = try dir.write(name, bytes)
            let read = try InputFiles.read(path)
            #expect(read == [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))), "\(name)")
            #expect(read == bytes, "\(name)")
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
            #expect(InputFiles.size(of: path) == size, "\(name)")
        }
    }

    /// A missing file and a folder fail with the system's reason, which the batch report shows.
    @Test func readFailuresSayWhy() throws {
        let dir = try TemporaryDirectory()
        #expect(InputFiles.size(of: dir.file("missing")) == nil)
        do {
            _ = try InputFiles.read(dir.file("missing"))
            Issue.record("a missing file was read")
        } catch {
            #expect("\(error)" == "No such file or directory")
        }
        do {
            _ = try InputFiles.read(dir.path)
            Issue.record("a folder was read as a file")
        } catch {
            #expect("\(error)" == "Is a directory")
        }
    }
}
