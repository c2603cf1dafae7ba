import FinDocML
import Foundation

/// Turns `FineTuner`'s events into stderr lines: a redrawn step line on a terminal (at most a few times a
/// second), one line per epoch always, and a closing line that says why training stopped and, after Ctrl-C,
/// which checkpoint stands and how to continue.
///
/// DRAFT for issue 7 (not yet wired into a command). The line texts are pure functions so tests pin them.
final class FineTuneProgressPrinter {
    /// Dev metric name shown in epoch lines (`accuracy`, `entity F1`).
    let metricName: String
    /// Epochs the run was given.
    let epochs: Int
    /// Where the checkpoint goes, for the closing line.
    let checkpointPath: String?
    /// Receives finished lines (stderr by default).
    private let writeLine: (String) -> Void
    /// Redraws the step line (stderr on a terminal by default).
    private let redraw: (String) -> Void
    /// Seconds between two step redraws.
    private let interval: Double
    private var lastRedraw: UInt64 = 0

    /// A printer writing to stderr.
    init(
        metricName: String, epochs: Int, checkpointPath: String?, interval: Double = 0.25,
        writeLine: @escaping (String) -> Void = { Terminal.endProgress(); Terminal.diagnostic($0) },
        redraw: @escaping (String) -> Void = { Terminal.progress($0) }
    ) {
        self.metricName = metricName
        self.epochs = epochs
        self.checkpointPath = checkpointPath
        self.interval = interval
        self.writeLine = writeLine
        self.redraw = redraw
    }

    /// Handles one event.
    func handle(_ event: FineTuningEvent) {
        switch event {
        case .step(let step):
            let now = DispatchTime.now().uptimeNanoseconds
            if step.stepInEpoch == step.stepsPerEpoch || Double(now &- lastRedraw) / 1e9 >= interval {
                lastRedraw = now
                redraw(Self.stepLine(step, epochs: epochs))
            }
        case .epoch(let epoch):
            writeLine(Self.epochLine(epoch, epochs: epochs, metricName: metricName, checkpointPath: checkpointPath))
        case .stopped(let stop):
            writeLine(Self.stopLine(stop, checkpointPath: checkpointPath))
        }
    }

    /// `epoch 2/5 step 130/250 (lr 4.1e-05) loss 0.4123 (mean 0.4530) 1,234 tokens/s`.
    static func stepLine(_ step: FineTuningStep, epochs: Int) -> String {
        "epoch \(step.epoch)/\(epochs) step \(step.stepInEpoch)/\(step.stepsPerEpoch) "
            + String(format: "(lr %.2g) loss %.4f (mean %.4f) ", step.learningRate, step.loss, step.runningLoss)
            + "\(Terminal.grouped(Int(step.tokensPerSecond.rounded()))) tokens/s"
    }

    /// `epoch 2/5: train loss 0.3123, dev accuracy 0.8712 (best), 1,234 tokens/s, 41.2 s; checkpoint saved`.
    static func epochLine(_ epoch: FineTuningEpoch, epochs: Int, metricName: String, checkpointPath: String?) -> String {
        var line = "epoch \(epoch.epoch)/\(epochs): " + String(format: "train loss %.4f", epoch.trainLoss)
        if let metric = epoch.devMetric {
            line += ", dev \(metricName) " + String(format: "%.4f", metric) + (epoch.improved ? " (best)" : "")
        }
        line += ", \(Terminal.grouped(Int(epoch.tokensPerSecond.rounded()))) tokens/s"
        line += String(format: ", %.1f s", epoch.wallSeconds)
        if checkpointPath != nil { line += "; checkpoint saved" }
        return line
    }

    /// Why training stopped, and after an interruption what the user has and how to continue.
    static func stopLine(_ stop: FineTuningStop, checkpointPath: String?) -> String {
        switch stop {
        case .completed:
            return "training finished"
        case .earlyStopped(let epoch):
            return "stopped early after epoch \(epoch): the dev score did not improve; keeping the best epoch"
        case .interrupted(let epoch):
            if epoch > 1, let checkpointPath {
                return "interrupted during epoch \(epoch): the checkpoint after epoch \(epoch - 1) stands at "
                    + "\(checkpointPath); run the same command with --resume to continue"
            }
            return "interrupted during epoch \(epoch), before any epoch finished: nothing was saved"
        }
    }
}
