import ArgumentParser
import FinDocML
import Foundation

/// The training-loop flags of `findoc train sentiment|entities` when they fine-tune the encoder: epochs, rate,
/// batch size, seed, early stopping, warm-up, decay, clipping, and where the bundle and the checkpoint go.
///
/// DRAFT for issue 7: parsed and validated here, turned into `FineTunerOptions` by `trainerOptions`; the lead
/// wires it into the train commands (whose frozen-head flags `--epochs`, `--learning-rate`, `--seed`, `--out`
/// it then replaces).
struct FineTuneFlags: ParsableArguments {
    @Option(help: "Passes over the training data (the most: --patience may stop sooner).")
    var epochs: Int = FineTunerOptions().epochs
    @Option(name: .customLong("lr"), help: "Peak learning rate of AdamW (reached after the warm-up).")
    var learningRate: Double = FineTunerOptions().learningRate
    @Option(help: "Examples per mini-batch.")
    var batchSize: Int = FineTunerOptions().batchSize
    @Option(help: "Seed of the batch order and of dropout: same data and seed, same bundle.")
    var seed: UInt64 = FineTunerOptions().seed
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

    func validate() throws {
        if let problem = trainerOptions().problem { throw ValidationError(problem) }
        guard patience >= 0 else { throw ValidationError("--patience expects 0 or more epochs") }
        guard clipNorm >= 0 else { throw ValidationError("--clip-norm expects 0 (off) or a positive norm") }
    }

    /// The trainer's options.
    func trainerOptions() -> FineTunerOptions {
        FineTunerOptions(
            epochs: epochs, batchSize: batchSize, learningRate: learningRate, weightDecay: weightDecay,
            warmupFraction: warmup, clipNorm: clipNorm > 0 ? clipNorm : nil, seed: seed,
            patience: patience > 0 ? patience : nil)
    }

    /// The checkpoint path: `--checkpoint`, else inside the bundle folder. It holds the Adam moments (about 3× the
    /// adapters), so the command should delete it once the bundle is written, before `FineTunedBundle.checkSize`.
    var checkpointPath: String {
        checkpoint ?? (out.hasSuffix("/") ? out : out + "/") + "checkpoint.safetensors"
    }
}
