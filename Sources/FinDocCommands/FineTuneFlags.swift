import ArgumentParser
import FinDocML
import Foundation

/// The training-loop flags of `findoc train sentiment|entities` when they fine-tune the encoder: epochs, rate,
/// batch size, seed, early stopping, warm-up, decay, clipping, and where the bundle and the checkpoint go.
///
/// Epochs and the learning rate default per task (`trainerOptions(defaults:)`), since adapters want a larger rate
/// than full fine-tuning.
struct FineTuneFlags: ParsableArguments {
    @Option(help: "Passes over the training data (the most: --patience may stop sooner). Default: per task.")
    var epochs: Int?
    @Option(name: .customLong("lr"), help: "Peak learning rate of AdamW (reached after the warm-up). Default: per task.")
    var learningRate: Double?
    @Option(help: "Examples per mini-batch.")
    var batchSize: Int = FineTunerOptions().batchSize
    @Option(help: "Seed of the adapters, batch order, dropout and dev slice: same data and seed, same bundle. Default: per task.")
    var seed: UInt64?
    @Option(help: "Stop after this many epochs without a better dev score (0: never stop early).")
    var patience: Int = FineTunerOptions().patience ?? 0
    @Option(help: "Share of the steps spent warming the learning rate up from 0.")
    var warmup: Double = FineTunerOptions().warmupFraction
    @Option(help: "AdamW's decoupled weight decay.")
    var weightDecay: Double = FineTunerOptions().weightDecay
    @Option(help: "Clip the global gradient norm to this (0: no clipping).")
    var clipNorm: Double = FineTunerOptions().clipNorm ?? 0
    @Option(help: "Bundle folder to write (config.json + adapters.safetensors).")
    var out: String
    @Option(help: "Checkpoint file, replaced after every epoch (default: <out>/checkpoint.safetensors).")
    var checkpoint: String?
    @Flag(help: "Continue from the checkpoint of an interrupted run with the same data and options.")
    var resume = false
    @Option(help: "Rank of the low-rank adapters on every layer's four projections.")
    var rank: Int = 8
    @Option(help: "Adapter scale numerator (updates are scaled by alpha / rank).")
    var alpha: Double = 16
    @Flag(inversion: .prefixedNo, help: "Also train every LayerNorm's gamma and beta (a few thousand values).")
    var trainLayerNorms = true
    @Option(help: "Longest word-piece sequence read (longer texts are truncated). Default: per task.")
    var maxLength: Int?

    func validate() throws {
        if let problem = trainerOptions(defaults: FineTunerOptions()).problem { throw ValidationError(problem) }
        guard rank >= 1, alpha.isFinite, alpha > 0 else { throw ValidationError("--rank and --alpha expect positive numbers") }
        if let maxLength, !(8...512).contains(maxLength) { throw ValidationError("--max-length expects 8…512") }
        guard patience >= 0 else { throw ValidationError("--patience expects 0 or more epochs") }
        guard clipNorm >= 0 else { throw ValidationError("--clip-norm expects 0 (off) or a positive norm") }
    }

    /// The trainer's options; epochs and rate come from `defaults` unless given.
    func trainerOptions(defaults: FineTunerOptions) -> FineTunerOptions {
        FineTunerOptions(
            epochs: epochs ?? defaults.epochs, batchSize: batchSize, learningRate: learningRate ?? defaults.learningRate,
            weightDecay: weightDecay,
            warmupFraction: warmup, clipNorm: clipNorm > 0 ? clipNorm : nil, seed: seed ?? defaults.seed,
            patience: patience > 0 ? patience : nil)
    }

    /// The model-side settings: LoRA of `--rank`/`--alpha` on all four projections, LayerNorms per flag, BERT's
    /// dropout.
    var modelOptions: FineTuningOptions {
        FineTuningOptions(method: .lora(LoRAConfiguration(rank: rank, alpha: alpha)), trainLayerNorms: trainLayerNorms)
    }

    /// The checkpoint path: `--checkpoint`, else inside the bundle folder. It holds the Adam moments (about 3× the
    /// adapters), so the command deletes it once the bundle is written.
    var checkpointPath: String {
        checkpoint ?? (out.hasSuffix("/") ? out : out + "/") + "checkpoint.safetensors"
    }
}
