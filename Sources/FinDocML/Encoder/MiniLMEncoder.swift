import Dispatch
import Foundation

/// The all-MiniLM-L6-v2 sentence encoder (BERT architecture) run in Swift: token ids in, last hidden states or
/// mean-pooled, L2-normalised sentence embeddings out, matching the PyTorch reference within 1e-4.
///
/// Matrix products go through OpenBLAS; the rest are plain loops over contiguous floats. A batch is spread over
/// `threads` workers, each running its own forward pass over a share of the sequences with single-threaded BLAS;
/// a single sequence runs on one thread too (faster at batch 1, see `run`). Sequences are packed without padding (see
/// `MiniLMForwardPass`), so mixing short and long sentences in one batch costs nothing extra.
///
/// Non-goals: token-type (segment B) inputs, gradients (the fine-tuning runtime adds them), and GPUs.
///
/// ```swift
/// let encoder = try MiniLMEncoder(modelDirectory: BaseModel.folder(in: .resolve()))
/// let vectors = try encoder.sentenceEmbeddings(tokenIDs: [[101, 7632, 102]])   // [[384 floats]]
/// ```
public final class MiniLMEncoder: Sendable {
    /// The architecture read from `config.json`.
    public let config: MiniLMConfig
    /// Threads per call (default 2, the machine's cores).
    public let threads: Int
    /// How those threads are used.
    public let parallelism: EncoderParallelism
    /// The folder the model was loaded from.
    public let modelDirectory: URL

    /// The fp32 weights (fine-tuned models start from them without reading the file again).
    let weights: MiniLMWeights
    private let quantized: [MiniLMQuantizedLayer]?
    /// True when the linear layers run in int8 (`int8: true` at load).
    public var usesInt8: Bool { quantized != nil }
    /// Tokens per forward pass at most, which bounds scratch memory (about 12 KB per token).
    private let tokensPerPass = 4096

    /// Loads `config.json` and `model.safetensors` from `modelDirectory`.
    ///
    /// A missing or truncated model throws `EncoderError.modelNotInstalled`, whose message says how to install it.
    ///
    /// With `int8`, every linear layer's weights are quantised per output channel at load and its inputs per row
    /// at run time (attention products, LayerNorm and GELU stay float); embeddings then differ slightly from the
    /// reference (mean cosine ≥ 0.99 on the parity fixture, checked by a test).
    public init(
        modelDirectory: URL, threads: Int = 2, parallelism: EncoderParallelism = .splitBatch, int8: Bool = false
    ) throws(EncoderError) {
        try BaseModel.checkPresent(folder: modelDirectory)
        let config = try MiniLMConfig.load(from: modelDirectory.appendingPathComponent("config.json"))
        do {
            let file = try SafetensorsFile(path: modelDirectory.appendingPathComponent("model.safetensors").path)
            weights = try MiniLMWeights(file: file, config: config)
        } catch {
            throw .badWeights(error)
        }
        self.config = config
        let loaded = weights
        quantized = int8 ? loaded.layers.map { MiniLMQuantizedLayer($0, config: config) } : nil
        self.threads = max(1, threads)
        self.parallelism = parallelism
        self.modelDirectory = modelDirectory
    }

    /// An encoder over weights already in memory (fine-tuned weights with adapters merged), recorded as coming from
    /// `modelDirectory` (the base model they were trained from).
    init(
        config: MiniLMConfig, weights: MiniLMWeights, modelDirectory: URL, threads: Int = 2,
        parallelism: EncoderParallelism = .splitBatch, int8: Bool = false
    ) {
        self.config = config
        self.weights = weights
        quantized = int8 ? weights.layers.map { MiniLMQuantizedLayer($0, config: config) } : nil
        self.threads = max(1, threads)
        self.parallelism = parallelism
        self.modelDirectory = modelDirectory
    }

    /// Loads the installed base model from the models directory (`FINDOC_MODELS` or the user cache).
    public convenience init(
        models: ModelsDirectory = .resolve(), threads: Int = 2, parallelism: EncoderParallelism = .splitBatch,
        int8: Bool = false
    ) throws(EncoderError) {
        try self.init(
            modelDirectory: BaseModel.folder(in: models), threads: threads, parallelism: parallelism, int8: int8)
    }

    /// The last hidden state of each sequence: for sequence `s`, `tokenIDs[s].count × hiddenSize` floats, row by
    /// row. Every sequence must hold 1…`maxPositions` ids below the vocabulary size.
    public func lastHiddenStates(tokenIDs: [[Int32]]) throws(EncoderError) -> [[Float]] {
        try validate(tokenIDs)
        let h = config.hiddenSize
        var outputs = tokenIDs.map { [Float](repeating: 0, count: $0.count * h) }
        let plan = schedule(tokenIDs)
        run(plan: plan, tokenIDs: tokenIDs, outputs: &outputs)
        return outputs
    }

    /// The last hidden state of a padded batch: `ids[b]` and `attentionMask[b]` have one length `L`; the result
    /// is `B × L × hiddenSize` floats, zero at masked positions. Only positions whose mask is 1 are encoded; for
    /// them the values equal the reference's on the same padded batch.
    public func encode(ids: [[Int32]], attentionMask: [[Int32]]) throws(EncoderError) -> EncoderHiddenStates {
        let (packed, positions) = try unpad(ids: ids, attentionMask: attentionMask)
        let length = ids.first?.count ?? 0
        let h = config.hiddenSize
        let states = try lastHiddenStates(tokenIDs: packed)
        var values = [Float](repeating: 0, count: ids.count * length * h)
        for (b, state) in states.enumerated() {
            for (row, position) in positions[b].enumerated() {
                let target = (b * length + position) * h
                values.replaceSubrange(target..<(target + h), with: state[(row * h)..<((row + 1) * h)])
            }
        }
        return EncoderHiddenStates(values: values, batchSize: ids.count, sequenceLength: length, hiddenSize: h)
    }

    /// Sentence embeddings: the mean of each sequence's last hidden states, L2-normalised (sentence-transformers'
    /// `Pooling(mean)` + `Normalize`), one `hiddenSize` vector per sequence.
    public func sentenceEmbeddings(tokenIDs: [[Int32]]) throws(EncoderError) -> [[Float]] {
        let h = config.hiddenSize
        return try lastHiddenStates(tokenIDs: tokenIDs).map { MeanPooling.pooledAndNormalized($0, width: h) }
    }

    /// Sentence embeddings of a padded batch with its attention mask (see `encode(ids:attentionMask:)`).
    public func sentenceEmbeddings(ids: [[Int32]], attentionMask: [[Int32]]) throws(EncoderError) -> [[Float]] {
        let (packed, _) = try unpad(ids: ids, attentionMask: attentionMask)
        return try sentenceEmbeddings(tokenIDs: packed)
    }

    // MARK: - Inputs

    /// Keeps the ids whose mask is 1, and remembers their positions.
    ///
    /// BERT's position ids count every slot, masked or not, so a mask with holes would shift positions; findoc's
    /// tokenizer pads only at the end, and anything else is refused rather than silently encoded differently.
    private func unpad(ids: [[Int32]], attentionMask: [[Int32]]) throws(EncoderError) -> ([[Int32]], [[Int]]) {
        guard ids.count == attentionMask.count else {
            throw .badInput("\(ids.count) id rows but \(attentionMask.count) mask rows")
        }
        let length = ids.first?.count ?? 0
        var packed: [[Int32]] = []
        var positions: [[Int]] = []
        for (b, row) in ids.enumerated() {
            let mask = attentionMask[b]
            guard row.count == length, mask.count == length else {
                throw .badInput("row \(b) has \(row.count) ids and \(mask.count) mask values; every row needs \(length)")
            }
            let kept = mask.firstIndex(of: 0) ?? length
            guard mask[kept...].allSatisfy({ $0 == 0 }), mask[..<kept].allSatisfy({ $0 == 1 }) else {
                throw .badInput("row \(b): the attention mask must be 1s followed by 0s (padding at the end)")
            }
            packed.append(Array(row[..<kept]))
            positions.append(Array(0..<kept))
        }
        return (packed, positions)
    }

    private func validate(_ tokenIDs: [[Int32]]) throws(EncoderError) {
        for (index, sequence) in tokenIDs.enumerated() {
            guard !sequence.isEmpty else { throw .badInput("sequence \(index) is empty (it needs at least [CLS])") }
            guard sequence.count <= config.maxPositions else {
                throw .badInput(
                    "sequence \(index) has \(sequence.count) tokens; the model takes at most \(config.maxPositions)")
            }
            if let bad = sequence.first(where: { $0 < 0 || Int($0) >= config.vocabularySize }) {
                throw .badInput(
                    "sequence \(index) holds token id \(bad), outside the vocabulary of \(config.vocabularySize)")
            }
        }
    }

    // MARK: - Scheduling

    /// Which sequences each worker encodes, in passes of at most `tokensPerPass` tokens.
    private func schedule(_ tokenIDs: [[Int32]]) -> [[[Int]]] {
        let workers = parallelism == .blasThreads ? min(1, tokenIDs.count) : min(threads, tokenIDs.count)
        guard workers > 0 else { return [] }
        // Longest first onto the least-loaded worker, with cost ≈ n·(dense) + n²·(attention): balanced shares.
        var shares = [[Int]](repeating: [], count: workers)
        var load = [Int](repeating: 0, count: workers)
        for index in tokenIDs.indices.sorted(by: { tokenIDs[$0].count > tokenIDs[$1].count }) {
            let n = tokenIDs[index].count
            let target = load.indices.min { load[$0] < load[$1] } ?? 0
            shares[target].append(index)
            load[target] += n * (8 * config.hiddenSize + n)
        }
        return shares.map { share in
            var passes: [[Int]] = []
            var current: [Int] = []
            var tokens = 0
            for index in share {
                let n = tokenIDs[index].count
                if tokens + n > tokensPerPass, !current.isEmpty {
                    passes.append(current)
                    current = []
                    tokens = 0
                }
                current.append(index)
                tokens += n
            }
            if !current.isEmpty { passes.append(current) }
            return passes
        }
    }

    /// Runs the scheduled passes, one worker thread per share, writing into `outputs`.
    private func run(plan: [[[Int]]], tokenIDs: [[Int32]], outputs: inout [[Float]]) {
        let pass = MiniLMForwardPass(config: config, weights: weights, quantized: quantized)
        let h = config.hiddenSize
        // With several workers each gets a single BLAS thread (they already fill the cores). A single sequence also
        // runs on one BLAS thread: its matrices (≈30 rows) are too small to gain from a second one, which measured
        // slower at batch 1 on the shared 2-core machine (Models/sentiment-minilm-frozen/MODEL.md). Only
        // `.blasThreads` with several sequences hands BLAS all the threads.
        BLASMatrixMultiply.setThreadCount(plan.count > 1 || tokenIDs.count == 1 ? 1 : threads)
        let results = ResultSlots(count: tokenIDs.count)
        DispatchQueue.concurrentPerform(iterations: plan.count) { worker in
            for group in plan[worker] {
                let sequences = group.map { tokenIDs[$0] }
                let tokens = sequences.reduce(0) { $0 + $1.count }
                var packed = [Float](repeating: 0, count: tokens * h)
                packed.withUnsafeMutableBufferPointer { buffer in
                    if let base = buffer.baseAddress { pass.run(sequences: sequences, output: base) }
                }
                var offset = 0
                for index in group {
                    let count = tokenIDs[index].count * h
                    results.store(Array(packed[offset..<(offset + count)]), at: index)
                    offset += count
                }
            }
        }
        for index in tokenIDs.indices {
            if let value = results.take(index) { outputs[index] = value }
        }
    }
}

/// One slot per sequence, filled by worker threads; each index is written by exactly one worker.
private final class ResultSlots: @unchecked Sendable {
    private var slots: [[Float]?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func store(_ value: [Float], at index: Int) {
        lock.lock()
        slots[index] = value
        lock.unlock()
    }

    func take(_ index: Int) -> [Float]? {
        lock.lock()
        defer { lock.unlock() }
        return slots[index]
    }
}
