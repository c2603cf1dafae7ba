import Foundation
import Testing

@testable import FinDocML

/// The real model's gradients against PyTorch's (committed fixture, see its README): the backward pass at full
/// scale, packed sequences against a padded, masked batch.
@Suite("Fine-tuning gradients against PyTorch (all-MiniLM-L6-v2)", .serialized)
struct PyTorchGradientTests {
    struct Fixture: Decodable {
        struct Example: Decodable {
            let ids: [Int32]
            let label: Int
        }
        struct Tensor: Decodable {
            let reference: String
            let findoc: String
            let firstRow: Int
            let shape: [Int]
            let norm: Double
            let indices: [Int]
            let values: [Double]
            enum CodingKeys: String, CodingKey {
                case reference, findoc, firstRow = "first_row", shape, norm, indices, values
            }
        }
        let labelCount: Int
        let headWeight: [Float]
        let headBias: [Float]
        let loss: Double
        let examples: [Example]
        let tensors: [Tensor]
        enum CodingKeys: String, CodingKey {
            case labelCount = "label_count", headWeight = "head_weight", headBias = "head_bias", loss, examples
            case tensors
        }
    }

    static func fixture() throws -> Fixture {
        let url = URL(
            fileURLWithPath: EncoderTestSupport.repositoryRoot + "/Tests/FinDocMLTests/Fixtures/gradients/fixture.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    static func model(_ fixture: Fixture, options: FineTuningOptions) throws -> MiniLMSequenceClassifier {
        let model = try MiniLMSequenceClassifier(
            modelDirectory: TrainingTestSupport.modelFolder(), labelCount: fixture.labelCount, options: options,
            seed: 0, threads: 2)
        for parameter in model.trainableParameters {
            if parameter.name == "head.weight" { parameter.values = fixture.headWeight }
            if parameter.name == "head.bias" { parameter.values = fixture.headBias }
        }
        return model
    }

    @Test("full fine-tuning gradients match PyTorch within 1e-3; LoRA's B gradient equals s·dW·Aᵀ at B = 0")
    func gradientsMatchPyTorch() throws {
        let fixture = try Self.fixture()
        let examples = fixture.examples.map { SequenceClassificationExample(tokenIDs: $0.ids, label: $0.label) }
        let full = try Self.model(fixture, options: FineTuningOptions(method: .full).withoutDropout)
        let loss = full.accumulateGradients(batch: examples, dropoutSeed: 0)
        #expect(abs(loss - fixture.loss) <= 1e-5 * max(1, fixture.loss), "loss \(loss) vs PyTorch \(fixture.loss)")
        let byName = Dictionary(uniqueKeysWithValues: full.trainableParameters.map { ($0.name, $0) })
        #expect(fixture.tensors.count == 32)
        for tensor in fixture.tensors {
            guard let parameter = byName[tensor.findoc] else {
                Issue.record("no trainable tensor \(tensor.findoc)")
                continue
            }
            let width = tensor.shape.count == 2 ? tensor.shape[1] : 1
            let count = tensor.shape.reduce(1, *)
            let offset = tensor.firstRow * width
            let swift = parameter.gradients[offset..<(offset + count)].map(Double.init)
            let norm = swift.reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(abs(norm - tensor.norm) <= 1e-3 * tensor.norm, "\(tensor.reference): ‖g‖ \(norm) vs \(tensor.norm)")
            let sampled = tensor.indices.map { swift[$0] }
            let error = TrainingTestSupport.relativeError(sampled, tensor.values)
            #expect(error <= 1e-3, "\(tensor.reference): ‖Δ‖/‖g‖ = \(error)")
        }

        // LoRA at initialisation (B = 0): W' = W, so dB = s · dW · Aᵀ with dW the full gradient just checked.
        let lora = try Self.model(fixture, options: FineTuningOptions().withoutDropout)
        _ = lora.accumulateGradients(batch: examples, dropoutSeed: 0)
        let loraByName = Dictionary(uniqueKeysWithValues: lora.trainableParameters.map { ($0.name, $0) })
        for name in ["layer.0.attention.qkv", "layer.5.output"] {
            guard let a = loraByName[name + ".lora_a"], let b = loraByName[name + ".lora_b"],
                let dW = byName[name + ".weight"]
            else {
                Issue.record("missing tensors for \(name)")
                continue
            }
            let rank = a.shape[0]
            let inputs = a.shape[1]
            let outputs = b.shape[0]
            var expected = [Double](repeating: 0, count: outputs * rank)
            for o in 0..<outputs {
                for r in 0..<rank {
                    var sum = 0.0
                    for i in 0..<inputs { sum += Double(dW.gradients[o * inputs + i]) * Double(a.values[r * inputs + i]) }
                    expected[o * rank + r] = 2 * sum  // alpha 16 / rank 8
                }
            }
            let error = TrainingTestSupport.relativeError(b.gradients.map(Double.init), expected)
            #expect(error <= 1e-4, "\(name).lora_b: ‖Δ‖/‖g‖ = \(error)")
            #expect(a.gradients.allSatisfy { $0 == 0 }, "with B = 0 the gradient of A is exactly zero")
        }
    }
}
