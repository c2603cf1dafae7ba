import Foundation
import Testing

@testable import FinDocML

/// The Float classifiers as the trainer sees them: workers, determinism, ignored token labels, a tiny overfit.
@Suite("Fine-tuning classifiers (tiny configuration)")
struct ClassifierModelTests {
    static let nowhere = URL(fileURLWithPath: "/nonexistent/tiny-model")

    static func sequenceModel(options: FineTuningOptions = FineTuningOptions(), threads: Int = 2)
        -> MiniLMSequenceClassifier
    {
        let config = TrainingTestSupport.tinyConfig
        let model = MiniLMSequenceClassifier(
            config: config, weights: TrainingTestSupport.randomWeights(config: config, seed: 3),
            modelDirectory: nowhere, labelCount: 3, options: options, seed: 11, threads: threads)
        randomiseAdapterB(model.trainableParameters)
        return model
    }

    /// B starts at zero (so A's gradient would be zero); tests that compare gradients give it values.
    static func randomiseAdapterB(_ parameters: [TrainableParameter], scale: Float = 0.2) {
        var random = SplitMix64(seed: 99)
        for parameter in parameters where parameter.name.hasSuffix(".lora_b") {
            parameter.values = parameter.values.map { _ in Float(random.nextUnit() * 2 - 1) * scale }
        }
    }

    static let sentences: [SequenceClassificationExample] = [
        .init(tokenIDs: [1, 5, 9, 2], label: 0), .init(tokenIDs: [1, 7, 2], label: 1),
        .init(tokenIDs: [1, 12, 3, 29, 4, 8, 2], label: 2), .init(tokenIDs: [1, 2], label: 1),
        .init(tokenIDs: [1, 20, 21, 22, 23, 24, 25, 26, 27, 2], label: 0, weight: 2),
        .init(tokenIDs: [1, 14, 15, 2], label: 2, weight: 0.5),
    ]

    static func gradients(_ model: some FineTunableModel) -> [[Float]] {
        model.trainableParameters.map(\.gradients)
    }

    @Test("one and two workers give the same loss and gradients; a seed reproduces them exactly")
    func workersAgree() {
        let model = Self.sequenceModel()
        let one = model.accumulateGradients(batch: Self.sentences, dropoutSeed: 5, workers: 1)
        let single = Self.gradients(model)
        for parameter in model.trainableParameters { parameter.zeroGradients() }
        let two = model.accumulateGradients(batch: Self.sentences, dropoutSeed: 5, workers: 2)
        let split = Self.gradients(model)
        for parameter in model.trainableParameters { parameter.zeroGradients() }
        let again = model.accumulateGradients(batch: Self.sentences, dropoutSeed: 5, workers: 2)
        let repeated = Self.gradients(model)
        #expect(abs(one - two) <= 1e-6 * abs(one))
        #expect(two == again && split == repeated, "same seed, same workers: bit-identical")
        for (index, parameter) in model.trainableParameters.enumerated() {
            let error = TrainingTestSupport.relativeError(split[index], single[index])
            #expect(error <= 1e-5, "\(parameter.name): 1 vs 2 workers differ by \(error)")
            #expect(single[index].contains { $0 != 0 }, "\(parameter.name) got no gradient")
        }
        // Another dropout seed draws other masks: dropout is really on in training.
        for parameter in model.trainableParameters { parameter.zeroGradients() }
        let other = model.accumulateGradients(batch: Self.sentences, dropoutSeed: 6, workers: 2)
        #expect(other != two)
    }

    @Test("accumulateGradients adds to the existing gradients")
    func gradientsAccumulate() {
        let model = Self.sequenceModel()
        _ = model.accumulateGradients(batch: Self.sentences, dropoutSeed: 1)
        let once = Self.gradients(model)
        _ = model.accumulateGradients(batch: Self.sentences, dropoutSeed: 1)
        let twice = Self.gradients(model)
        for (a, b) in zip(once, twice) {
            #expect(TrainingTestSupport.relativeError(b, a.map { 2 * $0 }) <= 1e-6)
        }
    }

    @Test("the weighted loss equals the weighted mean cross-entropy of the inference probabilities")
    func lossMatchesProbabilities() throws {
        let model = Self.sequenceModel(options: FineTuningOptions().withoutDropout)
        let loss = model.accumulateGradients(batch: Self.sentences, dropoutSeed: 0)
        let probabilities = try model.probabilities(tokenIDs: Self.sentences.map(\.tokenIDs))
        var total = 0.0
        var weights = 0.0
        for (example, p) in zip(Self.sentences, probabilities) {
            #expect(abs(p.reduce(0, +) - 1) < 1e-5)
            total += Double(example.weight) * -log(Double(p[example.label]))
            weights += Double(example.weight)
        }
        #expect(abs(loss - total / weights) <= 1e-5)
    }

    @Test("inference in chunks and on one or two workers gives the same logits")
    func inferenceChunks() {
        let model = Self.sequenceModel()
        let sequences: [[Int32]] = (0..<9).map { (i: Int) -> [Int32] in
            let body: [Int32] = (0..<(i % 5 + 1)).map { (j: Int) -> Int32 in Int32(3 + (j * 7 + i) % 25) }
            return [1] + body + [2]
        }
        let whole = model.state.core.logits(sequences: sequences, workers: 2)
        let chunked = model.state.core.logits(sequences: sequences, workers: 2, chunk: 2)
        let single = model.state.core.logits(sequences: sequences, workers: 1, chunk: 4)
        #expect(whole.count == 9)
        for i in 0..<9 {
            #expect(TrainingTestSupport.relativeError(chunked[i], whole[i]) <= 1e-6)
            #expect(TrainingTestSupport.relativeError(single[i], whole[i]) <= 1e-6)
        }
    }

    @Test("the token classifier ignores −1 labels")
    func tokenClassifierIgnoresUnlabelledTokens() throws {
        let config = TrainingTestSupport.tinyConfig
        let model = MiniLMTokenClassifier(
            config: config, weights: TrainingTestSupport.randomWeights(config: config, seed: 4),
            modelDirectory: Self.nowhere, labelCount: 3, options: FineTuningOptions().withoutDropout, seed: 2,
            threads: 2)
        Self.randomiseAdapterB(model.trainableParameters)
        let examples = [
            TokenClassificationExample(tokenIDs: [1, 5, 9, 2], labels: [-1, 0, 2, -1]),
            TokenClassificationExample(tokenIDs: [1, 7, 8, 6, 2], labels: [-1, 1, -1, 0, -1]),
        ]
        let loss = model.accumulateGradients(batch: examples, dropoutSeed: 0)
        let logits = try model.logits(tokenIDs: examples.map(\.tokenIDs))
        var total = 0.0
        var counted = 0
        for (example, row) in zip(examples, logits) {
            #expect(row.count == example.tokenIDs.count * 3)
            for (t, label) in example.labels.enumerated() where label >= 0 {
                let z = row[(t * 3)..<(t * 3 + 3)].map(Double.init)
                let m = z.max() ?? 0
                total += -(z[label] - m - log(z.map { exp($0 - m) }.reduce(0, +)))
                counted += 1
            }
        }
        #expect(counted == 4)
        #expect(abs(loss - total / Double(counted)) <= 1e-5)
        let labelled = Self.gradients(model)

        // Labelling a token that was ignored changes the loss: −1 really removes a token, nothing else does.
        for parameter in model.trainableParameters { parameter.zeroGradients() }
        var more = examples
        more[1].labels[2] = 2
        let larger = model.accumulateGradients(batch: more, dropoutSeed: 0)
        #expect(abs(larger - loss) > 1e-4)
        #expect(Self.gradients(model) != labelled)

        // Nothing labelled: zero loss, zero gradient.
        for parameter in model.trainableParameters { parameter.zeroGradients() }
        let none = examples.map { TokenClassificationExample(tokenIDs: $0.tokenIDs, labels: $0.labels.map { _ in -1 }) }
        #expect(model.accumulateGradients(batch: none, dropoutSeed: 0) == 0)
        #expect(Self.gradients(model).allSatisfy { $0.allSatisfy { $0 == 0 } })
        #expect(throws: EncoderError.self) {
            try model.check(TokenClassificationExample(tokenIDs: [1, 2], labels: [0]))
        }
    }

    @Test("a few sentences' loss drops with plain SGD")
    func tinyOverfit() throws {
        let model = Self.sequenceModel(options: FineTuningOptions(method: .lora(LoRAConfiguration(rank: 4))).withoutDropout)
        for parameter in model.trainableParameters where parameter.name.hasSuffix(".lora_b") {
            parameter.values = parameter.values.map { _ in 0 }
        }
        let batch = Array(Self.sentences.prefix(4))
        func evaluationLoss() throws -> Double {
            let p = try model.probabilities(tokenIDs: batch.map(\.tokenIDs))
            return zip(batch, p).map { -log(Double($1[$0.label])) }.reduce(0, +) / Double(batch.count)
        }
        let before = try evaluationLoss()
        for step in 0..<100 {
            for parameter in model.trainableParameters { parameter.zeroGradients() }
            _ = model.accumulateGradients(batch: batch, dropoutSeed: UInt64(step))
            for parameter in model.trainableParameters {
                for i in parameter.values.indices { parameter.values[i] -= 0.1 * parameter.gradients[i] }
            }
        }
        let after = try evaluationLoss()
        #expect(after < 0.3 * before, "loss \(before) → \(after)")
        // The adapters moved, not only the head.
        let b = model.trainableParameters.filter { $0.name.hasSuffix(".lora_b") }
        #expect(b.contains { $0.values.contains { $0 != 0 } })
    }
}
