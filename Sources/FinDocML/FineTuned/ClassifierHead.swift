/// A fine-tuned model's linear head for inference: `logits = W·x + b`, with `W` `[labels, width]` row-major, read
/// over the merged encoder's outputs (a pooled sentence vector, or one token's hidden state).
struct ClassifierHead: Sendable {
    let weight: [Float]
    let bias: [Float]
    let width: Int

    /// The head as the model holds it now.
    init(_ values: (weight: [Float], bias: [Float]), width: Int) {
        weight = values.weight
        bias = values.bias
        self.width = width
    }

    /// The logits of the `width` values of `input` starting at `offset`.
    func logits(_ input: [Float], offset: Int = 0) -> [Float] {
        let n = min(width, max(0, input.count - offset))
        return bias.indices.map { row in
            var sum = bias[row]
            for i in 0..<n { sum += weight[row * width + i] * input[offset + i] }
            return sum
        }
    }
}
