import Foundation

/// The training loop for any `FineTunableModel`: length-bucketed mini-batches, AdamW with linear warm-up and
/// decay, global-norm clipping, a dev metric after every epoch with early stopping that restores the best epoch,
/// an atomic checkpoint after every epoch, progress events, and a clean stop on `TrainingInterrupt`.
///
/// Per step: zero the gradients, let the model add the batch's mean-loss gradient (dropout seeded from
/// (seed, step)), clip, take one AdamW step at the scheduled rate. Per epoch: evaluate the dev metric (higher is
/// better), remember the parameter values when it improved, write the checkpoint, report. Everything random
/// derives from `options.seed`, so the same model, data and seed give the same parameters bit for bit, and a run
/// resumed from a checkpoint ends where the uninterrupted run would have.
///
/// Non-goals: the maths of the model (forward, backward, threads) belong to the model; saving a bundle belongs
/// to the caller, who knows the task and labels (`FineTunedBundle`).
public struct FineTuner<Model: FineTunableModel> {
    /// The loop's settings.
    public var options: FineTunerOptions
    /// Where the checkpoint file goes (replaced after every epoch); nil writes none.
    public var checkpointPath: String?
    /// Checked between steps; raising it stops training cleanly.
    public var interrupt: TrainingInterrupt?

    /// A trainer with the given settings.
    public init(options: FineTunerOptions, checkpointPath: String? = nil, interrupt: TrainingInterrupt? = nil) {
        self.options = options
        self.checkpointPath = checkpointPath
        self.interrupt = interrupt
    }

    /// Trains `model` on `examples`.
    ///
    /// - Parameters:
    ///   - devMetric: evaluates the model after each epoch (higher is better, e.g. accuracy or F1); without it
    ///     there is no early stopping and the last epoch is kept.
    ///   - resume: when true and `checkpointPath` names an existing checkpoint of the same run (same options,
    ///     example count and parameters), continue after its last epoch instead of starting over.
    ///   - progress: hears every step, every epoch and the end.
    /// - Returns: the history and why training stopped; the model holds the best (or last) epoch's values, or,
    ///   when interrupted before any epoch finished, the values reached so far.
    public func train(
        model: Model, examples: [Model.Example], devMetric: ((Model) throws -> Double)? = nil, resume: Bool = false,
        progress: (FineTuningEvent) -> Void = { _ in }
    ) throws(FineTuningError) -> FineTuningResult {
        if let problem = options.problem { throw .invalidOptions(problem) }
        guard !examples.isEmpty else { throw .noExamples }
        let parameters = model.trainableParameters
        try Self.checkNames(parameters)

        let tokenCounts = examples.map { model.tokenCount(of: $0) }
        let batcher = LengthBucketBatcher(
            batchSize: options.batchSize, seed: options.seed, chunkBatches: options.bucketChunkBatches)
        let stepsPerEpoch = batcher.batchCount(examples: examples.count)
        let totalSteps = stepsPerEpoch * options.epochs
        let schedule = LinearWarmupSchedule(
            peak: options.learningRate, totalSteps: totalSteps, warmupFraction: options.warmupFraction)

        var state = TrainingCheckpoint.State(
            format: TrainingCheckpoint.format, version: 1, options: options, exampleCount: examples.count,
            epochsCompleted: 0, step: 0, bestEpoch: nil, bestMetric: nil, epochsWithoutImprovement: 0,
            finished: false, history: [], parameterNames: parameters.map(\.name))
        var best: [[Float]]?
        var resumedAfterEpoch: Int?
        let optimizer: AdamW
        if resume, let checkpointPath, FileManager.default.fileExists(atPath: checkpointPath) {
            let checkpoint = try TrainingCheckpoint.read(from: checkpointPath)
            try Self.checkCompatible(checkpoint, with: state, parameters: parameters, path: checkpointPath)
            state = checkpoint.state
            resumedAfterEpoch = state.epochsCompleted
            var moments: [AdamW.Moments] = []
            for parameter in parameters {
                if let values = checkpoint.parameters[parameter.name]?.values { parameter.values = values }
                if let moment = checkpoint.moments[parameter.name] { moments.append(moment) }
            }
            if state.bestEpoch != nil { best = parameters.map { checkpoint.best[$0.name]?.values ?? $0.values } }
            optimizer = AdamW(
                parameters: parameters, hyperparameters: options.adamW, moments: moments, stepCount: state.step)
        } else {
            optimizer = AdamW(parameters: parameters, hyperparameters: options.adamW)
        }

        var stop: FineTuningStop = .completed
        if state.finished {
            if let last = state.history.last, last.epoch < options.epochs { stop = .earlyStopped(epoch: last.epoch) }
        }
        let clock = ContinuousClock()
        epochs: while !state.finished && state.epochsCompleted < options.epochs {
            let epoch = state.epochsCompleted + 1
            let epochStart = clock.now
            var lossSum = 0.0
            var tokens = 0
            var trainSeconds = 0.0
            let batches = batcher.batches(tokenCounts: tokenCounts, epoch: epoch - 1)
            for (index, batch) in batches.enumerated() {
                if interrupt?.isRequested == true {
                    stop = .interrupted(epoch: epoch)
                    break epochs
                }
                let stepStart = clock.now
                for parameter in parameters { parameter.zeroGradients() }
                let stepIndex = state.step
                let loss = model.accumulateGradients(
                    batch: batch.map { examples[$0] },
                    dropoutSeed: TrainingSeeds.derive(options.seed, purpose: .dropout, index: UInt64(stepIndex)))
                guard loss.isFinite else { throw .nonFinite(step: stepIndex + 1, what: "loss") }
                let norm: Double
                if let clipNorm = options.clipNorm {
                    norm = GradientClipping.clip(parameters, maxNorm: clipNorm)
                } else {
                    norm = GradientClipping.globalNorm(of: parameters)
                }
                guard norm.isFinite else { throw .nonFinite(step: stepIndex + 1, what: "gradient norm") }
                let rate = schedule.rate(at: stepIndex)
                optimizer.step(parameters, learningRate: rate)
                state.step += 1
                lossSum += loss
                tokens += batch.reduce(0) { $0 + tokenCounts[$1] }
                trainSeconds += Self.seconds(clock.now - stepStart)
                progress(
                    .step(
                        FineTuningStep(
                            step: state.step, totalSteps: totalSteps, epoch: epoch, stepInEpoch: index + 1,
                            stepsPerEpoch: stepsPerEpoch, learningRate: rate, loss: loss,
                            runningLoss: lossSum / Double(index + 1), gradientNorm: norm,
                            tokensPerSecond: trainSeconds > 0 ? Double(tokens) / trainSeconds : 0)))
            }

            var metric: Double?
            if let devMetric {
                let value: Double
                do {
                    value = try devMetric(model)
                } catch {
                    throw .devMetricFailed(epoch: epoch, reason: "\(error)")
                }
                guard value.isFinite else { throw .devMetricFailed(epoch: epoch, reason: "the metric is \(value)") }
                metric = value
            }
            let improved = metric.map { value in state.bestMetric.map { value > $0 } ?? true } ?? true
            if improved {
                state.bestEpoch = epoch
                state.bestMetric = metric
                state.epochsWithoutImprovement = 0
                best = parameters.map(\.values)
            } else {
                state.epochsWithoutImprovement += 1
            }
            state.epochsCompleted = epoch
            if let patience = options.patience, metric != nil, state.epochsWithoutImprovement >= patience,
                epoch < options.epochs
            {
                stop = .earlyStopped(epoch: epoch)
                state.finished = true
            }
            if epoch == options.epochs { state.finished = true }
            let summary = FineTuningEpoch(
                epoch: epoch, trainLoss: lossSum / Double(max(1, batches.count)), devMetric: metric,
                improved: improved, tokens: tokens, trainSeconds: trainSeconds,
                wallSeconds: Self.seconds(clock.now - epochStart))
            state.history.append(summary)
            if let checkpointPath {
                try Self.writeCheckpoint(
                    state: state, parameters: parameters, best: best, optimizer: optimizer, path: checkpointPath)
            }
            progress(.epoch(summary))
        }

        if let best {
            for (parameter, values) in zip(parameters, best) { parameter.values = values }
        }
        progress(.stopped(stop))
        return FineTuningResult(
            history: state.history, bestEpoch: state.bestEpoch, bestMetric: state.bestMetric, steps: state.step,
            stop: stop, checkpointPath: checkpointPath, resumedAfterEpoch: resumedAfterEpoch)
    }

    /// Names must be unique and non-empty: checkpoints and bundles store tensors by name.
    private static func checkNames(_ parameters: [TrainableParameter]) throws(FineTuningError) {
        guard !parameters.isEmpty else { throw .badParameters("the model lists none") }
        var seen = Set<String>()
        for parameter in parameters {
            guard !parameter.name.isEmpty else { throw .badParameters("a parameter has an empty name") }
            guard seen.insert(parameter.name).inserted else {
                throw .badParameters("two parameters are named \(parameter.name)")
            }
        }
    }

    /// A checkpoint continues this run only with the same options, examples and parameters.
    private static func checkCompatible(
        _ checkpoint: TrainingCheckpoint, with fresh: TrainingCheckpoint.State, parameters: [TrainableParameter],
        path: String
    ) throws(FineTuningError) {
        let saved = checkpoint.state
        if saved.options != fresh.options {
            throw .checkpoint(path: path, reason: "it was written with other training options (\(saved.options))")
        }
        if saved.exampleCount != fresh.exampleCount {
            throw .checkpoint(
                path: path, reason: "it was trained on \(saved.exampleCount) examples, this run has \(fresh.exampleCount)")
        }
        if saved.parameterNames != fresh.parameterNames {
            throw .checkpoint(path: path, reason: "its parameters differ from the model's")
        }
        for parameter in parameters {
            guard let tensor = checkpoint.parameters[parameter.name], tensor.shape == parameter.shape,
                tensor.values.count == parameter.values.count
            else {
                throw .checkpoint(path: path, reason: "tensor \(parameter.name) does not have shape \(parameter.shape)")
            }
        }
    }

    /// Writes the checkpoint for the state at the end of an epoch.
    private static func writeCheckpoint(
        state: TrainingCheckpoint.State, parameters: [TrainableParameter], best: [[Float]]?, optimizer: AdamW,
        path: String
    ) throws(FineTuningError) {
        var current: [String: TensorData] = [:]
        var bestTensors: [String: TensorData] = [:]
        var moments: [String: AdamW.Moments] = [:]
        for (index, parameter) in parameters.enumerated() {
            current[parameter.name] = TensorData(shape: parameter.shape, values: parameter.values)
            if let best { bestTensors[parameter.name] = TensorData(shape: parameter.shape, values: best[index]) }
            moments[parameter.name] = optimizer.moments[index]
        }
        do {
            try TrainingCheckpoint(state: state, parameters: current, best: bestTensors, moments: moments)
                .write(to: path)
        } catch {
            throw .checkpointWrite(path: path, reason: "\(error)")
        }
    }

    /// A duration in seconds.
    private static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
