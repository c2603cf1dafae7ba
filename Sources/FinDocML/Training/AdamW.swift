/// AdamW (Loshchilov & Hutter, "Decoupled Weight Decay Regularization"), step for step as PyTorch's
/// `torch.optim.AdamW` (amsgrad off, not maximising): first the decoupled decay `θ ← θ·(1 − lr·λ)` on parameters
/// that decay, then the Adam moments and the bias-corrected update
///
///     m ← β1·m + (1 − β1)·g            v ← β2·v + (1 − β2)·g²
///     θ ← θ − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε)
///
/// with `t` the 1-based step count. Scalars are formed in Double as PyTorch does in Python floats; the tensor
/// arithmetic is Float. The moments are kept per parameter, in the order of the list handed to `step`, and can be
/// saved and restored (checkpoints) through `moments`.
public final class AdamW {
    /// The hyper-parameters that do not change during training (the learning rate comes with each step).
    public struct Hyperparameters: Sendable, Equatable, Codable {
        /// Decay of the first moment (PyTorch default 0.9).
        public var beta1: Double
        /// Decay of the second moment (PyTorch default 0.999).
        public var beta2: Double
        /// Added to the denominator (PyTorch default 1e-8).
        public var epsilon: Double
        /// Decoupled weight decay λ, applied only to parameters whose `decays` is true.
        public var weightDecay: Double

        /// PyTorch's defaults except the weight decay, which the caller chooses (PyTorch's default is 0.01).
        public init(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, weightDecay: Double = 0.01) {
            self.beta1 = beta1
            self.beta2 = beta2
            self.epsilon = epsilon
            self.weightDecay = weightDecay
        }
    }

    /// The first and second moments of one parameter.
    public struct Moments: Sendable, Equatable {
        /// Running mean of the gradient (PyTorch's `exp_avg`).
        public var first: [Float]
        /// Running mean of the squared gradient (`exp_avg_sq`).
        public var second: [Float]

        /// Moments with the given values (restored from a checkpoint).
        public init(first: [Float], second: [Float]) {
            self.first = first
            self.second = second
        }
    }

    /// The hyper-parameters.
    public let hyperparameters: Hyperparameters
    /// Steps taken so far (`t` of the last step; 0 before the first).
    public private(set) var stepCount: Int
    /// Moments per parameter, in the order of the parameters given to `step`.
    public private(set) var moments: [Moments]

    /// An optimiser for `parameters` with zero moments.
    public init(parameters: [TrainableParameter], hyperparameters: Hyperparameters) {
        self.hyperparameters = hyperparameters
        stepCount = 0
        moments = parameters.map {
            Moments(
                first: [Float](repeating: 0, count: $0.values.count),
                second: [Float](repeating: 0, count: $0.values.count))
        }
    }

    /// Restores a saved state: moments matching `parameters` in order and count, and the step count.
    public init(
        parameters: [TrainableParameter], hyperparameters: Hyperparameters, moments: [Moments], stepCount: Int
    ) {
        precondition(moments.count == parameters.count, "AdamW: \(moments.count) moments for \(parameters.count)")
        for (parameter, moment) in zip(parameters, moments) {
            precondition(
                moment.first.count == parameter.values.count && moment.second.count == parameter.values.count,
                "AdamW: moment sizes of \(parameter.name) differ from its values")
        }
        self.hyperparameters = hyperparameters
        self.stepCount = stepCount
        self.moments = moments
    }

    /// One update of every parameter from its `gradients` at learning rate `learningRate`.
    public func step(_ parameters: [TrainableParameter], learningRate: Double) {
        precondition(parameters.count == moments.count, "AdamW: parameter list changed since the optimiser was made")
        stepCount += 1
        let beta1 = hyperparameters.beta1
        let beta2 = hyperparameters.beta2
        let t = Double(stepCount)
        let biasCorrection1 = 1 - pow(beta1, t)
        let biasCorrection2Root = (1 - pow(beta2, t)).squareRoot()
        let stepSize = Float(learningRate / biasCorrection1)
        let correctionRoot = Float(biasCorrection2Root)
        let epsilon = Float(hyperparameters.epsilon)
        let decayFactor = Float(1 - learningRate * hyperparameters.weightDecay)
        let b1 = Float(beta1)
        let b2 = Float(beta2)
        let oneMinusB1 = Float(1 - beta1)
        let oneMinusB2 = Float(1 - beta2)
        for (index, parameter) in parameters.enumerated() {
            let decays = parameter.decays && hyperparameters.weightDecay != 0
            // Taken out of the array while updated: two overlapping accesses to `moments` would break exclusivity,
            // and a plain copy would duplicate the buffers.
            var moment = Moments(first: [], second: [])
            swap(&moment, &moments[index])
            defer { swap(&moment, &moments[index]) }
            moment.first.withUnsafeMutableBufferPointer { m in
                moment.second.withUnsafeMutableBufferPointer { v in
                    parameter.gradients.withUnsafeBufferPointer { g in
                        parameter.values.withUnsafeMutableBufferPointer { theta in
                            for i in 0..<theta.count {
                                if decays { theta[i] *= decayFactor }
                                let gradient = g[i]
                                m[i] = b1 * m[i] + oneMinusB1 * gradient
                                v[i] = b2 * v[i] + oneMinusB2 * gradient * gradient
                                let denominator = v[i].squareRoot() / correctionRoot + epsilon
                                theta[i] -= stepSize * m[i] / denominator
                            }
                        }
                    }
                }
            }
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
