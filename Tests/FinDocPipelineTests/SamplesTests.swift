import FinDocCore
import FinDocIngest
import FinDocPipeline
import FinDocStore
import Foundation
import Testing

/// The demo folder, end to end: every sample is read, the overlapping UK download adds only its new rows, and a
/// second run adds nothing.
@Suite struct SamplesTests {
    /// Data rows per sample, counted from the files as written (see Samples/ATTRIBUTION.md): 16 January rows; the
    /// overlapping download has 12 rows of which the first 4 repeat January; 10 US card rows; 8 German rows after
    /// a 3-line preamble; 30 Birmingham rows.
    let expectedStored = 16 + (12 - 4) + 10 + 8 + 30

    @Test func ingestsTheSamplesOnceOnly() throws {
        let dir = try TemporaryDirectory()
        let store = try Store.open(path: dir.file("s.sqlite"))
        let first = BatchIngester(options: IngestOptions()).run(paths: [repositoryRoot + "/Samples"], store: store)
        let csvReports = first.files.filter { $0.path.hasSuffix(".csv") }
        #expect(csvReports.count == 5)
        for file in csvReports {
            #expect(file.outcome == .stored(.ingested), "\(file.path): \(file.diagnostics)")
        }
        #expect(first.stored == expectedStored)
        #expect(first.duplicatesSkipped == 4)
        #expect(try store.integer("SELECT COUNT(*) FROM transactions") == Int64(expectedStored))

        let second = BatchIngester(options: IngestOptions()).run(paths: [repositoryRoot + "/Samples"], store: store)
        #expect(second.stored == 0)
        #expect(second.alreadyIngested == first.files.count - first.failedFiles.count)
        #expect(try store.integer("SELECT COUNT(*) FROM transactions") == Int64(expectedStored))
    }

    @Test func germanSampleKeepsUmlautsAndDecimalCommas() throws {
        let dir = try TemporaryDirectory()
        let store = try Store.open(path: dir.file("s.sqlite"))
        _ = BatchIngester(options: IngestOptions()).run(paths: [repositoryRoot + "/Samples/de-girokonto-2024-03.csv"], store: store)
        let rows = try store.texts(
            "SELECT booking_date, amount_minor, currency, payee FROM transactions ORDER BY position")
        #expect(rows.count == 8)
        #expect(rows.first == ["2024-03-01", "-9600", "EUR", "Stadtwerke München GmbH"])
        #expect(rows.contains(["2024-03-05", "-124000", "EUR", "Müller & Söhne Immobilien"]))
        #expect(rows.contains(["2024-03-15", "341255", "EUR", "Beispiel AG"]))
    }
}

extension FileReport.Outcome {
    static func == (a: Self, b: Self) -> Bool {
        switch (a, b) {
        case let (.stored(x), .stored(y)): x == y
        case (.failed, .failed), (.dryRun, .dryRun), (.unreadable, .unreadable): true
        case let (.alreadyIngested(x), .alreadyIngested(y)): x == y
        default: false
        }
    }
}
