import Foundation

/// A multinomial logistic-regression head on frozen sentence embeddings: standardise each dimension, then
/// `softmax(W · x + b)`.
///
/// Why standardise: MiniLM's pooled embeddings are L2-normalised, so single dimensions are tiny and badly scaled;
/// z-scoring them makes full-batch training converge in a few hundred steps. The mean and scale are part of the head.
///
/// Non-goals: fine-tuning the encoder (the fine-tuning runtime does that) and hidden layers.
public struct SentimentHead: Sendable, Equatable, Codable {
    /// Class labels, in the order of `weights`' rows.
    public var labels: [String]
    /// `labels.count × dimension` weights, row by row.
    public var weights: [Float]
    /// One bias per label.
    public var bias: [Float]
    /// Per-dimension mean subtracted before the product.
    public var featureMean: [Float]
    /// Per-dimension factor applied after subtracting the mean (1 / standard deviation).
    public var featureScale: [Float]

    /// Embedding width.
    public var dimension: Int { featureMean.count }

    /// Creates a head from its parts (sizes must agree: `weights.count == labels.count × featureMean.count`).
    public init(labels: [String], weights: [Float], bias: [Float], featureMean: [Float], featureScale: [Float]) {
        self.labels = labels
        self.weights = weights
        self.bias = bias
        self.featureMean = featureMean
        self.featureScale = featureScale
    }

    enum CodingKeys: String, CodingKey {
        case labels, weights, bias
        case featureMean = "feature_mean", featureScale = "feature_scale"
    }

    /// Whether the sizes agree (a bundle read from disk is checked with it).
    public var isConsistent: Bool {
        !labels.isEmpty && bias.count == labels.count && featureScale.count == featureMean.count
            && weights.count == labels.count * featureMean.count && Set(labels).count == labels.count
            && weights.allSatisfy(\.isFinite) && bias.allSatisfy(\.isFinite) && featureMean.allSatisfy(\.isFinite)
            && featureScale.allSatisfy(\.isFinite)
    }

    /// Class probabilities of each embedding (rows of `dimension` floats), in `labels` order.
    public func probabilities(_ embeddings: [[Float]]) -> [[Float]] {
        guard !embeddings.isEmpty else { return [] }
        let x = standardised(embeddings)
        var logits = [Float](repeating: 0, count: embeddings.count * labels.count)
        Self.logits(x: x, rows: embeddings.count, dimension: dimension, weights: weights, bias: bias, into: &logits)
        Self.softmaxRows(&logits, width: labels.count)
        return (0..<embeddings.count).map { Array(logits[($0 * labels.count)..<(($0 + 1) * labels.count)]) }
    }

    /// The embeddings as one row-major matrix, standardised with this head's mean and scale. A row of the wrong
    /// width is padded or cut (callers pass the encoder's own embeddings, so this never happens in practice).
    func standardised(_ embeddings: [[Float]]) -> [Float] {
        let d = dimension
        var x = [Float](repeating: 0, count: embeddings.count * d)
        for (r, row) in embeddings.enumerated() {
            for j in 0..<min(d, row.count) { x[r * d + j] = (row[j] - featureMean[j]) * featureScale[j] }
        }
        return x
    }

    /// `logits[rows×C] = x[rows×D] · weights[C×D]ᵀ + bias`.
    static func logits(x: [Float], rows: Int, dimension: Int, weights: [Float], bias: [Float], into logits: inout [Float]) {
        let classes = bias.count
        x.withUnsafeBufferPointer { xp in
            weights.withUnsafeBufferPointer { wp in
                bias.withUnsafeBufferPointer { bp in
                    logits.withUnsafeMutableBufferPointer { lp in
                        guard let xb = xp.baseAddress, let wb = wp.baseAddress, let bb = bp.baseAddress,
                            let lb = lp.baseAddress
                        else { return }
                        BLASMatrixMultiply.linear(
                            x: xb, rows: rows, inputs: dimension, weight: wb, bias: bb, outputs: classes, into: lb)
                    }
                }
            }
        }
    }

    /// Numerically stable softmax of each `width`-wide row, in place.
    static func softmaxRows(_ values: inout [Float], width: Int) {
        guard width > 0 else { return }
        for start in stride(from: 0, to: values.count, by: width) {
            var top = -Float.infinity
            for j in start..<(start + width) { top = max(top, values[j]) }
            var sum: Float = 0
            for j in start..<(start + width) {
                values[j] = Float(exp(Double(values[j] - top)))
                sum += values[j]
            }
            for j in start..<(start + width) { values[j] /= sum }
        }
    }
}
