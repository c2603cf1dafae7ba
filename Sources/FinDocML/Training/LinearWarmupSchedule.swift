/// The learning rate over training: a linear ramp from 0 to the peak over the warm-up steps, then a linear decay
/// to 0 at the last step, as transformers' `get_linear_schedule_with_warmup` with a `LambdaLR` stepped after every
/// optimiser step.
///
/// Step indices are 0-based and name the optimiser step about to be taken, so (as in transformers) the very first
/// step runs at rate 0 when there is any warm-up: `rate(0) = 0`, `rate(w) = peak`, `rate(total) = 0`.
public struct LinearWarmupSchedule: Sendable, Equatable {
    /// The rate at the end of warm-up.
    public let peak: Double
    /// Optimiser steps in the whole run.
    public let totalSteps: Int
    /// Steps of the ramp.
    public let warmupSteps: Int

    /// A schedule with an explicit number of warm-up steps.
    public init(peak: Double, totalSteps: Int, warmupSteps: Int) {
        self.peak = peak
        self.totalSteps = max(0, totalSteps)
        self.warmupSteps = max(0, warmupSteps)
    }

    /// A schedule whose warm-up is `ceil(fraction × totalSteps)` steps, as transformers' `Trainer` turns
    /// `warmup_ratio` into steps.
    public init(peak: Double, totalSteps: Int, warmupFraction: Double) {
        let warmup = Int((max(0, min(1, warmupFraction)) * Double(max(0, totalSteps))).rounded(.up))
        self.init(peak: peak, totalSteps: totalSteps, warmupSteps: warmup)
    }

    /// The multiplier of `peak` for step `step` (transformers' `lr_lambda`).
    public func factor(at step: Int) -> Double {
        if step < warmupSteps { return Double(step) / Double(max(1, warmupSteps)) }
        return max(0, Double(totalSteps - step) / Double(max(1, totalSteps - warmupSteps)))
    }

    /// The learning rate of step `step`.
    public func rate(at step: Int) -> Double { peak * factor(at: step) }
}
