import Foundation

@testable import FinDocML

/// A real, tiny `FineTunableModel` for testing `FineTuner` without the encoder: logistic regression on 2-D
/// points, p = σ(w·x + b), trained on the mean binary cross-entropy, whose gradient is written out by hand
/// (∂L/∂w = mean((p − y)·x), ∂L/∂b = mean(p − y)). It also records what the trainer handed it, so tests can check
/// the batching and the seeds.
final class LogisticRegressionModel: FineTunableModel {
    /// One labelled point; `tokens` stands in for a sentence length (the trainer buckets by it).
    struct Point: Sendable, Equatable {
        var id: Int
        var x: Double
        var y: Double
        var label: Int
        var tokens: Int
    }

    let weight: TrainableParameter
    let bias: TrainableParameter
    /// Ids of every batch seen, in order.
    private(set) var batchesSeen: [[Int]] = []
    /// The dropout seed of every call.
    private(set) var dropoutSeeds: [UInt64] = []

    init(weight: [Float] = [0, 0], bias: Float = 0) {
        self.weight = TrainableParameter(name: "classifier.weight", shape: [1, 2], values: weight, decays: true)
        self.bias = TrainableParameter(name: "classifier.bias", shape: [1], values: [bias], decays: false)
    }

    var trainableParameters: [TrainableParameter] { [weight, bias] }

    func tokenCount(of example: Point) -> Int { example.tokens }

    func probability(_ point: Point) -> Double {
        let z = Double(weight.values[0]) * point.x + Double(weight.values[1]) * point.y + Double(bias.values[0])
        return 1 / (1 + exp(-z))
    }

    func accumulateGradients(batch: [Point], dropoutSeed: UInt64) -> Double {
        batchesSeen.append(batch.map(\.id))
        dropoutSeeds.append(dropoutSeed)
        let n = Double(batch.count)
        var loss = 0.0
        var gradW = (0.0, 0.0)
        var gradB = 0.0
        for point in batch {
            let z = Double(weight.values[0]) * point.x + Double(weight.values[1]) * point.y + Double(bias.values[0])
            let p = 1 / (1 + exp(-z))
            let y = Double(point.label)
            // −[y·log σ(z) + (1−y)·log(1−σ(z))] = softplus(z) − y·z, stable for large |z|.
            loss += max(z, 0) + log1p(exp(-abs(z))) - y * z
            gradW.0 += (p - y) * point.x / n
            gradW.1 += (p - y) * point.y / n
            gradB += (p - y) / n
        }
        weight.gradients[0] += Float(gradW.0)
        weight.gradients[1] += Float(gradW.1)
        bias.gradients[0] += Float(gradB)
        return loss / n
    }

    /// Share of points classified right at threshold 0.5.
    func accuracy(on points: [Point]) -> Double {
        let right = points.filter { (probability($0) >= 0.5 ? 1 : 0) == $0.label }.count
        return Double(right) / Double(points.count)
    }

    /// Points uniform in [-3, 3]², labelled by the line x + 2y = 0.5, none closer to it than `margin`, with
    /// token counts 3...40 (all drawn from SplitMix64, so the same seed gives the same set).
    static func points(count: Int, seed: UInt64, margin: Double = 0.2, firstID: Int = 0) -> [Point] {
        var generator = SplitMix64(seed: seed)
        var result: [Point] = []
        while result.count < count {
            let x = Double(generator.next() >> 11) / Double(1 << 53) * 6 - 3
            let y = Double(generator.next() >> 11) / Double(1 << 53) * 6 - 3
            let side = (x + 2 * y - 0.5) / 5.0.squareRoot()
            if abs(side) < margin { continue }
            let tokens = 3 + Int(generator.next() % 38)
            result.append(Point(id: firstID + result.count, x: x, y: y, label: side > 0 ? 1 : 0, tokens: tokens))
        }
        return result
    }
}
