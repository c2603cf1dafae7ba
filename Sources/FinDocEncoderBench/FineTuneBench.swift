import Dispatch
import FinDocML
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `--fine-tune`: forward + backward speed of the LoRA sentence classifier (what one training step costs before the
/// optimiser), on the sentences of `--text`, tokenised once to at most `--max-length` (64) tokens, in file order, cut
/// into batches of `--batches` (first value, 32). Labels are `index mod 3` (speed does not depend on them). Timed:
/// `accumulateGradients` per batch, after one warm-up batch; reported: median seconds per batch and tokens/s over
/// all batches of each of `--runs` passes (median pass), and the process's CPU seconds per batch.
enum FineTuneBench {
    /// User + system CPU time of the process so far: on a shared machine, a figure the other load barely moves.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    static func run(texts: [String], batchSize: Int, runs: Int, threads: Int, maxLength: Int, rank: Int) {
        let folder = BaseModel.folder(in: .resolve())
        let model: MiniLMSequenceClassifier
        let tokenizer: BertTokenizer
        do {
            model = try MiniLMSequenceClassifier(
                modelDirectory: folder, labelCount: 3,
                options: FineTuningOptions(method: .lora(LoRAConfiguration(rank: rank))), seed: 1, threads: threads)
            tokenizer = try BertTokenizer(modelFolder: folder, maxLength: maxLength)
        } catch {
            fail("\(error)")
        }
        let examples = tokenizer.encodeEach(texts).enumerated().map { index, text in
            SequenceClassificationExample(tokenIDs: text.ids, label: index % 3)
        }
        let batches = stride(from: 0, to: examples.count, by: batchSize).map {
            Array(examples[$0..<min($0 + batchSize, examples.count)])
        }
        let tokens = examples.reduce(0) { $0 + $1.tokenIDs.count }
        let trainable = model.trainableParameters.reduce(0) { $0 + $1.values.count }
        print(
            "# fine-tune: \(examples.count) sentences, \(batches.count) batches of \(batchSize), max length "
                + "\(maxLength), mean \(String(format: "%.1f", Double(tokens) / Double(max(1, examples.count)))) tokens; "
                + "LoRA rank \(rank) on 4 projections, \(trainable) trainable values; \(threads) workers")
        guard let first = batches.first else { fail("no sentences") }
        _ = model.accumulateGradients(batch: first, dropoutSeed: 0)  // warm-up
        var passes: [(seconds: Double, perBatch: [Double], cpu: Double)] = []
        for run in 0..<runs {
            let cpuStart = cpuSeconds()
            var perBatch: [Double] = []
            for (index, batch) in batches.enumerated() {
                for parameter in model.trainableParameters { parameter.zeroGradients() }
                let t0 = DispatchTime.now().uptimeNanoseconds
                _ = model.accumulateGradients(batch: batch, dropoutSeed: UInt64(run * 100_000 + index))
                perBatch.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            }
            passes.append((perBatch.reduce(0, +), perBatch, cpuSeconds() - cpuStart))
        }
        passes.sort { $0.seconds < $1.seconds }
        let median = passes[passes.count / 2]
        let sortedBatches = median.perBatch.sorted()
        print(
            "fine-tune forward+backward: \(String(format: "%.0f", Double(tokens) / median.seconds)) tokens/s, "
                + "\(String(format: "%.1f", Double(examples.count) / median.seconds)) sentences/s; "
                + "median \(String(format: "%.3f", sortedBatches[sortedBatches.count / 2])) s per batch of \(batchSize); "
                + "CPU \(String(format: "%.3f", median.cpu / Double(batches.count))) s per batch (user + system, all "
                + "threads); pass \(String(format: "%.2f", median.seconds)) s (median of \(runs): "
                + passes.map { String(format: "%.2f", $0.seconds) }.joined(separator: " ") + ")")
        inference(model: model, batches: batches.map { $0.map(\.tokenIDs) }, threads: threads)
    }

    /// Inference speed after merging: the merged encoder's last hidden states next to the base encoder's, over the
    /// same batches (ids given, no tokenisation), one pass each after a warm-up batch.
    static func inference(model: MiniLMSequenceClassifier, batches: [[[Int32]]], threads: Int) {
        do {
            let merged = model.mergedEncoder(threads: threads)
            let base = try MiniLMEncoder(threads: threads)
            let count = batches.reduce(0) { $0 + $1.count }
            for (name, encoder) in [("merged", merged), ("base", base)] {
                guard let first = batches.first else { return }
                _ = try encoder.lastHiddenStates(tokenIDs: first)
                let t0 = DispatchTime.now().uptimeNanoseconds
                for batch in batches { _ = try encoder.lastHiddenStates(tokenIDs: batch) }
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
                print(
                    "inference, \(name) encoder: \(String(format: "%.1f", Double(count) / seconds)) sentences/s "
                        + "(\(String(format: "%.2f", seconds)) s, batches as above)")
            }
        } catch {
            fail("\(error)")
        }
    }
}
