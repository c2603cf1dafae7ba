/// The last hidden state of a padded batch, `batchSize × sequenceLength × hiddenSize` floats in row-major order.
public struct EncoderHiddenStates: Sendable, Equatable {
    /// All values; position `p` of sequence `b` starts at `(b · sequenceLength + p) · hiddenSize`.
    public let values: [Float]
    /// Sequences in the batch.
    public let batchSize: Int
    /// Padded length of every sequence.
    public let sequenceLength: Int
    /// Width of a token vector.
    public let hiddenSize: Int

    /// The vector of one position.
    public func vector(sequence: Int, position: Int) -> ArraySlice<Float> {
        let start = (sequence * sequenceLength + position) * hiddenSize
        return values[start..<(start + hiddenSize)]
    }
}
