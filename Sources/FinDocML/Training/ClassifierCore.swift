import Dispatch
import Foundation

/// A mini-batch as the core sees it: token ids with sentence labels (and per-example loss weights) or per-token
/// labels (−1 = ignored).
struct ClassifierBatch: Sendable {
    /// Which head the labels are for.
    enum Labels: Sendable {
        case sentences([Int], weights: [Double])
        case tokens([[Int]])
    }

    var sequences: [[Int32]]
    var labels: Labels
}

/// Encoder + adapters + one classification head, generic over the scalar: runs a batch forward and backward over
/// worker threads, or forward only for inference.
///
/// A batch is split into shares by a deterministic, cost-balanced rule that depends only on the lengths; each worker
/// runs its own `EncoderTrainingPass` with its own activations and gradient buffers and single-threaded BLAS. Dropout
/// is drawn per example from `(batch seed, example index)`, so masks never depend on the split. Gradients stay in the
/// workers' buffers; the caller sums them in worker order (deterministic for a given worker count; 1 and 2 workers
/// agree up to float rounding of the sum).
final class ClassifierCore<S: TrainingScalar>: @unchecked Sendable {
    /// The sentence or the token head.
    enum Head: Sendable { case sequence, tokens }

    let parameters: EncoderParameters<S>
    let head: Head

    init(parameters: EncoderParameters<S>, head: Head) {
        self.parameters = parameters
        self.head = head
    }

    var layout: EncoderParameterLayout { parameters.layout }

    /// Which examples each of at most `workers` workers runs: longest first onto the least-loaded worker, cost
    /// ≈ n·(dense work) + n²·(attention).
    func shares(_ sequences: [[Int32]], workers: Int) -> [[Int]] {
        let count = min(max(workers, 1), sequences.count)
        guard count > 0 else { return [] }
        var shares = [[Int]](repeating: [], count: count)
        var load = [Int](repeating: 0, count: count)
        let h = layout.config.hiddenSize
        let order = sequences.indices.sorted { (sequences[$0].count, $1) > (sequences[$1].count, $0) }
        for index in order {
            let n = sequences[index].count
            let target = load.indices.min { (load[$0], $0) < (load[$1], $1) } ?? 0
            shares[target].append(index)
            load[target] += n * (8 * h + n)
        }
        // Keep each share in batch order, so a worker's work does not depend on the sort's tie-breaking.
        return shares.map { $0.sorted() }
    }

    /// Forward + backward over `batch` with dropout from `seed` when `training`; zeroes and fills one
    /// `WorkerGradients` per worker (their count is the number of workers) and returns the batch's mean loss.
    /// `arenas`, when given (one per worker), lend the workers their activation memory.
    func lossAndGradients(
        batch: ClassifierBatch, seed: UInt64, training: Bool, workers: [WorkerGradients<S>],
        arenas: [TrainingArena<S>]? = nil
    ) -> Double {
        for gradients in workers { gradients.zero() }
        let normalizer: S
        switch batch.labels {
        case .sentences(_, let weights): normalizer = S(weights.reduce(0, +))
        case .tokens(let labels): normalizer = S(labels.reduce(0) { $0 + $1.filter { $0 >= 0 }.count })
        }
        guard normalizer > 0 else { return 0 }
        let plan = shares(batch.sequences, workers: workers.count)
        BLASMatrixMultiply.setThreadCount(1)
        let losses = LossSlots(count: plan.count)
        DispatchQueue.concurrentPerform(iterations: plan.count) { worker in
            let arena = arenas?[worker]
            arena?.reset()
            let loss = run(
                batch: batch, indices: plan[worker], seed: seed, training: training, normalizer: normalizer,
                gradients: workers[worker], logits: nil, arena: arena)
            losses.store(Double(loss), at: worker)
        }
        return losses.values.reduce(0, +)
    }

    /// Forward only, dropout off: each example's logits (`labels` values for a sentence, `n × labels` for tokens).
    /// Runs in chunks of `chunk` sequences, which bounds the activation memory (about 170 KB per token in Float).
    func logits(sequences: [[Int32]], workers: Int, chunk: Int = 64) -> [[S]] {
        var out: [[S]] = []
        out.reserveCapacity(sequences.count)
        var start = 0
        while start < sequences.count {
            let end = min(start + chunk, sequences.count)
            out += logitsOfChunk(Array(sequences[start..<end]), workers: workers)
            start = end
        }
        return out
    }

    private func logitsOfChunk(_ sequences: [[Int32]], workers: Int) -> [[S]] {
        let plan = shares(sequences, workers: workers)
        BLASMatrixMultiply.setThreadCount(1)
        let slots = LogitSlots<S>(count: sequences.count)
        let l = layout.labelCount
        let batch: ClassifierBatch
        switch head {
        case .sequence:
            batch = ClassifierBatch(
                sequences: sequences,
                labels: .sentences([Int](repeating: -1, count: sequences.count), weights: sequences.map { _ in 1 }))
        case .tokens:
            batch = ClassifierBatch(sequences: sequences, labels: .tokens(sequences.map { $0.map { _ in -1 } }))
        }
        DispatchQueue.concurrentPerform(iterations: plan.count) { worker in
            let indices = plan[worker]
            let rows = head == .sequence ? indices.count : indices.reduce(0) { $0 + sequences[$1].count }
            let out = TrainingBuffer<S>(count: rows * l)
            run(
                batch: batch, indices: indices, seed: 0, training: false, normalizer: 1, gradients: nil,
                logits: out.pointer)
            var offset = 0
            for index in indices {
                let width = head == .sequence ? l : sequences[index].count * l
                slots.store(Array(UnsafeBufferPointer(start: out.pointer + offset, count: width)), at: index)
                offset += width
            }
        }
        return slots.values
    }

    /// One worker's share: forward, head, and (with `gradients`) backward. Returns the share's part of the loss.
    @discardableResult
    func run(
        batch: ClassifierBatch, indices: [Int], seed: UInt64, training: Bool, normalizer: S,
        gradients: WorkerGradients<S>?, logits: UnsafeMutablePointer<S>?, arena: TrainingArena<S>? = nil
    ) -> S {
        let sequences = indices.map { batch.sequences[$0] }
        let pass = EncoderTrainingPass(
            parameters: parameters, sequences: sequences, training: training,
            random: indices.map { SplitMix64.forExample($0, batchSeed: seed) }, arena: arena)
        let hidden = pass.forward()
        let l = layout.labelCount
        let dHidden = gradients == nil ? nil : pass.buffer(pass.tokens * layout.config.hiddenSize)
        let headDropout = training ? layout.options.headDropout : 0
        let loss: S
        switch batch.labels {
        case .sentences(let labels, let weights):
            let out = logits ?? UnsafeMutablePointer<S>.allocate(capacity: indices.count * l)
            loss = ClassificationHeads.sequence(
                pass: pass, hidden: hidden, labels: indices.map { labels[$0] }, weights: indices.map { S(weights[$0]) },
                normalizer: normalizer, dropout: headDropout, logits: out, gradients: gradients,
                dHidden: dHidden?.pointer)
            if logits == nil { out.deallocate() }
        case .tokens(let labels):
            let out = logits ?? UnsafeMutablePointer<S>.allocate(capacity: max(pass.tokens * l, 1))
            loss = ClassificationHeads.tokens(
                pass: pass, hidden: hidden, labels: indices.flatMap { labels[$0] }, normalizer: normalizer,
                dropout: headDropout, logits: out, gradients: gradients, dHidden: dHidden?.pointer)
            if logits == nil { out.deallocate() }
        }
        if let gradients, let dHidden { pass.backward(dHidden: dHidden.pointer, gradients: gradients) }
        return loss
    }
}

/// One loss per worker, written by that worker only.
private final class LossSlots: @unchecked Sendable {
    private var slots: [Double]
    private let lock = NSLock()

    init(count: Int) { slots = [Double](repeating: 0, count: count) }

    func store(_ value: Double, at index: Int) {
        lock.lock()
        slots[index] = value
        lock.unlock()
    }

    var values: [Double] {
        lock.lock()
        defer { lock.unlock() }
        return slots
    }
}

/// One logits array per example, each written by exactly one worker.
private final class LogitSlots<S: TrainingScalar>: @unchecked Sendable {
    private var slots: [[S]]
    private let lock = NSLock()

    init(count: Int) { slots = [[S]](repeating: [], count: count) }

    func store(_ value: [S], at index: Int) {
        lock.lock()
        slots[index] = value
        lock.unlock()
    }

    var values: [[S]] {
        lock.lock()
        defer { lock.unlock() }
        return slots
    }
}
