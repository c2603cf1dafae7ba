// findoc-encoder-bench: sentences per second of the MiniLM encoder at batch 1 and batch 32, and peak memory.
//
//   swift build -c release --product findoc-encoder-bench
//   .build/release/findoc-encoder-bench --ids ../bench-mlenc/phrasebank_ids.jsonl [--batches 32,1] [--runs 5]
//       [--threads 2] [--parallelism split-batch|blas-threads] [--int8]
//
// The ids file holds one {"text": ..., "ids": [...]} per line (Scripts/reference/tokenize_for_bench.py writes it for
// the sentences ../shared/anchors/encoder_speed.py times). Timed: forward + mean pooling + L2 norm, after one
// warm-up pass, median of --runs passes over all sentences in file order, cut into batches. Tokenisation is not
// included; the ids script prints the reference tokenizer's cost to add.
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

guard let idsPath = argument("--ids") else {
    fail("usage: findoc-encoder-bench --ids FILE.jsonl [--batches 32,1] [--runs 5] [--threads 2] [--parallelism P]")
}
let batches = (argument("--batches") ?? "32,1").split(separator: ",").compactMap { Int($0) }
let runs = Int(argument("--runs") ?? "5") ?? 5
let threads = Int(argument("--threads") ?? "2") ?? 2
let int8 = CommandLine.arguments.contains("--int8")
guard let parallelism = EncoderParallelism(rawValue: argument("--parallelism") ?? "split-batch") else {
    fail("--parallelism expects split-batch or blas-threads")
}

let lines: [Line]
do {
    let text = try String(contentsOfFile: idsPath, encoding: .utf8)
    lines = try text.split(separator: "\n").map { try JSONDecoder().decode(Line.self, from: Data($0.utf8)) }
} catch {
    fail("cannot read \(idsPath): \(error)")
}
let sequences = lines.map(\.ids)
let tokens = sequences.reduce(0) { $0 + $1.count }

let loadStart = Date()
let encoder: MiniLMEncoder
do {
    encoder = try MiniLMEncoder(threads: threads, parallelism: parallelism, int8: int8)
} catch {
    fail("\(error)")
}
let loadSeconds = Date().timeIntervalSince(loadStart)
print(
    "# \(sequences.count) sentences, mean \(String(format: "%.1f", Double(tokens) / Double(sequences.count))) ids; "
        + "threads \(threads), \(parallelism.rawValue), \(int8 ? "int8" : "fp32"); model load \(String(format: "%.2f", loadSeconds)) s")

func pass(batch: Int) throws -> [[Float]] {
    var out: [[Float]] = []
    out.reserveCapacity(sequences.count)
    var start = 0
    while start < sequences.count {
        let end = min(start + batch, sequences.count)
        out += try encoder.sentenceEmbeddings(tokenIDs: Array(sequences[start..<end]))
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

var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
print("peak RSS: \(usage.ru_maxrss / 1024) MB")
