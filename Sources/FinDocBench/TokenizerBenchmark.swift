// findoc-bench tokenizer: WordPiece throughput of FinDocML's BertTokenizer on the Financial PhraseBank training
// sentences (or any TSV whose first column is text), for Scripts/reference/bench_tokenizer.sh, which times the
// reference tokenizers on the same sentences in the same run.
import FinDocML
import Foundation

/// The `tokenizer` mode of findoc-bench.
enum TokenizerBenchmark {
    /// Runs the benchmark; returns the exit status.
    static func run(_ arguments: [String]) -> Int32 {
        var data = "../shared/data/financial_phrasebank/train.tsv"
        var repeats = 5
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--data": data = rest.popFirst() ?? data
            case "--repeats": repeats = max(1, Int(rest.popFirst() ?? "") ?? repeats)
            default:
                FileHandle.standardError.write(Data("usage: findoc-bench tokenizer [--data FILE.tsv] [--repeats N]\n".utf8))
                return 64
            }
        }
        guard let bytes = FileManager.default.contents(atPath: data) else {
            FileHandle.standardError.write(Data("error: cannot read \(data)\n".utf8))
            return 1
        }
        // First tab-separated field of every line after the header.
        let sentences = String(decoding: bytes, as: UTF8.self).split(separator: "\n").dropFirst()
            .map { String($0.split(separator: "\t", omittingEmptySubsequences: false)[0]) }
        let tokenizer: BertTokenizer
        let loadStart = DispatchTime.now().uptimeNanoseconds
        do {
            tokenizer = try BertTokenizer.installed()
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            return 1
        }
        let loadSeconds = Double(DispatchTime.now().uptimeNanoseconds - loadStart) / 1e9
        let tokens = sentences.reduce(0) { $0 + tokenizer.encode($1, maxLength: 100_000).ids.count - 2 }
        print("findoc BertTokenizer: \(sentences.count) sentences, \(tokens) WordPiece tokens (no [CLS]/[SEP]), vocab load \(String(format: "%.1f", loadSeconds * 1000)) ms")

        func best(_ body: () -> Int) -> Double {
            var best = Double.infinity
            var sink = 0
            for _ in 0..<repeats {
                let start = DispatchTime.now().uptimeNanoseconds
                sink &+= body()
                best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            if sink == -1 { print(sink) }  // keeps the work observable
            return best
        }
        func report(_ name: String, _ seconds: Double) {
            let figures = String(
                format: "%10.0f sentences/s %12.0f tokens/s  (%.3f s per pass, best of %d)", Double(sentences.count) / seconds,
                Double(tokens) / seconds, seconds, repeats)
            print("  " + name.padding(toLength: 58, withPad: " ", startingAt: 0) + " " + figures)
        }
        _ = sentences.map { tokenizer.encode($0, maxLength: 100_000) }  // warm-up
        report("findoc encode one by one, no truncation (1 thread)", best { sentences.reduce(0) { $0 + tokenizer.encode($1, maxLength: 100_000).ids.count } })
        report("findoc encode batches of 32, max 128, padded (1 thread)", best {
            stride(from: 0, to: sentences.count, by: 32).reduce(0) { total, start in
                total + tokenizer.encode(Array(sentences[start..<min(start + 32, sentences.count)])).sequenceLength
            }
        })
        report("findoc encodeEach all sentences, max 128 (all cores)", best {
            tokenizer.encodeEach(sentences, parallelThreshold: 256).reduce(0) { $0 + $1.ids.count }
        })
        return 0
    }
}
