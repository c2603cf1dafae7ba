// findoc-bench: end-to-end throughput of CSV ingest and export on generated Birmingham-shaped files.
//
// Not a test: it prints figures for the closing notes of issues. Usage:
//   findoc-bench [--rows N] [--files K] [--dir DIR] [--generate-only]
//   findoc-bench --camt-stream FILE      (streaming camt parse only; see CAMTStreamBench.swift)
//   findoc-bench [--dir DIR] --ingest FILE (one file of any format end to end into a fresh store; IngestFileBench.swift)
//   findoc-bench --sha256 FILE           (SHA256 MB/s beside sha256sum; see SHA256Bench.swift)
//   findoc-bench tokenizer [--data FILE.tsv] [--repeats N]   (see TokenizerBenchmark.swift)
// It writes K files with N rows in all under DIR (default ./bench-out), ingests them into a fresh store there,
// exports the transactions to CSV and JSON Lines, and prints rows/s and peak memory.
import FinDocCore
import FinDocIngest
import FinDocPipeline
import FinDocStore
import Foundation

if CommandLine.arguments.dropFirst().first == "tokenizer" {
    exit(TokenizerBenchmark.run(Array(CommandLine.arguments.dropFirst(2))))
}

var rows = 200_000
var files = 1
var dir = "bench-out"
var generateOnly = false
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--rows": rows = Int(arguments.popFirst() ?? "") ?? rows
    case "--files": files = max(1, Int(arguments.popFirst() ?? "") ?? files)
    case "--dir": dir = arguments.popFirst() ?? dir
    case "--generate-only": generateOnly = true
    case "--camt-stream": exit(CAMTStreamBench.run(path: arguments.popFirst() ?? ""))
    case "--ingest": exit(IngestFileBench.run(path: arguments.popFirst() ?? "", dir: dir))
    case "--sha256": exit(SHA256Bench.run(path: arguments.popFirst() ?? ""))
    default:
        FileHandle.standardError.write(Data("usage: findoc-bench [--rows N] [--files K] [--dir DIR] [--generate-only]\n".utf8))
        exit(64)
    }
}

try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
let paths = BenchData.write(rows: rows, files: files, into: dir)
let bytes = paths.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) }
print("generated \(rows) rows in \(files) file(s), \(String(format: "%.1f", Double(bytes) / 1e6)) MB under \(dir)")
if generateOnly { exit(0) }

let storePath = dir + "/bench.sqlite"
for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: storePath + suffix) }
let store = try Store.open(path: storePath)

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// CPU seconds this process has used (all threads): beside wall time, a figure that shared cores disturb less.
func cpuSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

var report = BatchReport()
let ingestCPUStart = cpuSeconds()
let ingestSeconds = seconds { report = BatchIngester(options: IngestOptions()).run(paths: paths, store: store) }
let ingestCPU = cpuSeconds() - ingestCPUStart
guard report.stored == rows, report.failedFiles.isEmpty else {
    print("error: stored \(report.stored) of \(rows) rows; failures: \(report.failedFiles.map(\.path))")
    exit(1)
}
func rate(_ count: Int, _ seconds: Double) -> String { String(format: "%8.0f rows/s  (%.2f s)", Double(count) / seconds, seconds) }
print("ingest  (read, parse, dedup keys, store; fresh store):  " + rate(rows, ingestSeconds)
    + String(format: "  cpu %.2f s", ingestCPU))

// The same work again, phase by phase, into a second fresh store, to see where the time goes.
let phaseStorePath = dir + "/bench-phases.sqlite"
for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: phaseStorePath + suffix) }
let phaseStore = try Store.open(path: phaseStorePath)
var phases: [String: Double] = [:]
var storeCPU = 0.0
for path in paths {
    var bytes: [UInt8] = []
    phases["read file", default: 0] += seconds { bytes = [UInt8]((try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()) }
    var sha = ""
    phases["sha256", default: 0] += seconds { sha = SHA256.hex(of: bytes) }
    var document = StatementDocument(format: .csv)
    phases["parse csv", default: 0] += seconds { document = CSVStatementIngestor().read(bytes, path: path) }
    var keys: [String] = []
    phases["dedup keys", default: 0] += seconds { keys = DedupKey.keys(for: document.transactions) }
    var json: [String] = []
    phases["raw-field JSON", default: 0] += seconds {
        var encoder = RawFieldsEncoder()
        json = document.transactions.map { encoder.encode($0.rawFields) }
    }
    var item = DocumentImport(sha256: sha, path: path, sizeBytes: bytes.count, format: .csv, document: document, dedupKeys: keys)
    item.rawFieldsJSON = json
    let storeCPUStart = cpuSeconds()
    phases["store (one transaction)", default: 0] += try seconds { _ = try phaseStore.importDocument(item) }
    storeCPU += cpuSeconds() - storeCPUStart
}
for (name, value) in phases.sorted(by: { $0.value > $1.value }) {
    let cpu = name.hasPrefix("store") ? String(format: "  cpu %.2f s", storeCPU) : ""
    print("  phase \(name.padding(toLength: 24, withPad: " ", startingAt: 0)) " + rate(rows, value) + cpu)
}

for (name, make) in [("csv", { (o: TextOutput) -> RowSink in CSVWriter(output: o) }), ("jsonl", { JSONLinesWriter(output: $0) })] {
    let out = dir + "/export." + name
    var count = 0
    let exportSeconds = try seconds {
        let output = try TextOutput.file(atPath: out)
        count = try store.transactions(matching: TransactionFilter(), into: make(output))
        try output.finish()
    }
    print("export \(name.padding(toLength: 5, withPad: " ", startingAt: 0)) (all columns):                          " + rate(count, exportSeconds))
}

let again = BatchIngester(options: IngestOptions()).run(paths: paths, store: store)
print("re-run: \(again.stored) rows stored, \(again.alreadyIngested) file(s) recognised as already ingested")
print("peak RSS: \(PeakMemory.megabytes()) MB")

/// Deterministic Birmingham-shaped purchase-card rows: same columns, dd/mm/yy dates, thousands separators.
enum BenchData {
    static let header =
        "TRANS DATE;TRANS VAT DESC;ORIGINAL GROSS AMT;ORIGINAL CUR;BILLING GROSS AMT;BILLING CUR CODE;MERCHANT NAME;"
        + "CARD NUMBER;TRANS CAC CODE 1;TRANS CAC DESC 1;TRANS CAC CODE 2;TRANS CAC DESC 2;TRANS CAC CODE 3;Directorate"
    static let merchants = [
        "shell kings 587", "tesco pfs 3953", "amazon uk marketpla", "hmcourts-service.g", "malthurst petroleu",
        "travelodge gb0000", "asda superstore 4", "post office counter", "www.electricaldirect.c", "premier inn 44",
    ]
    static let categories = [
        ("K020", "Vehicle Fuel"), ("L100", "Equip Operational"), ("L450", "Purchases Food"), ("J310", "Other Fix&Fittings"),
        ("K210", "Travel Bus/Rail"), ("M100", "Books"),
    ]

    static func write(rows: Int, files: Int, into dir: String) -> [String] {
        var paths: [String] = []
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        let perFile = (rows + files - 1) / files
        var written = 0
        for fileIndex in 0..<files {
            var text = header + "\n"
            let count = min(perFile, rows - written)
            for row in 0..<count {
                let global = written + row
                let day = 1 + Int(next() % 28), month = 1 + (global / 20_000) % 12, year = 17 + global / 240_000
                let pence = Int(next() % 250_000) - 5_000
                let amount = Money.format(minorUnits: Int64(pence), digits: 2)
                let shown = abs(pence) >= 100_000 ? amount.replacingOccurrences(of: "(\\d)(\\d{3})\\.", with: "$1,$2.", options: .regularExpression) : amount
                let merchant = merchants[Int(next() % UInt64(merchants.count))] + " \(global % 997)"
                let (code, category) = categories[Int(next() % UInt64(categories.count))]
                let card = String(format: "************%04d", Int(next() % 9000) + 1000)
                text += String(format: "%02d/%02d/%02d", day, month, year)
                text += ";VR;\(shown);GBP;\(shown);GBP;\(merchant);\(card);\(code);\(category);RV12N;Site \(global % 50);A00;Directorate \(global % 7)\n"
            }
            written += count
            let path = dir + String(format: "/pcard-%03d.csv", fileIndex)
            _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
            paths.append(path)
        }
        return paths
    }
}

/// Peak resident memory of this process (VmHWM), in MB.
enum PeakMemory {
    static func megabytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let digits = line.filter(\.isNumber)
            return (Int(digits) ?? 0) / 1024
        }
        return -1
    }
}
