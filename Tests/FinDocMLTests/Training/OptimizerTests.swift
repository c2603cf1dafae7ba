import Foundation
import Testing

@testable import FinDocML

/// Reads the PyTorch reference written by Scripts/reference/make_training_fixture.py.
private struct AdamWReference: Decodable {
    struct Pair: Decodable {
        var weight: [Float]
        var bias: [Float]
    }

    var peak: Double
    var total_steps: Int
    var warmup_steps: Int
    var max_norm: Double
    var beta1: Double
    var beta2: Double
    var epsilon: Double
    var weight_decay: Double
    var initial: Pair
    var gradients: [Pair]
    var rates: [Double]
    var norms: [Double]
    var final: Pair
    var exp_avg: Pair
    var exp_avg_sq: Pair

    static func load() throws -> AdamWReference {
        let url = URL(fileURLWithPath: EncoderTestSupport.repositoryRoot + "/Tests/FinDocMLTests/Fixtures/training/adamw.json")
        return try JSONDecoder().decode(AdamWReference.self, from: Data(contentsOf: url))
    }
}

/// Largest |a − b| / max(1e-3, |b|) over two equal-length arrays.
private func maxRelativeError(_ a: [Float], _ b: [Float]) -> Double {
    precondition(a.count == b.count)
    return zip(a, b).map { abs(Double($0) - Double($1)) / max(1e-3, abs(Double($1))) }.max() ?? 0
}

@Suite("AdamW, learning-rate schedule and gradient clipping")
struct OptimizerTests {
    @Test("the first AdamW step moves each value by lr·g/(|g|+ε) after decoupled decay on decaying tensors only")
    func firstStepByHand() {
        // After one step the bias-corrected moments are m̂ = g and v̂ = g², so the update is lr·g/(|g| + ε):
        // about ±lr whatever the gradient's size (Kingma & Ba, section 2.1).
        let weight = TrainableParameter(name: "w", shape: [3], values: [1, -2, 0.5], decays: true)
        let bias = TrainableParameter(name: "b", shape: [2], values: [0.25, 4], decays: false)
        weight.gradients = [0.5, -3, 1e-3]
        bias.gradients = [2, -0.01]
        let optimizer = AdamW(parameters: [weight, bias], hyperparameters: .init(weightDecay: 0.1))
        let lr = 0.01
        optimizer.step([weight, bias], learningRate: lr)
        func expected(_ value: Double, _ gradient: Double, decay: Double) -> Double {
            value * (1 - lr * decay) - lr * gradient / (abs(gradient) + 1e-8)
        }
        let expectedWeight = [expected(1, 0.5, decay: 0.1), expected(-2, -3, decay: 0.1), expected(0.5, 1e-3, decay: 0.1)]
        let expectedBias = [expected(0.25, 2, decay: 0), expected(4, -0.01, decay: 0)]
        for (got, want) in zip(weight.values, expectedWeight) { #expect(abs(Double(got) - want) < 1e-6) }
        for (got, want) in zip(bias.values, expectedBias) { #expect(abs(Double(got) - want) < 1e-6) }
        #expect(optimizer.stepCount == 1)
        // m = (1 − β1)·g and v = (1 − β2)·g² after one step from zero.
        #expect(abs(Double(optimizer.moments[0].first[1]) - 0.1 * -3) < 1e-6)
        #expect(abs(Double(optimizer.moments[0].second[1]) - 0.001 * 9) < 1e-7)
    }

    @Test("two AdamW steps agree with the update rule evaluated in Double")
    func twoStepsByFormula() {
        let parameter = TrainableParameter(name: "p", shape: [2], values: [0.3, -0.7], decays: true)
        let optimizer = AdamW(
            parameters: [parameter], hyperparameters: .init(beta1: 0.8, beta2: 0.99, epsilon: 1e-6, weightDecay: 0.05))
        let gradients: [[Double]] = [[0.2, -0.4], [-0.1, 0.3]]
        let rates = [0.1, 0.05]
        var theta = [0.3, -0.7]
        var m = [0.0, 0.0]
        var v = [0.0, 0.0]
        for (t, (g, lr)) in zip(gradients, rates).enumerated() {
            parameter.gradients = g.map(Float.init)
            optimizer.step([parameter], learningRate: lr)
            let step = Double(t + 1)
            for i in 0..<2 {
                theta[i] *= 1 - lr * 0.05
                m[i] = 0.8 * m[i] + 0.2 * g[i]
                v[i] = 0.99 * v[i] + 0.01 * g[i] * g[i]
                let mHat = m[i] / (1 - pow(0.8, step))
                let vHat = v[i] / (1 - pow(0.99, step))
                theta[i] -= lr * mHat / (vHat.squareRoot() + 1e-6)
            }
        }
        for (got, want) in zip(parameter.values, theta) { #expect(abs(Double(got) - want) < 1e-6) }
    }

    @Test("AdamW with the linear schedule and clipping matches torch.optim.AdamW over 6 steps")
    func matchesPyTorch() throws {
        let reference = try AdamWReference.load()
        let weight = TrainableParameter(name: "weight", shape: [2, 3], values: reference.initial.weight, decays: true)
        let bias = TrainableParameter(name: "bias", shape: [3], values: reference.initial.bias, decays: false)
        let parameters = [weight, bias]
        let optimizer = AdamW(
            parameters: parameters,
            hyperparameters: .init(
                beta1: reference.beta1, beta2: reference.beta2, epsilon: reference.epsilon,
                weightDecay: reference.weight_decay))
        let schedule = LinearWarmupSchedule(
            peak: reference.peak, totalSteps: reference.total_steps, warmupSteps: reference.warmup_steps)
        for (step, gradients) in reference.gradients.enumerated() {
            weight.gradients = gradients.weight
            bias.gradients = gradients.bias
            let norm = GradientClipping.clip(parameters, maxNorm: reference.max_norm)
            #expect(abs(norm - reference.norms[step]) <= 1e-5 * reference.norms[step], "norm at step \(step)")
            let rate = schedule.rate(at: step)
            #expect(abs(rate - reference.rates[step]) < 1e-12, "rate at step \(step)")
            optimizer.step(parameters, learningRate: rate)
        }
        // One step clipped (norm 8.5 > 1), so a clipping bug would show here too.
        #expect(reference.norms.contains { $0 > reference.max_norm })
        #expect(maxRelativeError(weight.values, reference.final.weight) < 1e-5)
        #expect(maxRelativeError(bias.values, reference.final.bias) < 1e-5)
        #expect(maxRelativeError(optimizer.moments[0].first, reference.exp_avg.weight) < 1e-5)
        #expect(maxRelativeError(optimizer.moments[1].first, reference.exp_avg.bias) < 1e-5)
        #expect(maxRelativeError(optimizer.moments[0].second, reference.exp_avg_sq.weight) < 1e-5)
        #expect(maxRelativeError(optimizer.moments[1].second, reference.exp_avg_sq.bias) < 1e-5)
    }

    @Test("the schedule ramps linearly to the peak over the warm-up, then falls linearly to 0 at the last step")
    func scheduleByHand() {
        let schedule = LinearWarmupSchedule(peak: 2, totalSteps: 10, warmupSteps: 2)
        let expected = [0, 1, 2, 1.75, 1.5, 1.25, 1, 0.75, 0.5, 0.25, 0, 0]
        for (step, want) in expected.enumerated() { #expect(abs(schedule.rate(at: step) - want) < 1e-12) }
        // transformers' Trainer: warm-up steps = ceil(ratio × total): ceil(0.1 × 25) = 3.
        #expect(LinearWarmupSchedule(peak: 1, totalSteps: 25, warmupFraction: 0.1).warmupSteps == 3)
        #expect(LinearWarmupSchedule(peak: 1, totalSteps: 30, warmupFraction: 0.1).warmupSteps == 3)
        // No warm-up: the first step runs at the peak.
        let flat = LinearWarmupSchedule(peak: 1, totalSteps: 4, warmupFraction: 0)
        #expect(flat.rate(at: 0) == 1)
        #expect(flat.rate(at: 2) == 0.5)
    }

    @Test("clipping scales by maxNorm/(norm + 1e-6) only above the limit and returns the norm before clipping")
    func clipping() {
        let a = TrainableParameter(name: "a", shape: [2], values: [0, 0], decays: true)
        let b = TrainableParameter(name: "b", shape: [1], values: [0], decays: false)
        a.gradients = [3, 0]
        b.gradients = [4]
        #expect(abs(GradientClipping.globalNorm(of: [a, b]) - 5) < 1e-12)
        let norm = GradientClipping.clip([a, b], maxNorm: 1)
        #expect(abs(norm - 5) < 1e-12)
        let scale = 1 / (5 + 1e-6)
        #expect(abs(Double(a.gradients[0]) - 3 * scale) < 1e-7)
        #expect(abs(Double(b.gradients[0]) - 4 * scale) < 1e-7)
        #expect(abs(GradientClipping.globalNorm(of: [a, b]) - 1) < 1e-5)
        // Under the limit: untouched.
        a.gradients = [0.3, 0]
        b.gradients = [0.4]
        #expect(abs(GradientClipping.clip([a, b], maxNorm: 1) - 0.5) < 1e-7)
        #expect(a.gradients == [0.3, 0] && b.gradients == [0.4])
    }

    @Test("the global norm of many small gradients is accurate (blocked summation)")
    func normOfManyTerms() {
        let big = TrainableParameter(
            name: "big", shape: [1_000_003], values: [Float](repeating: 0, count: 1_000_003), decays: true)
        for index in big.gradients.indices { big.gradients[index] = 0.001 }
        // √(1000003 × 10⁻⁶) = √1.000003.
        let want = (1_000_003.0 * Double(Float(0.001)) * Double(Float(0.001))).squareRoot()
        #expect(abs(GradientClipping.globalNorm(of: [big]) - want) < 1e-5)
    }
}
