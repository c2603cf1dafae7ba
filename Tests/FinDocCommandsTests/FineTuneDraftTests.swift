import FinDocML
import Testing

@testable import FinDocCommands

@Suite("Fine-tuning flags and progress lines (draft)")
struct FineTuneDraftTests {
    @Test("the flags become trainer options; 0 turns patience and clipping off")
    func flags() throws {
        let parsed = try FineTuneFlags.parse([
            "--epochs", "5", "--lr", "3e-5", "--batch-size", "16", "--seed", "7", "--patience", "0",
            "--clip-norm", "0", "--out", "Models/x",
        ])
        let options = parsed.trainerOptions(defaults: FineTunerOptions())
        #expect(options.epochs == 5 && options.learningRate == 3e-5 && options.batchSize == 16 && options.seed == 7)
        #expect(options.patience == nil && options.clipNorm == nil)
        #expect(options.warmupFraction == 0.1 && options.weightDecay == 0.01)
        #expect(parsed.checkpointPath == "Models/x/checkpoint.safetensors")
        let defaults = try FineTuneFlags.parse(["--out", "b", "--checkpoint", "/tmp/c.safetensors", "--resume"])
        #expect(defaults.trainerOptions(defaults: FineTunerOptions()) == FineTunerOptions())
        #expect(defaults.checkpointPath == "/tmp/c.safetensors" && defaults.resume)
    }

    @Test("out-of-range flags are usage errors naming the problem")
    func invalidFlags() {
        #expect(throws: (any Error).self) { try FineTuneFlags.parse(["--out", "b", "--batch-size", "0"]) }
        #expect(throws: (any Error).self) { try FineTuneFlags.parse(["--out", "b", "--warmup", "1.5"]) }
        #expect(throws: (any Error).self) { try FineTuneFlags.parse(["--epochs", "2"]) }
    }

    @Test("step, epoch and stop lines read as documented")
    func lines() {
        let step = FineTuningStep(
            step: 130, totalSteps: 500, epoch: 2, stepInEpoch: 30, stepsPerEpoch: 250, learningRate: 4.1e-5,
            loss: 0.41234, runningLoss: 0.453, gradientNorm: 0.9, tokensPerSecond: 1234.4)
        #expect(FineTuneProgressPrinter.stepLine(step, epochs: 5)
            == "epoch 2/5 step 30/250 (lr 4.1e-05) loss 0.4123 (mean 0.4530) 1,234 tokens/s")
        let epoch = FineTuningEpoch(
            epoch: 2, trainLoss: 0.31234, devMetric: 0.87119, improved: true, tokens: 24_680, trainSeconds: 20,
            wallSeconds: 41.23)
        #expect(FineTuneProgressPrinter.epochLine(epoch, epochs: 5, metricName: "accuracy", checkpointPath: "c")
            == "epoch 2/5: train loss 0.3123, dev accuracy 0.8712 (best), 1,234 tokens/s, 41.2 s; checkpoint saved")
        #expect(FineTuneProgressPrinter.stopLine(.interrupted(epoch: 3), checkpointPath: "out/checkpoint.safetensors")
            == "interrupted during epoch 3: the checkpoint after epoch 2 stands at out/checkpoint.safetensors; "
            + "run the same command with --resume to continue")
        #expect(FineTuneProgressPrinter.stopLine(.interrupted(epoch: 1), checkpointPath: "c")
            == "interrupted during epoch 1, before any epoch finished: nothing was saved")
    }

    @Test("the printer writes one line per epoch and the closing line, and redraws the last step of an epoch")
    func printer() {
        var lines: [String] = []
        var redraws: [String] = []
        let printer = FineTuneProgressPrinter(
            metricName: "F1", epochs: 1, checkpointPath: nil, interval: 1000, writeLine: { lines.append($0) },
            redraw: { redraws.append($0) })
        for index in 1...3 {
            printer.handle(
                .step(
                    FineTuningStep(
                        step: index, totalSteps: 3, epoch: 1, stepInEpoch: index, stepsPerEpoch: 3, learningRate: 0,
                        loss: 1, runningLoss: 1, gradientNorm: 1, tokensPerSecond: 10)))
        }
        printer.handle(
            .epoch(
                FineTuningEpoch(
                    epoch: 1, trainLoss: 1, devMetric: nil, improved: true, tokens: 10, trainSeconds: 1,
                    wallSeconds: 1)))
        printer.handle(.stopped(.completed))
        // The first step redraws (no earlier redraw), the middle one is throttled, the epoch's last always shows.
        #expect(redraws.count == 2)
        #expect(lines == ["epoch 1/1: train loss 1.0000, 10 tokens/s, 1.0 s", "training finished"])
    }
}
