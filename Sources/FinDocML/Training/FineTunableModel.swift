/// One tensor that fine-tuning updates: its values, the gradient the last backward passes accumulated into it, and
/// whether AdamW's decoupled weight decay applies (weight matrices and adapters yes; biases and LayerNorm no, as in
/// the usual BERT recipe).
///
/// A class so that the model (which writes gradients) and the optimiser (which reads them and writes values) share
/// one buffer without copies. Not thread-safe: a model that splits a batch over threads keeps per-thread gradient
/// scratch and adds it here once the threads are done.
public final class TrainableParameter {
    /// A stable name (`layer.3.attention.qkv.lora_a`, `head.weight`): checkpoints and bundles store tensors by it.
    public let name: String
    /// The tensor's shape, outermost first (`[out, in]` for a linear layer, PyTorch's layout).
    public let shape: [Int]
    /// The current values, row-major.
    public var values: [Float]
    /// The accumulated gradient of the loss with respect to `values`, same count.
    public var gradients: [Float]
    /// True when weight decay applies.
    public let decays: Bool

    /// A parameter holding `values` (whose count must equal the product of `shape`), gradients zero.
    public init(name: String, shape: [Int], values: [Float], decays: Bool) {
        precondition(values.count == shape.reduce(1, *), "\(name): \(values.count) values for shape \(shape)")
        self.name = name
        self.shape = shape
        self.values = values
        gradients = [Float](repeating: 0, count: values.count)
        self.decays = decays
    }

    /// Sets every gradient to zero (before the next mini-batch).
    public func zeroGradients() {
        for index in gradients.indices { gradients[index] = 0 }
    }
}

/// A model `FineTuner` can train: it names its trainable tensors and runs forward plus backward over a mini-batch.
///
/// The split keeps the two halves of fine-tuning independent: the model owns the maths (encoder, adapters, head,
/// their gradients, spreading a batch over the cores), the trainer owns the loop (optimiser, schedule, clipping,
/// batching, checkpoints, early stopping, progress, Ctrl-C).
public protocol FineTunableModel: AnyObject {
    /// One training example (token ids with a sentence label, or with per-token labels).
    associatedtype Example

    /// Every tensor training updates, in a fixed order; frozen base weights are not listed.
    var trainableParameters: [TrainableParameter] { get }

    /// The example's length in tokens, by which the trainer buckets mini-batches.
    func tokenCount(of example: Example) -> Int

    /// Runs forward and backward over `batch` in training mode (dropout drawn deterministically from
    /// `dropoutSeed`), ADDS the gradient of the batch's mean loss to every trainable parameter's `gradients`, and
    /// returns that mean loss.
    func accumulateGradients(batch: [Example], dropoutSeed: UInt64) -> Double
}
