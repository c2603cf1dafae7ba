/// One optimiser step, as reported to the progress callback.
public struct FineTuningStep: Sendable, Equatable {
    /// Optimiser steps done in the whole run, this one included (1-based).
    public var step: Int
    /// Steps the whole run will take if it does not stop early.
    public var totalSteps: Int
    /// The epoch under way (1-based).
    public var epoch: Int
    /// This step's index inside the epoch (1-based) and the epoch's step count.
    public var stepInEpoch: Int
    /// Batches per epoch.
    public var stepsPerEpoch: Int
    /// The learning rate this step used.
    public var learningRate: Double
    /// The batch's mean loss.
    public var loss: Double
    /// Mean of the batch losses so far in this epoch.
    public var runningLoss: Double
    /// Global gradient norm before clipping.
    public var gradientNorm: Double
    /// Training tokens per second so far in this epoch (forward + backward + update, evaluation excluded).
    public var tokensPerSecond: Double

    /// A step report.
    public init(
        step: Int, totalSteps: Int, epoch: Int, stepInEpoch: Int, stepsPerEpoch: Int, learningRate: Double,
        loss: Double, runningLoss: Double, gradientNorm: Double, tokensPerSecond: Double
    ) {
        self.step = step
        self.totalSteps = totalSteps
        self.epoch = epoch
        self.stepInEpoch = stepInEpoch
        self.stepsPerEpoch = stepsPerEpoch
        self.learningRate = learningRate
        self.loss = loss
        self.runningLoss = runningLoss
        self.gradientNorm = gradientNorm
        self.tokensPerSecond = tokensPerSecond
    }
}

/// What one finished epoch achieved; kept in checkpoints and in a bundle's config.
public struct FineTuningEpoch: Sendable, Equatable, Codable {
    /// The epoch (1-based).
    public var epoch: Int
    /// Mean of its batch losses.
    public var trainLoss: Double
    /// The dev metric after it (higher is better); nil when no dev metric was given.
    public var devMetric: Double?
    /// True when it became the best epoch so far.
    public var improved: Bool
    /// Training tokens it processed.
    public var tokens: Int
    /// Seconds spent training (steps only).
    public var trainSeconds: Double
    /// Seconds for the whole epoch: training and dev evaluation (the checkpoint write comes after).
    public var wallSeconds: Double

    /// Training tokens per second.
    public var tokensPerSecond: Double { trainSeconds > 0 ? Double(tokens) / trainSeconds : 0 }

    /// An epoch report.
    public init(
        epoch: Int, trainLoss: Double, devMetric: Double?, improved: Bool, tokens: Int, trainSeconds: Double,
        wallSeconds: Double
    ) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.devMetric = devMetric
        self.improved = improved
        self.tokens = tokens
        self.trainSeconds = trainSeconds
        self.wallSeconds = wallSeconds
    }

    enum CodingKeys: String, CodingKey {
        case epoch, improved, tokens
        case trainLoss = "train_loss", devMetric = "dev_metric", trainSeconds = "train_seconds"
        case wallSeconds = "wall_seconds"
    }
}

/// Why training ended.
public enum FineTuningStop: Sendable, Equatable {
    /// Every epoch ran.
    case completed
    /// `patience` epochs in a row brought no better dev metric; training stopped after `epoch`.
    case earlyStopped(epoch: Int)
    /// A `TrainingInterrupt` was raised during epoch `epoch`; that epoch's work is discarded and the last
    /// checkpoint (if any) stands.
    case interrupted(epoch: Int)
}

/// What the progress callback hears.
public enum FineTuningEvent: Sendable, Equatable {
    /// After every optimiser step.
    case step(FineTuningStep)
    /// After every epoch, once its checkpoint (if any) is on disk. The model still holds that epoch's values, so a
    /// caller that wants the best bundle on disk as training goes can save one here when `improved` is true.
    case epoch(FineTuningEpoch)
    /// Once, at the end.
    case stopped(FineTuningStop)
}

/// The outcome of `FineTuner.train`.
public struct FineTuningResult: Sendable, Equatable {
    /// Every finished epoch, first to last (those from a resumed checkpoint included).
    public var history: [FineTuningEpoch]
    /// The epoch whose parameters the model now holds (1-based): the best by dev metric, or the last finished
    /// without a dev metric; nil when no epoch finished.
    public var bestEpoch: Int?
    /// The dev metric of `bestEpoch`, when there is one.
    public var bestMetric: Double?
    /// Optimiser steps taken in the whole run.
    public var steps: Int
    /// Why it ended.
    public var stop: FineTuningStop
    /// The checkpoint file, if one was written (or resumed from).
    public var checkpointPath: String?
    /// The epochs the resumed checkpoint had finished; nil when training started afresh.
    public var resumedAfterEpoch: Int?
}

/// Why `FineTuner` could not train; each case says what to fix.
public enum FineTuningError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An option is out of range.
    case invalidOptions(String)
    /// There is nothing to train on.
    case noExamples
    /// The model lists no trainable parameter, or two with one name.
    case badParameters(String)
    /// The loss or the gradient norm became NaN or infinite at `step` (learning rate too high, or a bug in the
    /// model's backward pass); the last checkpoint stands.
    case nonFinite(step: Int, what: String)
    /// The checkpoint cannot be read, or belongs to another run.
    case checkpoint(path: String, reason: String)
    /// The checkpoint could not be written (disk full, folder missing); the previous one, if any, stands.
    case checkpointWrite(path: String, reason: String)
    /// The dev metric closure failed.
    case devMetricFailed(epoch: Int, reason: String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .invalidOptions(let reason): "invalid training options: \(reason)"
        case .noExamples: "no training examples"
        case .badParameters(let reason): "the model's trainable parameters are unusable: \(reason)"
        case .nonFinite(let step, let what):
            "the \(what) became NaN or infinite at step \(step) (try a lower learning rate); the last checkpoint stands"
        case .checkpoint(let path, let reason): "\(path): cannot resume from this checkpoint: \(reason)"
        case .checkpointWrite(let path, let reason): "\(path): cannot write the checkpoint: \(reason)"
        case .devMetricFailed(let epoch, let reason): "dev evaluation after epoch \(epoch) failed: \(reason)"
        }
    }
}
