import FinDocCore
import FinDocIngest
import FinDocPipeline
import FinDocStore
import Foundation
import Testing

/// The demo folder, end to end: every sample is read, the overlapping UK download adds only its new rows, and a
/// second run adds nothing.
@Suite struct SamplesTests {
    /// Records per sample, counted from the files as written (see Samples/ATTRIBUTION.md): 16 January rows; the
    /// overlapping download has 12 rows of which the first 4 repeat January; 10 US card rows; 8 German rows after
    /// a 3-line preamble; 30 Birmingham rows; 5 OFX <STMTTRN>; 4 QIF records; 4 MT940 :61: lines; and the invoice
    /// lines of the two XRechnung samples (2 <cac:InvoiceLine>, 14 <ram:IncludedSupplyChainTradeLineItem>).
    let expectedStored = 16 + (12 - 4) + 10 + 8 + 30 + 5 + 4 + 4 + 2 + 14
    let expectedTransactions = 16 + (12 - 4) + 10 + 8 + 30 + 5 + 4 + 4

    @Test func ingestsTheSamplesOnceOnly() throws {
        let dir = try TemporaryDirectory()
        let store = try Store.open(path: dir.file("s.sqlite"))
        let first = BatchIngester(options: IngestOptions()).run(paths: [repositoryRoot + "/Samples"], store: store)
        let csvReports = first.files.filter { $0.path.hasSuffix(".csv") }
        #expect(csvReports.count == 5)
        for file in csvReports {
            #expect(file.outcome == .stored(.ingested), "\(file.path): \(file.diagnostics)")
        }
        #expect(first.files.count == 8 + 2 + 3)  // 8 statements, 2 invoices, 3 HTML transcripts (Samples/transcripts)
        for file in first.files { #expect(!file.isFailure, "\(file.path): \(file.diagnostics)") }
        #expect(first.stored == expectedStored)
        #expect(first.duplicatesSkipped == 4)
        #expect(try store.integer("SELECT COUNT(*) FROM transactions") == Int64(expectedTransactions))
        #expect(try store.integer("SELECT COUNT(*) FROM invoice_lines") == 2 + 14)
        // BT-115 as written in the files: 182.2 and -225.14 EUR.
        #expect(try store.texts("SELECT number, payable_minor FROM invoices ORDER BY payable_minor") == [["123456789", "-22514"], ["RR123456", "18220"]])

        let second = BatchIngester(options: IngestOptions()).run(paths: [repositoryRoot + "/Samples"], store: store)
        #expect(second.stored == 0)
        #expect(second.alreadyIngested == first.files.count - first.failedFiles.count)
        #expect(try store.integer("SELECT COUNT(*) FROM transactions") == Int64(expectedTransactions))
        #expect(try store.integer("SELECT COUNT(*) FROM invoice_lines") == 2 + 14)
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

/// The non-CSV samples, checked against values read off the files by hand.
@Suite struct OtherFormatSamplesTests {
    @Test func ofxMT940AndQIF() throws {
        let dir = try TemporaryDirectory()
        let store = try Store.open(path: dir.file("s.sqlite"))
        let report = BatchIngester(options: IngestOptions()).run(
            paths: ["ofx-checking-2024-04.ofx", "qif-household-2024-04.qif", "mt940-business-2024-04.sta"].map {
                repositoryRoot + "/Samples/" + $0
            }, store: store)
        #expect(report.failedFiles.isEmpty)
        // OFX: -54.20 + 2815.40 - 1200.00 - 87.63 - 15.99; FITIDs kept as bank ids; the EST date stays 15 April.
        #expect(try store.texts("SELECT SUM(amount_minor), COUNT(bank_id) FROM transactions WHERE currency = 'USD'") == [["145758", "5"]])
        #expect(try store.texts("SELECT booking_date FROM transactions WHERE bank_id = '2024041500004'") == [["2024-04-15"]])
        // MT940: opening 10,000.00 + the four :61: amounts = closing 12,728.15, all stored with the statement.
        #expect(try store.texts("SELECT opening_balance_minor, closing_balance_minor FROM statements WHERE currency = 'EUR'") == [["1000000", "1272815"]])
        #expect(try store.texts("SELECT SUM(amount_minor), COUNT(statement_id) FROM transactions WHERE currency = 'EUR'") == [["272815", "4"]])
        #expect(try store.texts("SELECT payee FROM transactions WHERE amount_minor = 438050") == [["Contoso Consulting BV"]])
        // QIF: no currency in the format, so XXX with a warning; the split record keeps its total.
        #expect(try store.texts("SELECT amount_minor FROM transactions WHERE currency = 'XXX' ORDER BY position") == [["-4250"], ["-12000"], ["-23000"], ["150000"]])
    }
}
