// findoc-encoder-bench: sentences per second of the MiniLM encoder at batch 1 and batch 32, and peak memory.
//
//   swift build -c release --product findoc-encoder-bench
//   .build/release/findoc-encoder-bench --ids ../bench-mlenc/phrasebank_ids.jsonl [--batches 32,1] [--runs 5]
//       [--threads 2] [--parallelism split-batch|blas-threads] [--int8]
//   .build/release/findoc-encoder-bench --text ../shared/data/financial_phrasebank/train.tsv [--limit 2000] ...
//   .build/release/findoc-encoder-bench --text FILE.tsv --fine-tune [--limit N] [--batches 32] [--max-length 64]
//       [--rank 8] [--runs 3]   (forward + backward of the LoRA sentence classifier; see FineTuneBench.swift)
//
// The ids file holds one {"text": ..., "ids": [...]} per line (Scripts/reference/tokenize_for_bench.py writes it for
// the sentences ../shared/anchors/encoder_speed.py times). Timed: forward + mean pooling + L2 norm, after one
// warm-up pass, median of --runs passes over all sentences in file order, cut into batches.
//
// With --text FILE (a TSV with a `sentence` column, such as Financial PhraseBank; --limit N keeps the first N rows)
// each batch is tokenised by findoc's BertTokenizer (max 128 tokens) inside the timed pass, as ANCHORS.md's
// encoder figures include tokenisation. --compare-int8 (with --text or --ids) then prints the mean and min cosine
// of the int8 embeddings against the fp32 ones over all the sentences.
import FinDocML
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

struct Line: Decodable {
    let text: String
    let ids: [Int32]
}

func argument(_ name: String) -> String? {
    let all = CommandLine.arguments
    guard let index = all.firstIndex(of: name), index + 1 < all.count else { return nil }
    return all[index + 1]
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data(("findoc-encoder-bench: " + message + "\n").utf8))
    exit(64)
}

let idsPath = argument("--ids")
let textPath = argument("--text")
guard (idsPath == nil) != (textPath == nil) else {
    fail(
        "usage: findoc-encoder-bench (--ids FILE.jsonl | --text FILE.tsv [--limit N]) [--batches 32,1] [--runs 5] "
            + "[--threads 2] [--parallelism P] [--int8] [--compare-int8] [--fixture DIR]")
}
let batches = (argument("--batches") ?? "32,1").split(separator: ",").compactMap { Int($0) }
let runs = Int(argument("--runs") ?? "5") ?? 5
let threads = Int(argument("--threads") ?? "2") ?? 2
let int8 = CommandLine.arguments.contains("--int8")
guard let parallelism = EncoderParallelism(rawValue: argument("--parallelism") ?? "split-batch") else {
    fail("--parallelism expects split-batch or blas-threads")
}

/// The `sentence` column of a tab-separated file with a header row (no quoting, as PhraseBank is written).
func sentences(inTSV path: String, limit: Int?) -> [String] {
    guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
    var rows = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
        .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
    guard !rows.isEmpty else { fail("\(path): empty file") }
    let header = rows.removeFirst().split(separator: "\t", omittingEmptySubsequences: false)
        .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    guard let column = header.firstIndex(of: "sentence") else {
        fail("\(path):1: expected a header with a `sentence` column, found \(header)")
    }
    var out: [String] = []
    for (index, row) in rows.enumerated() {
        let cells = row.split(separator: "\t", omittingEmptySubsequences: false)
        guard column < cells.count else { fail("\(path):\(index + 2): expected \(header.count) tab-separated cells") }
        out.append(String(cells[column]))
    }
    return limit.map { Array(out.prefix($0)) } ?? out
}

let lines: [Line]
if let idsPath {
    do {
        let text = try String(contentsOfFile: idsPath, encoding: .utf8)
        lines = try text.split(separator: "\n").map { try JSONDecoder().decode(Line.self, from: Data($0.utf8)) }
    } catch {
        fail("cannot read \(idsPath): \(error)")
    }
} else {
    lines = sentences(inTSV: textPath ?? "", limit: argument("--limit").flatMap { Int($0) }).map { Line(text: $0, ids: []) }
}

if CommandLine.arguments.contains("--fine-tune") {
    FineTuneBench.run(
        texts: lines.map(\.text), batchSize: batches.first ?? 32, runs: runs, threads: threads,
        maxLength: Int(argument("--max-length") ?? "64") ?? 64, rank: Int(argument("--rank") ?? "8") ?? 8)
    exit(0)
}

let loadStart = Date()
let encoder: MiniLMEncoder
do {
    encoder = try MiniLMEncoder(threads: threads, parallelism: parallelism, int8: int8)
} catch {
    fail("\(error)")
}
let loadSeconds = Date().timeIntervalSince(loadStart)
let tokenizer: BertTokenizer?
do {
    tokenizer = textPath == nil ? nil : try BertTokenizer(modelFolder: encoder.modelDirectory, maxLength: 128)
} catch {
    fail("\(error)")
}
let texts = lines.map(\.text)
// With --text the ids are only needed for the header's mean; the timed passes tokenise again.
let sequences = tokenizer.map { $0.encodeEach(texts).map(\.ids) } ?? lines.map(\.ids)
let tokens = sequences.reduce(0) { $0 + $1.count }
print(
    "# \(sequences.count) sentences, mean \(String(format: "%.1f", Double(tokens) / Double(sequences.count))) ids; "
        + "threads \(threads), \(parallelism.rawValue), \(int8 ? "int8" : "fp32"), "
        + "\(tokenizer == nil ? "ids given (no tokenisation)" : "tokenisation timed"); model load \(String(format: "%.2f", loadSeconds)) s")

func pass(batch: Int) throws -> [[Float]] {
    var out: [[Float]] = []
    out.reserveCapacity(sequences.count)
    var start = 0
    while start < sequences.count {
        let end = min(start + batch, sequences.count)
        let ids = tokenizer.map { $0.encodeEach(Array(texts[start..<end])).map(\.ids) } ?? Array(sequences[start..<end])
        out += try encoder.sentenceEmbeddings(tokenIDs: ids)
        start = end
    }
    return out
}

do {
    for batch in batches {
        _ = try pass(batch: batch)  // warm-up
        var times: [Double] = []
        for _ in 0..<runs {
            let t0 = DispatchTime.now().uptimeNanoseconds
            _ = try pass(batch: batch)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        times.sort()
        let median = times[times.count / 2]
        print(
            "\(int8 ? "int8" : "fp32") batch \(batch): \(String(format: "%.1f", Double(sequences.count) / median)) sentences/s "
                + "(median \(String(format: "%.3f", median)) s of \(runs); runs "
                + times.map { String(format: "%.3f", $0) }.joined(separator: " ") + ")")
    }
} catch {
    fail("\(error)")
}
// --fixture DIR: max |Δ| of the pooled embeddings against the parity fixture's PyTorch values, and their cosine.
if let fixture = argument("--fixture") {
    struct Sentence: Decodable {
        let ids: [Int32]
        let positions: [Int]
    }
    struct Fixture: Decodable { let sentences: [Sentence] }
    do {
        let meta = try JSONDecoder().decode(
            Fixture.self, from: Data(contentsOf: URL(fileURLWithPath: fixture + "/fixture.json")))
        let raw = try Data(contentsOf: URL(fileURLWithPath: fixture + "/expected.f32"))
        let h = encoder.config.hiddenSize
        var offset = 0
        var worst: Float = 0
        var cosines: [Float] = []
        let vectors = try encoder.sentenceEmbeddings(tokenIDs: meta.sentences.map(\.ids))
        for (sentence, vector) in zip(meta.sentences, vectors) {
            offset += sentence.positions.count * h
            let expected: [Float] = raw.withUnsafeBytes { bytes in
                (offset..<(offset + h)).map { bytes.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
            }
            offset += h
            worst = max(worst, zip(vector, expected).map { abs($0 - $1) }.max() ?? 0)
            cosines.append(zip(vector, expected).reduce(0) { $0 + $1.0 * $1.1 })
        }
        print(
            "fixture: pooled max |Δ| \(worst); cosine to PyTorch mean \(cosines.reduce(0, +) / Float(cosines.count)), "
                + "min \(cosines.min() ?? 0)")
    } catch {
        fail("fixture \(fixture): \(error)")
    }
}

// --compare-int8: cosine of int8 against fp32 embeddings of the same sentences (both L2-normalised: a dot product).
if CommandLine.arguments.contains("--compare-int8") {
    do {
        let fp32 = try MiniLMEncoder(threads: threads, parallelism: parallelism, int8: false)
        let quantised = try MiniLMEncoder(threads: threads, parallelism: parallelism, int8: true)
        var cosines: [Float] = []
        var start = 0
        while start < sequences.count {
            let end = min(start + 32, sequences.count)
            let batch = Array(sequences[start..<end])
            let a = try fp32.sentenceEmbeddings(tokenIDs: batch), b = try quantised.sentenceEmbeddings(tokenIDs: batch)
            cosines += zip(a, b).map { pair in zip(pair.0, pair.1).reduce(0) { $0 + $1.0 * $1.1 } }
            start = end
        }
        let mean = cosines.reduce(0, +) / Float(max(1, cosines.count))
        print(
            "int8 vs fp32 over \(cosines.count) sentences: cosine mean \(String(format: "%.5f", mean)), "
                + "min \(String(format: "%.5f", cosines.min() ?? 0)), "
                + "below 0.99: \(cosines.filter { $0 < 0.99 }.count)")
    } catch {
        fail("\(error)")
    }
}

var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
print("peak RSS: \(usage.ru_maxrss / 1024) MB")
