import Foundation
import Testing

@testable import FinDocML

/// The backward pass against central finite differences in double precision, on a tiny random configuration, for
/// every parameter: full fine-tuning (every weight, bias, LayerNorm and embedding table) and LoRA (adapters,
/// LayerNorms, head), sentence and token heads, dropout off and on (a fixed seed makes the masks constants, so the
/// loss stays a smooth function the differences can probe).
@Suite("Fine-tuning gradient check (finite differences, Double)")
struct GradientCheckTests {
    struct Case: CustomStringConvertible, Sendable {
        let name: String
        let options: FineTuningOptions
        let head: ClassifierCore<Double>.Head
        let training: Bool
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "full, sentence head", options: FineTuningOptions(method: .full, trainEmbeddings: true).withoutDropout,
            head: .sequence, training: false),
        Case(
            name: "full, token head", options: FineTuningOptions(method: .full, trainEmbeddings: true).withoutDropout,
            head: .tokens, training: false),
        Case(
            name: "LoRA + LayerNorms, sentence head",
            options: FineTuningOptions(
                method: .lora(LoRAConfiguration(rank: 2, alpha: 4)), trainLayerNorms: true).withoutDropout,
            head: .sequence, training: false),
        Case(
            name: "LoRA on two targets, token head, dropout on (fixed masks)",
            options: FineTuningOptions(
                method: .lora(LoRAConfiguration(rank: 3, alpha: 6, targets: [.qkv, .output])),
                hiddenDropout: 0.2, attentionDropout: 0.2, headDropout: 0.2),
            head: .tokens, training: true),
    ]

    @Test(arguments: cases)
    func analyticGradientsMatchFiniteDifferences(_ testCase: Case) {
        let layout = EncoderParameterLayout(
            config: TrainingTestSupport.tinyConfig, options: testCase.options, labelCount: 3)
        let parameters = EncoderParameters<Double>.random(layout: layout, seed: 42, scale: 0.5)
        let core = ClassifierCore(parameters: parameters, head: testCase.head)
        let sequences = TrainingTestSupport.tinySequences
        let batch: ClassifierBatch
        let normalizer: Double
        switch testCase.head {
        case .sequence:
            batch = ClassifierBatch(sequences: sequences, labels: .sentences([0, 2, 1, 2], weights: [1, 0.5, 2, 1]))
            normalizer = 4.5
        case .tokens:
            let labels = sequences.enumerated().map { s, ids in
                ids.indices.map { i in i == 0 || i == ids.count - 1 ? -1 : (i + s) % 3 }
            }
            batch = ClassifierBatch(sequences: sequences, labels: .tokens(labels))
            normalizer = Double(labels.joined().filter { $0 >= 0 }.count)
        }
        let all = Array(sequences.indices)
        func loss() -> Double {
            core.run(
                batch: batch, indices: all, seed: 7, training: testCase.training, normalizer: normalizer,
                gradients: nil, logits: nil)
        }
        let gradients = WorkerGradients<Double>(layout: layout)
        let analyticLoss = core.run(
            batch: batch, indices: all, seed: 7, training: testCase.training, normalizer: normalizer,
            gradients: gradients, logits: nil)
        #expect(abs(analyticLoss - loss()) < 1e-12)

        let step = 1e-5
        var checked = 0
        for id in 0..<layout.count where layout.trainable[id] {
            let values = parameters[id]
            guard let analytic = gradients[id] else {
                Issue.record("\(layout.names[id]) trains but has no gradient buffer")
                continue
            }
            var numeric = [Double](repeating: 0, count: layout.elementCount(id))
            for i in numeric.indices {
                let saved = values[i]
                values[i] = saved + step
                let plus = loss()
                values[i] = saved - step
                let minus = loss()
                values[i] = saved
                numeric[i] = (plus - minus) / (2 * step)
            }
            let computed = Array(UnsafeBufferPointer(start: analytic, count: numeric.count))
            let error = TrainingTestSupport.relativeError(computed, numeric)
            let worst = zip(computed, numeric).map { abs($0 - $1) / max(abs($1), 1e-3) }.max() ?? 0
            #expect(error <= 1e-5, "\(layout.names[id]): ‖Δ‖/‖g‖ = \(error)")
            #expect(worst <= 1e-5, "\(layout.names[id]): worst element |Δ|/max(|g|, 1e-3) = \(worst)")
            // A gradient that is identically zero would pass vacuously; every tensor here influences the loss.
            #expect(numeric.contains { abs($0) > 1e-8 }, "\(layout.names[id]) has a zero numeric gradient")
            checked += 1
        }
        let expectedCount = (0..<layout.count).filter { layout.trainable[$0] }.count
        #expect(checked == expectedCount && checked > 0)
    }

    @Test("LoRA leaves the frozen base weights without gradient buffers")
    func loraFreezesBaseWeights() {
        let layout = EncoderParameterLayout(
            config: TrainingTestSupport.tinyConfig, options: FineTuningOptions(), labelCount: 3)
        let trained = (0..<layout.count).filter { layout.trainable[$0] }.map { layout.names[$0] }
        #expect(trained.allSatisfy { $0.hasSuffix(".lora_a") || $0.hasSuffix(".lora_b") || $0.hasPrefix("head.") })
        // 2 layers × 4 targets × (A, B) + head weight and bias.
        #expect(trained.count == 2 * 4 * 2 + 2)
    }
}
