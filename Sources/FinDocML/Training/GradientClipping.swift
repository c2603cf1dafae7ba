/// Global-norm gradient clipping, as `torch.nn.utils.clip_grad_norm_` with the 2-norm: the norm of all
/// gradients taken together, and when it exceeds `maxNorm` every gradient is scaled by `maxNorm / (norm + 1e-6)`.
///
/// The norm is summed in Double (thousands of tensors, millions of squares), which is at least as accurate as
/// PyTorch's per-tensor Float norms.
public enum GradientClipping {
    /// The 2-norm of every gradient of `parameters` taken as one vector.
    public static func globalNorm(of parameters: [TrainableParameter]) -> Double {
        var sum = 0.0
        for parameter in parameters {
            parameter.gradients.withUnsafeBufferPointer { gradients in
                var partial: Float = 0
                var block = 0
                // Float partial sums over short blocks keep the loop fast; Double across blocks keeps it exact
                // enough for millions of terms.
                for gradient in gradients {
                    partial += gradient * gradient
                    block += 1
                    if block == 256 {
                        sum += Double(partial)
                        partial = 0
                        block = 0
                    }
                }
                sum += Double(partial)
            }
        }
        return sum.squareRoot()
    }

    /// Scales the gradients so that their global norm is at most `maxNorm`; returns the norm before clipping
    /// (what PyTorch returns, and what a progress line shows). A non-finite norm is returned untouched.
    @discardableResult
    public static func clip(_ parameters: [TrainableParameter], maxNorm: Double) -> Double {
        let norm = globalNorm(of: parameters)
        guard norm.isFinite else { return norm }
        let coefficient = maxNorm / (norm + 1e-6)
        if coefficient < 1 {
            let scale = Float(coefficient)
            for parameter in parameters {
                parameter.gradients.withUnsafeMutableBufferPointer { gradients in
                    for index in gradients.indices { gradients[index] *= scale }
                }
            }
        }
        return norm
    }
}
