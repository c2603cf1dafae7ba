import Foundation
import Testing

@testable import FinDocML

/// Adapters merged into plain encoder weights give the adapter forward pass's outputs, so inference after
/// fine-tuning runs on the ordinary `MiniLMEncoder`.
@Suite("LoRA adapters merged into the encoder", .serialized)
struct AdapterMergeTests {
    /// Fictional sentences, written for this test.
    static let sentences = [
        "Copperfield Shipping raised its dividend to 1.20 per share.",
        "Profit fell.",
        "Orders at Lindqvist Tools were broadly flat in the third quarter, the company said on Tuesday.",
    ]

    @Test("merged encoder + head reproduce the adapter forward pass on the real model")
    func mergedMatchesAdapters() throws {
        let folder = try TrainingTestSupport.modelFolder()
        let tokenizer = try BertTokenizer(modelFolder: folder)
        let ids = Self.sentences.map { tokenizer.encode($0).ids }
        let model = try MiniLMSequenceClassifier(modelDirectory: folder, labelCount: 3, seed: 5)
        // Trained-looking adapters: B away from zero, so the merge changes the weights.
        ClassifierModelTests.randomiseAdapterB(model.trainableParameters, scale: 0.05)
        let adapted = try model.probabilities(tokenIDs: ids)

        let merged = model.mergedEncoder()
        let (weight, bias) = model.headWeights
        let h = merged.config.hiddenSize
        let states = try merged.lastHiddenStates(tokenIDs: ids)
        for (index, state) in states.enumerated() {
            let n = state.count / h
            var pooled = [Float](repeating: 0, count: h)
            for row in 0..<n { for i in 0..<h { pooled[i] += state[row * h + i] / Float(n) } }
            let logits = (0..<3).map { j in (0..<h).reduce(bias[j]) { $0 + weight[j * h + $1] * pooled[$1] } }
            let probabilities = MiniLMSequenceClassifier.softmax(logits)
            for j in 0..<3 {
                #expect(abs(probabilities[j] - adapted[index][j]) <= 1e-5, "sentence \(index) label \(j)")
            }
        }

        // The hidden states themselves, against the training core's forward pass (dropout off).
        model.state.synchronise()
        let pass = EncoderTrainingPass(
            parameters: model.state.core.parameters, sequences: ids, training: false,
            random: ids.map { _ in SplitMix64(seed: 0) })
        let hidden = pass.forward()
        var worst: Float = 0
        for (index, state) in states.enumerated() {
            for i in state.indices { worst = max(worst, abs(state[i] - hidden[pass.starts[index] * h + i])) }
        }
        #expect(worst <= 1e-4, "max |Δ| between merged encoder and adapter forward: \(worst)")

        // The adapters matter: the base encoder gives other hidden states.
        let base = try EncoderTestSupport.encoder().lastHiddenStates(tokenIDs: ids)
        let moved = zip(base[0], states[0]).map { abs($0 - $1) }.max() ?? 0
        #expect(moved > 1e-2)
    }

    @Test("with B = 0 the training forward pass equals the inference encoder")
    func untrainedAdaptersChangeNothing() throws {
        let folder = try TrainingTestSupport.modelFolder()
        let tokenizer = try BertTokenizer(modelFolder: folder)
        let ids = Self.sentences.map { tokenizer.encode($0).ids }
        let model = try MiniLMSequenceClassifier(modelDirectory: folder, labelCount: 2, seed: 1)
        let pass = EncoderTrainingPass(
            parameters: model.state.core.parameters, sequences: ids, training: false,
            random: ids.map { _ in SplitMix64(seed: 0) })
        let hidden = pass.forward()
        let base = try EncoderTestSupport.encoder().lastHiddenStates(tokenIDs: ids)
        var worst: Float = 0
        for (index, state) in base.enumerated() {
            for i in state.indices { worst = max(worst, abs(state[i] - hidden[pass.starts[index] * 384 + i])) }
        }
        #expect(worst <= 1e-4, "max |Δ| = \(worst)")
    }
}
