import FinDocCore
import FinDocPipeline
import FinDocStore
import Foundation
import Testing

/// The acceptance check on real data: every data row of the Birmingham purchase-card exports is stored, exact to
/// the penny, with its merchant text and expense category, and a second run adds nothing.
///
/// The truth is computed here independently of findoc's CSV reader: these files have no quotes, so a line split on
/// `;` is a record; the amount column (BILLING GROSS AMT, else ORIGINAL GROSS AMT in the Dec-2016 file) is summed
/// with integer arithmetic after removing thousands commas.
@Suite(.enabled(if: FileManager.default.fileExists(atPath: sharedData + "/txn_birmingham_pcard"),
    "needs ../shared/data/txn_birmingham_pcard beside the repository"))
struct BirminghamTests {
    let folder = sharedData + "/txn_birmingham_pcard"

    struct Truth {
        var rows = 0
        var pence: Int64 = 0
        var categories: [String: Int] = [:]
    }

    func independentTruth() throws -> Truth {
        var truth = Truth()
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".csv") {
            let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
            // Latin-1 decoding keeps every byte; the columns used here are ASCII.
            let text = String(decoding: data.map { $0 < 0x80 ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
            let header = lines[0].split(separator: ";", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let amountColumn = header.firstIndex(of: "BILLING GROSS AMT") ?? header.firstIndex(of: "ORIGINAL GROSS AMT")!
            let categoryColumn = header.firstIndex(of: "TRANS CAC DESC 1")!
            for line in lines.dropFirst() {
                let cells = line.split(separator: ";", omittingEmptySubsequences: false)
                if cells.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
                truth.rows += 1
                let amount = cells[amountColumn].replacingOccurrences(of: ",", with: "")
                let negative = amount.hasPrefix("-")
                let parts = amount.trimmingCharacters(in: CharacterSet(charactersIn: "-")).split(separator: ".")
                let pence = Int64(parts[0])! * 100 + Int64(parts.count > 1 ? parts[1] : "0")!
                truth.pence += negative ? -pence : pence
                truth.categories[String(cells[categoryColumn]), default: 0] += 1
            }
        }
        return truth
    }

    @Test func everyRowStoredExactlyOnce() throws {
        let truth = try independentTruth()
        #expect(truth.rows == 37_133)  // 37,134 csv rows, one of them all-empty (201705, line 5257)
        let dir = try TemporaryDirectory()
        let store = try Store.open(path: dir.file("s.sqlite"))
        let first = BatchIngester(options: IngestOptions()).run(paths: [folder], store: store)
        #expect(first.failedFiles.isEmpty, "\(first.failedFiles.map { ($0.path, $0.diagnostics.prefix(3)) })")
        #expect(first.stored == truth.rows)
        #expect(try store.integer("SELECT COUNT(*) FROM transactions") == Int64(truth.rows))
        // Purchases are positive in the export and stored as money out (negative): the profile flips the sign.
        #expect(try store.integer("SELECT SUM(amount_minor) FROM transactions") == -truth.pence)
        #expect(try store.integer("SELECT COUNT(DISTINCT currency) FROM transactions") == 1)
        let categories = try store.texts("SELECT COALESCE(source_category, ''), COUNT(*) FROM transactions GROUP BY 1")
        #expect(Dictionary(uniqueKeysWithValues: categories.map { ($0[0], Int($0[1]) ?? -1) }) == truth.categories)
        // The merchant text and every raw column are kept.
        let shell = try store.texts(
            "SELECT description, json_extract(raw_fields, '$.\"MERCHANT NAME\"'), json_extract(raw_fields, '$.\"TRANS CAC CODE 1\"') FROM transactions WHERE description = 'shell kings 587' LIMIT 1")
        #expect(shell == [["shell kings 587", "shell kings 587", "K020"]])
        // The two rows that two monthly files both report are kept and flagged, not dropped.
        #expect(first.possibleDuplicates == 2)

        let second = BatchIngester(options: IngestOptions()).run(paths: [folder], store: store)
        #expect(second.stored == 0)
        #expect(second.alreadyIngested == 9)
        #expect(try store.integer("SELECT COUNT(*) FROM transactions") == Int64(truth.rows))
    }
}
