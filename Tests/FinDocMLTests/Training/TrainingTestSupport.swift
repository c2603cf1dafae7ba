import Foundation
import Testing

@testable import FinDocML

/// Tiny configurations and helpers shared by the fine-tuning suites.
enum TrainingTestSupport {
    /// hidden 8, 2 heads, 2 layers, intermediate 16, vocabulary 30, 16 positions: big enough to exercise every path
    /// (several heads, residuals across layers), small enough to finite-difference every parameter.
    static let tinyConfig: MiniLMConfig = {
        let json = """
            {"hidden_size": 8, "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 16,
             "vocab_size": 30, "max_position_embeddings": 16, "type_vocab_size": 2, "layer_norm_eps": 1e-12,
             "hidden_act": "gelu"}
            """
        do {
            return try JSONDecoder().decode(MiniLMConfig.self, from: Data(json.utf8))
        } catch {
            fatalError("tiny config does not decode: \(error)")
        }
    }()

    /// Sequences of different lengths (packed without padding, so variable lengths are the point).
    static let tinySequences: [[Int32]] = [[1, 5, 9, 2], [1, 7, 2], [1, 12, 3, 29, 4, 8, 2], [1, 2]]

    /// Random encoder weights for `config` drawn from `seed` (uniform ±`scale`, gammas near 1).
    static func randomWeights(config: MiniLMConfig, seed: UInt64, scale: Double = 0.3) -> MiniLMWeights {
        let layout = EncoderParameterLayout(config: config, options: FineTuningOptions(method: .full), labelCount: 2)
        return AdapterMerging.mergedWeights(EncoderParameters<Float>.random(layout: layout, seed: seed, scale: scale))
    }

    /// ‖a − b‖ / ‖b‖ (0 when both are zero).
    static func relativeError<S: BinaryFloatingPoint>(_ a: [S], _ b: [S]) -> Double {
        var difference = 0.0
        var norm = 0.0
        for (x, y) in zip(a, b) {
            difference += Double(x - y) * Double(x - y)
            norm += Double(y) * Double(y)
        }
        if norm == 0 { return difference.squareRoot() }
        return (difference / norm).squareRoot()
    }

    /// The installed base model folder, or a recorded failure.
    static func modelFolder() throws -> URL { try EncoderTestSupport.installedModelFolder() }
}
