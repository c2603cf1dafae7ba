import FinDocCore
import FinDocIngest
import Foundation

/// `findoc-bench --camt-stream FILE`: streams a camt file from disk through `CAMTStatementIngestor.stream`, keeping
/// no transaction, and prints MB/s, transactions/s, the signed sum (to check against gen_big.py's MANIFEST.json)
/// and peak memory: the flat-memory parse, without the store.
enum CAMTStreamBench {
    static func run(path: String) -> Int32 {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        var count = 0
        var sum: Int64 = 0
        var digits = 2
        let start = DispatchTime.now().uptimeNanoseconds
        let document = CAMTStatementIngestor().stream(fileAt: path) { transaction in
            count += 1
            sum &+= transaction.amount.minorUnits
            digits = transaction.amount.currency.minorUnitDigits
            return true
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        for diagnostic in document.diagnostics where diagnostic.severity != .note {
            FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
        }
        print(
            String(
                format: "camt stream: %d transactions, sum %@, %.1f MB in %.2f s: %.1f MB/s, %.0f transactions/s, "
                    + "peak RSS %d MB", count, Money.format(minorUnits: sum, digits: digits), Double(size) / 1e6,
                seconds, Double(size) / 1e6 / seconds, Double(count) / seconds, PeakMemory.megabytes()))
        return document.hasErrors ? 1 : 0
    }
}
