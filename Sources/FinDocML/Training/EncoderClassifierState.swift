import Foundation

/// What the two public fine-tunable classifiers share: the Float core, the trainer-facing parameters, the workers'
/// gradient buffers, input checks, and merging.
///
/// The trainer's optimiser writes `TrainableParameter.values`; those are copied into the core's buffers before
/// each batch (a few hundred thousand floats with LoRA), and the workers' gradients are added to
/// `TrainableParameter.gradients` after it, in worker order.
final class EncoderClassifierState {
    let config: MiniLMConfig
    let core: ClassifierCore<Float>
    let threads: Int
    /// The base model folder (recorded on a merged encoder).
    let modelDirectory: URL
    let trainableParameters: [TrainableParameter]
    private let trainableIDs: [Int]
    private var workerGradients: [WorkerGradients<Float>] = []
    private var workerArenas: [TrainingArena<Float>] = []

    init(
        config: MiniLMConfig, weights: MiniLMWeights, modelDirectory: URL, options: FineTuningOptions,
        labelCount: Int, head: ClassifierCore<Float>.Head, seed: UInt64, threads: Int
    ) {
        let layout = EncoderParameterLayout(config: config, options: options, labelCount: labelCount)
        let parameters = EncoderParameters<Float>(weights: weights, layout: layout, seed: seed)
        self.config = config
        core = ClassifierCore(parameters: parameters, head: head)
        self.threads = max(1, threads)
        self.modelDirectory = modelDirectory
        trainableIDs = (0..<layout.count).filter { layout.trainable[$0] }
        trainableParameters = trainableIDs.map { id in
            TrainableParameter(
                name: layout.names[id], shape: layout.shapes[id], values: parameters.tensors[id].array,
                decays: layout.decays[id])
        }
    }

    /// Loads `config.json` and `model.safetensors` from `modelDirectory`.
    static func loadBase(modelDirectory: URL) throws(EncoderError) -> (MiniLMConfig, MiniLMWeights) {
        try BaseModel.checkPresent(folder: modelDirectory)
        let config = try MiniLMConfig.load(from: modelDirectory.appendingPathComponent("config.json"))
        do {
            let file = try SafetensorsFile(path: modelDirectory.appendingPathComponent("model.safetensors").path)
            return (config, try MiniLMWeights(file: file, config: config))
        } catch {
            throw .badWeights(error)
        }
    }

    /// Copies the trainer's current values into the core.
    func synchronise() {
        for (parameter, id) in zip(trainableParameters, trainableIDs) {
            let target = core.parameters.tensors[id]
            parameter.values.withUnsafeBufferPointer { source in
                if let base = source.baseAddress { target.pointer.update(from: base, count: target.count) }
            }
        }
    }

    /// Forward + backward on `threads` workers; adds the gradients to the trainable parameters.
    func accumulate(_ batch: ClassifierBatch, seed: UInt64, workers: Int? = nil) -> Double {
        guard !batch.sequences.isEmpty else { return 0 }
        synchronise()
        let count = min(workers ?? threads, batch.sequences.count)
        while workerGradients.count < count {
            workerGradients.append(WorkerGradients(layout: core.layout))
            workerArenas.append(TrainingArena())
        }
        let used = Array(workerGradients.prefix(count))
        let loss = core.lossAndGradients(
            batch: batch, seed: seed, training: true, workers: used, arenas: Array(workerArenas.prefix(count)))
        for (parameter, id) in zip(trainableParameters, trainableIDs) {
            parameter.gradients.withUnsafeMutableBufferPointer { target in
                guard let out = target.baseAddress else { return }
                for worker in used {
                    guard let source = worker[id] else { continue }
                    for i in 0..<target.count { out[i] += source[i] }
                }
            }
        }
        return loss
    }

    /// Logits with dropout off.
    func logits(_ sequences: [[Int32]]) -> [[Float]] {
        guard !sequences.isEmpty else { return [] }
        synchronise()
        return core.logits(sequences: sequences, workers: threads)
    }

    /// Rejects token ids the encoder cannot embed.
    func check(tokenIDs: [Int32], index: Int) throws(EncoderError) {
        guard !tokenIDs.isEmpty else { throw .badInput("example \(index) has no tokens (it needs at least [CLS])") }
        guard tokenIDs.count <= config.maxPositions else {
            throw .badInput("example \(index) has \(tokenIDs.count) tokens; the model takes at most \(config.maxPositions)")
        }
        if let bad = tokenIDs.first(where: { $0 < 0 || Int($0) >= config.vocabularySize }) {
            throw .badInput("example \(index) holds token id \(bad), outside the vocabulary of \(config.vocabularySize)")
        }
    }

    /// A plain encoder whose weights have the adapters folded in (see `AdapterMerging`).
    func mergedEncoder(threads: Int, int8: Bool) -> MiniLMEncoder {
        synchronise()
        return MiniLMEncoder(
            config: config, weights: AdapterMerging.mergedWeights(core.parameters), modelDirectory: modelDirectory,
            threads: threads, int8: int8)
    }

    /// The head's current weight `[labels, hidden]` and bias.
    var headValues: (weight: [Float], bias: [Float]) {
        synchronise()
        let layout = core.layout
        return (core.parameters.tensors[layout.headWeight].array, core.parameters.tensors[layout.headBias].array)
    }
}
