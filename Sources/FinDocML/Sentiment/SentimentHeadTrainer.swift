import COpenBLAS
import Foundation

/// Settings of `SentimentHeadTrainer`.
public struct SentimentTrainingOptions: Sendable, Equatable, Codable {
    /// L2 penalty on the weights: loss = mean cross-entropy + l2 / 2 · ‖W‖².
    public var l2: Float = 1e-3
    /// Full-batch optimisation steps.
    public var epochs: Int = 400
    /// Adam step size.
    public var learningRate: Float = 0.05
    /// Weigh each row by n / (classes × its class's count), so rare labels count as much as common ones (lifts
    /// macro-F1 when the labels are unbalanced, as PhraseBank's are).
    public var balanced = false

    /// The defaults (tuned on a PhraseBank dev slice; see `Models/sentiment-minilm-frozen/MODEL.md`).
    public init() {}

    enum CodingKeys: String, CodingKey {
        case l2, epochs, balanced
        case learningRate = "learning_rate"
    }

    /// Reads the settings; `balanced` is optional (absent means false).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        l2 = try container.decode(Float.self, forKey: .l2)
        epochs = try container.decode(Int.self, forKey: .epochs)
        learningRate = try container.decode(Float.self, forKey: .learningRate)
        balanced = try container.decodeIfPresent(Bool.self, forKey: .balanced) ?? false
    }
}

/// Fits a `SentimentHead` by full-batch Adam on the mean cross-entropy with an L2 penalty.
///
/// The problem is convex and the start is all zeros, and every step is a fixed sequence of BLAS products and
/// loops, so the same data give the same head on every run: no seed is needed for training itself.
public enum SentimentHeadTrainer {
    /// Trains on `embeddings` (rows of equal width) with gold `labels` (indices into `classes`).
    ///
    /// - Precondition: `embeddings.count == labels.count`, labels in `0..<classes.count`, at least one row.
    public static func train(
        embeddings: [[Float]], labels: [Int], classes: [String], options: SentimentTrainingOptions = .init()
    ) -> SentimentHead {
        precondition(embeddings.count == labels.count && !embeddings.isEmpty, "one label per embedding, at least one")
        let n = embeddings.count, d = embeddings[0].count, c = classes.count
        // Standardisation from the training rows; a constant dimension keeps scale 1.
        var mean = [Double](repeating: 0, count: d), square = [Double](repeating: 0, count: d)
        for row in embeddings {
            for j in 0..<d {
                let v = Double(j < row.count ? row[j] : 0)
                mean[j] += v
                square[j] += v * v
            }
        }
        var scale = [Float](repeating: 1, count: d)
        for j in 0..<d {
            mean[j] /= Double(n)
            let variance = square[j] / Double(n) - mean[j] * mean[j]
            if variance > 1e-12 { scale[j] = Float(1 / variance.squareRoot()) }
        }
        var head = SentimentHead(
            labels: classes, weights: [Float](repeating: 0, count: c * d), bias: [Float](repeating: 0, count: c),
            featureMean: mean.map(Float.init), featureScale: scale)
        let x = head.standardised(embeddings)

        var mW = [Float](repeating: 0, count: c * d), vW = mW, mB = [Float](repeating: 0, count: c), vB = mB
        var probabilities = [Float](repeating: 0, count: n * c)
        var gradW = [Float](repeating: 0, count: c * d)
        // Row weights, normalised to sum to 1 (plain mean when not balanced).
        var counts = [Int](repeating: 0, count: c)
        for label in labels { counts[label] += 1 }
        var rowWeight = labels.map { options.balanced ? 1 / Float(max(1, counts[$0])) : 1 }
        let totalWeight = rowWeight.reduce(0, +)
        rowWeight = rowWeight.map { $0 / totalWeight }
        let beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8
        for step in 1...max(1, options.epochs) {
            SentimentHead.logits(x: x, rows: n, dimension: d, weights: head.weights, bias: head.bias, into: &probabilities)
            SentimentHead.softmaxRows(&probabilities, width: c)
            // dL/dlogits = w_r · (P − Y)
            var gradB = [Float](repeating: 0, count: c)
            for r in 0..<n {
                probabilities[r * c + labels[r]] -= 1
                for k in 0..<c {
                    probabilities[r * c + k] *= rowWeight[r]
                    gradB[k] += probabilities[r * c + k]
                }
            }
            // gradW[C×D] = (P − Y)ᵀ[C×N] · X[N×D] + l2 · W
            gradW = head.weights.map { $0 * options.l2 }
            probabilities.withUnsafeBufferPointer { pp in
                x.withUnsafeBufferPointer { xp in
                    gradW.withUnsafeMutableBufferPointer { gp in
                        guard let pb = pp.baseAddress, let xb = xp.baseAddress, let gb = gp.baseAddress else { return }
                        // beta = 1 accumulates onto the L2 term already in gradW.
                        cblas_sgemm(
                            CblasRowMajor, CblasTrans, CblasNoTrans, blasint(c), blasint(d), blasint(n), 1, pb,
                            blasint(c), xb, blasint(d), 1, gb, blasint(d))
                    }
                }
            }
            let correction1 = 1 - Float(pow(Double(beta1), Double(step)))
            let correction2 = 1 - Float(pow(Double(beta2), Double(step)))
            let rate = options.learningRate
            func adam(_ p: inout [Float], _ g: [Float], _ m: inout [Float], _ v: inout [Float]) {
                for i in 0..<p.count {
                    m[i] = beta1 * m[i] + (1 - beta1) * g[i]
                    v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
                    p[i] -= rate * (m[i] / correction1) / ((v[i] / correction2).squareRoot() + epsilon)
                }
            }
            adam(&head.weights, gradW, &mW, &vW)
            adam(&head.bias, gradB, &mB, &vB)
        }
        return head
    }
}
