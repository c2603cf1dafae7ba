import Foundation
import Testing

@testable import FinDocML

@Suite("FineTuner")
struct FineTunerTests {
    typealias Point = LogisticRegressionModel.Point

    static let train = LogisticRegressionModel.points(count: 400, seed: 1)
    static let dev = LogisticRegressionModel.points(count: 200, seed: 2, firstID: 10_000)

    static func options(epochs: Int = 4, seed: UInt64 = 7, patience: Int? = nil) -> FineTunerOptions {
        FineTunerOptions(
            epochs: epochs, batchSize: 16, learningRate: 0.1, weightDecay: 0.01, warmupFraction: 0.1, clipNorm: 1.0,
            seed: seed, patience: patience, bucketChunkBatches: 5)
    }

    @Test("logistic regression trained by FineTuner separates the points and finds the generating line")
    func converges() throws {
        let model = LogisticRegressionModel()
        let before = model.accuracy(on: Self.dev)
        var epochs: [FineTuningEpoch] = []
        var steps: [FineTuningStep] = []
        let result = try FineTuner<LogisticRegressionModel>(options: Self.options(epochs: 5)).train(
            model: model, examples: Self.train, devMetric: { $0.accuracy(on: Self.dev) }
        ) { event in
            switch event {
            case .step(let step): steps.append(step)
            case .epoch(let epoch): epochs.append(epoch)
            case .stopped: break
            }
        }
        #expect(before < 0.9)
        #expect(model.accuracy(on: Self.dev) >= 0.97)
        #expect(result.stop == .completed)
        #expect(result.steps == 5 * 25)
        #expect(steps.count == 125 && steps.last?.step == 125 && steps.last?.totalSteps == 125)
        #expect(epochs.map(\.epoch) == [1, 2, 3, 4, 5])
        #expect(epochs.allSatisfy { $0.tokens == Self.train.reduce(0) { $0 + $1.tokens } })
        #expect((epochs.last?.trainLoss ?? 1) < (epochs.first?.trainLoss ?? 0))
        // The labels come from x + 2y > 0.5: the weight points along (1, 2).
        let w = model.weight.values.map(Double.init)
        let cosine = (w[0] + 2 * w[1]) / ((w[0] * w[0] + w[1] * w[1]).squareRoot() * 5.0.squareRoot())
        #expect(cosine > 0.98)
        // Warm-up is ceil(0.1 × 125) = 13 steps: the first step runs at rate 0, the 14th at the peak.
        #expect(steps[0].learningRate == 0)
        #expect(abs(steps[13].learningRate - 0.1) < 1e-12)
    }

    @Test("every example is seen exactly once per epoch, and the same seed gives the same parameters bit for bit")
    func deterministicAndComplete() throws {
        func run(seed: UInt64) throws -> (LogisticRegressionModel, FineTuningResult) {
            let model = LogisticRegressionModel()
            let result = try FineTuner<LogisticRegressionModel>(options: Self.options(epochs: 3, seed: seed))
                .train(model: model, examples: Self.train)
            return (model, result)
        }
        let (first, _) = try run(seed: 7)
        let (second, _) = try run(seed: 7)
        let (other, _) = try run(seed: 8)
        #expect(first.batchesSeen.count == 75)
        for epoch in 0..<3 {
            let seen = first.batchesSeen[(epoch * 25)..<((epoch + 1) * 25)].flatMap { $0 }
            #expect(seen.sorted() == Self.train.map(\.id))
        }
        #expect(first.batchesSeen == second.batchesSeen)
        #expect(first.dropoutSeeds == second.dropoutSeeds)
        #expect(Set(first.dropoutSeeds).count == 75)
        #expect(first.weight.values.map(\.bitPattern) == second.weight.values.map(\.bitPattern))
        #expect(first.bias.values.map(\.bitPattern) == second.bias.values.map(\.bitPattern))
        #expect(first.batchesSeen != other.batchesSeen)
        #expect(first.weight.values != other.weight.values)
    }

    @Test("early stopping ends after `patience` epochs without improvement and restores the best epoch's values")
    func earlyStoppingRestoresBest() throws {
        let model = LogisticRegressionModel()
        // A scripted dev metric: best after epoch 2, then two worse epochs → stop after epoch 4 with patience 2.
        let scores = [0.5, 0.8, 0.7, 0.75, 0.9, 0.95]
        var calls = 0
        var snapshots: [[Float]] = []
        let result = try FineTuner<LogisticRegressionModel>(options: Self.options(epochs: 6, patience: 2)).train(
            model: model, examples: Self.train,
            devMetric: { model in
                snapshots.append(model.weight.values + model.bias.values)
                calls += 1
                return scores[calls - 1]
            })
        #expect(calls == 4)
        #expect(result.stop == .earlyStopped(epoch: 4))
        #expect(result.bestEpoch == 2 && result.bestMetric == 0.8)
        #expect(result.history.map(\.improved) == [true, true, false, false])
        #expect(model.weight.values + model.bias.values == snapshots[1])
        #expect(snapshots[1] != snapshots[3])
    }

    @Test("a checkpoint round-trips its state, values, best values and Adam moments")
    func checkpointRoundTrip() throws {
        let folder = try EncoderTestSupport.temporaryFolder()
        let path = folder.appendingPathComponent("checkpoint.safetensors").path
        let model = LogisticRegressionModel()
        let options = Self.options(epochs: 2)
        _ = try FineTuner<LogisticRegressionModel>(options: options, checkpointPath: path).train(
            model: model, examples: Self.train, devMetric: { $0.accuracy(on: Self.dev) })
        let checkpoint = try TrainingCheckpoint.read(from: path)
        #expect(checkpoint.state.options == options)
        #expect(checkpoint.state.epochsCompleted == 2 && checkpoint.state.step == 50 && checkpoint.state.finished)
        #expect(checkpoint.state.parameterNames == ["classifier.weight", "classifier.bias"])
        #expect(checkpoint.state.history.count == 2)
        #expect(checkpoint.moments["classifier.weight"]?.first.count == 2)
        #expect(checkpoint.moments["classifier.weight"]?.second.allSatisfy { $0 > 0 } == true)
        // Written again and read back: equal in every part.
        let copy = folder.appendingPathComponent("copy.safetensors").path
        try checkpoint.write(to: copy)
        #expect(try TrainingCheckpoint.read(from: copy) == checkpoint)
        // The best values are what the model holds after training.
        #expect(checkpoint.best["classifier.weight"]?.values == model.weight.values)
    }

    @Test("an interruption mid-epoch leaves the last epoch's checkpoint, and resuming ends where an uninterrupted run does")
    func interruptionAndResume() throws {
        let folder = try EncoderTestSupport.temporaryFolder()
        let path = folder.appendingPathComponent("checkpoint.safetensors").path
        let options = Self.options(epochs: 4, patience: 3)
        let metric: (LogisticRegressionModel) -> Double = { $0.accuracy(on: Self.dev) }

        let uninterrupted = LogisticRegressionModel()
        let full = try FineTuner<LogisticRegressionModel>(options: options).train(
            model: uninterrupted, examples: Self.train, devMetric: metric)

        let interrupt = TrainingInterrupt()
        let model = LogisticRegressionModel()
        var afterEpoch2: Data?
        let stopped = try FineTuner<LogisticRegressionModel>(options: options, checkpointPath: path, interrupt: interrupt)
            .train(model: model, examples: Self.train, devMetric: metric) { event in
                switch event {
                case .epoch(let epoch) where epoch.epoch == 2:
                    afterEpoch2 = FileManager.default.contents(atPath: path)
                case .step(let step) where step.epoch == 3 && step.stepInEpoch == 10:
                    interrupt.request()
                default: break
                }
            }
        #expect(stopped.stop == .interrupted(epoch: 3))
        #expect(stopped.history.count == 2)
        #expect(stopped.steps == 60)
        // The file on disk is byte for byte the one written after epoch 2, and no temporary file is left.
        #expect(afterEpoch2 != nil)
        #expect(FileManager.default.contents(atPath: path) == afterEpoch2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["checkpoint.safetensors"])
        #expect(try TrainingCheckpoint.read(from: path).state.epochsCompleted == 2)

        let resumedModel = LogisticRegressionModel()
        let resumed = try FineTuner<LogisticRegressionModel>(options: options, checkpointPath: path).train(
            model: resumedModel, examples: Self.train, devMetric: metric, resume: true)
        #expect(resumedModel.batchesSeen.count == 50)
        #expect(resumed.resumedAfterEpoch == 2 && full.resumedAfterEpoch == nil)
        #expect(resumed.steps == full.steps)
        #expect(resumed.bestEpoch == full.bestEpoch)
        #expect(resumed.history.map(\.devMetric) == full.history.map(\.devMetric))
        #expect(resumedModel.weight.values.map(\.bitPattern) == uninterrupted.weight.values.map(\.bitPattern))
        #expect(resumedModel.bias.values.map(\.bitPattern) == uninterrupted.bias.values.map(\.bitPattern))

        // Resuming a finished run trains nothing more and loads the best epoch's values.
        let again = LogisticRegressionModel()
        let finished = try FineTuner<LogisticRegressionModel>(options: options, checkpointPath: path).train(
            model: again, examples: Self.train, devMetric: metric, resume: true)
        #expect(again.batchesSeen.isEmpty)
        #expect(finished.stop == .completed && finished.resumedAfterEpoch == 4 && finished.history.count == 4)
        #expect(again.weight.values == uninterrupted.weight.values && again.bias.values == uninterrupted.bias.values)
    }

    @Test("resuming with other options or other data is refused with the checkpoint's path")
    func resumeMismatch() throws {
        let folder = try EncoderTestSupport.temporaryFolder()
        let path = folder.appendingPathComponent("checkpoint.safetensors").path
        _ = try FineTuner<LogisticRegressionModel>(options: Self.options(epochs: 1), checkpointPath: path)
            .train(model: LogisticRegressionModel(), examples: Self.train)
        #expect {
            try FineTuner<LogisticRegressionModel>(options: Self.options(epochs: 2), checkpointPath: path)
                .train(model: LogisticRegressionModel(), examples: Self.train, resume: true)
        } throws: { error in
            guard case .checkpoint(let where_, let reason) = error as? FineTuningError else { return false }
            return where_ == path && reason.contains("options")
        }
        #expect {
            try FineTuner<LogisticRegressionModel>(options: Self.options(epochs: 1), checkpointPath: path)
                .train(model: LogisticRegressionModel(), examples: Array(Self.train.prefix(100)), resume: true)
        } throws: { error in
            guard case .checkpoint(_, let reason) = error as? FineTuningError else { return false }
            return reason.contains("400 examples")
        }
        // A file that is not a checkpoint.
        let bogus = folder.appendingPathComponent("bogus.safetensors").path
        try SafetensorsWriter.write(["x": TensorData(shape: [1], values: [1])], to: bogus)
        #expect(throws: FineTuningError.checkpoint(
            path: bogus, reason: "no findoc_checkpoint metadata: not a findoc training checkpoint")) {
            try TrainingCheckpoint.read(from: bogus)
        }
    }

    @Test("bad options, no examples and a diverging loss are reported, not trapped")
    func errors() throws {
        var bad = Self.options()
        bad.batchSize = 0
        #expect(throws: FineTuningError.invalidOptions("batch size must be at least 1 (got 0)")) {
            try FineTuner<LogisticRegressionModel>(options: bad).train(model: LogisticRegressionModel(), examples: Self.train)
        }
        #expect(throws: FineTuningError.noExamples) {
            try FineTuner<LogisticRegressionModel>(options: Self.options()).train(model: LogisticRegressionModel(), examples: [])
        }
        // A checkpoint that cannot be written stops training with the path.
        let missing = "/nonexistent-\(UUID().uuidString)/checkpoint.safetensors"
        #expect {
            try FineTuner<LogisticRegressionModel>(options: Self.options(epochs: 1), checkpointPath: missing)
                .train(model: LogisticRegressionModel(), examples: Self.train)
        } throws: { error in
            guard case .checkpointWrite(let path, _) = error as? FineTuningError else { return false }
            return path == missing
        }
        // A point at infinity makes the loss infinite on the first batch that holds it.
        var poisoned = Self.train
        poisoned[0].x = .infinity
        poisoned[0].label = 0
        #expect {
            try FineTuner<LogisticRegressionModel>(options: Self.options(epochs: 1))
                .train(model: LogisticRegressionModel(weight: [1, 1]), examples: poisoned)
        } throws: { error in
            guard case .nonFinite = error as? FineTuningError else { return false }
            return true
        }
    }
}
