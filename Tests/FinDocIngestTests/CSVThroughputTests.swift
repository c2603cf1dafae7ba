import FinDocCore
import Testing

@testable import FinDocIngest

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Throughput on a generated 200,000-row Birmingham-shaped file; prints rows per second. Not a correctness test:
/// enabled with FINDOC_PERF=1 (numbers only mean something in a release build).
@Suite struct CSVThroughputTests {
    static let enabled = getenv("FINDOC_PERF") != nil

    static func birminghamShaped(rows: Int) -> [UInt8] {
        var text = "TRANS DATE;TRANS VAT DESC;ORIGINAL GROSS AMT;ORIGINAL CUR;BILLING GROSS AMT;BILLING CUR CODE;"
            + "MERCHANT NAME;CARD NUMBER;TRANS CAC CODE 1;TRANS CAC DESC 1;TRANS CAC CODE 2;TRANS CAC DESC 2;"
            + "TRANS CAC CODE 3;Directorate\n"
        let merchants = ["shell kings 587", "tesco pfs 4203", "amazon uk marketpla", "hmcourts-service.g", "asda superstore"]
        let categories = ["Vehicle Fuel", "Equip Operational", "Purchases Food", "Books", "Other Third Parties"]
        for i in 0..<rows {
            let pence = (i * 7919) % 250_000 + 1
            let amount = pence >= 100_000
                ? "\(pence / 100_000),\(String(pence / 100 % 1000).leftPadded(3)).\(String(pence % 100).leftPadded(2))"
                : "\(pence / 100).\(String(pence % 100).leftPadded(2))"
            let day = String(i % 28 + 1).leftPadded(2)
            text += "\(day)/05/17;VR;\(amount);GBP;\(amount);GBP;\(merchants[i % 5]);************\(5770 + i % 100);"
                + "K020;\(categories[i % 5]);RV12N;Elders Group - Ladywood;A00;Adult & Communities\n"
        }
        return Array(text.utf8)
    }


    @Test(.enabled(if: enabled, "set FINDOC_PERF=1 to measure throughput"))
    func throughput() {
        let rows = 200_000
        let bytes = Self.birminghamShaped(rows: rows)
        var records = 0
        var best = Int.max
        for _ in 0..<3 {
            best = min(best, TestSupport.nanoseconds {
                records = bytes.withUnsafeBufferPointer { p in
                    var tokenizer = CSVTokenizer(delimiter: UInt8(ascii: ";"))
                    var fields: [CSVFieldRange] = []
                    var count = 0
                    while tokenizer.next(p, fields: &fields) != nil { count += 1 }
                    return count
                }
            })
        }
        print("tokenizer: \(records) records, \(records * 1_000_000_000 / best) rows/s, \(bytes.count * 1000 / best) MB/s")
        var document = StatementDocument(format: .csv)
        best = .max
        for _ in 0..<3 {
            document = StatementDocument(format: .csv)  // free the previous result outside the timed part
            best = min(best, TestSupport.nanoseconds { document = CSVStatementIngestor().read(bytes, path: "perf.csv") })
        }
        print("read: \(document.transactions.count) transactions, \(rows * 1_000_000_000 / best) rows/s")
        #expect(document.transactions.count == rows)
        #expect(records == rows + 1)
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
