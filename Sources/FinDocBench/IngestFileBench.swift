import FinDocCore
import FinDocPipeline
import FinDocStore
import Foundation

/// `findoc-bench [--dir DIR] --ingest FILE`: one statement file of any format through the whole batch (read, parse,
/// dedup keys, store) into a fresh store under DIR, then prints transactions/s, MB/s, the stored signed sum (to check
/// against a generator's manifest) and peak memory: the end-to-end figure for issue 3's targets.
enum IngestFileBench {
    static func run(path: String, dir: String) -> Int32 {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        let storePath = dir + "/ingest-bench.sqlite"
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: storePath + suffix) }
            let store = try Store.open(path: storePath)
            let start = DispatchTime.now().uptimeNanoseconds
            let report = BatchIngester(options: IngestOptions()).run(paths: [path], store: store)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            for file in report.files {
                for diagnostic in file.diagnostics where diagnostic.severity != .note {
                    FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
                }
            }
            let sum = CollectingSum()
            try store.readOnlyQuery("SELECT COALESCE(SUM(amount_minor), 0) FROM transactions", into: sum)
            print(
                String(
                    format: "ingest %@: %d transactions stored, %.1f MB in %.2f s: %.0f transactions/s, %.1f MB/s, "
                        + "sum of amount_minor %@, peak RSS %d MB", (path as NSString).lastPathComponent,
                    report.stored, Double(size) / 1e6, seconds, Double(report.stored) / seconds,
                    Double(size) / 1e6 / seconds, sum.value, PeakMemory.megabytes()))
            return report.failedFiles.isEmpty ? 0 : 1
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            return 1
        }
    }

    /// Keeps the single cell of a one-row query, as text.
    private final class CollectingSum: RowSink {
        var value = ""
        func begin(columns: [String]) throws {}
        func row(_ cells: [Cell]) throws { value = cells.first?.text ?? "" }
        func end() throws {}
    }
}
