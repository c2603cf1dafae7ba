import Testing

@testable import FinDocML

@Suite("LengthBucketBatcher")
struct LengthBucketBatcherTests {
    /// Lengths drawn from SplitMix64 (3...130), like sentence lengths.
    private static func lengths(_ count: Int, seed: UInt64 = 9) -> [Int] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in 3 + Int(generator.next() % 128) }
    }

    @Test("every example lands in exactly one batch per epoch; batch count is ceil(n / size); at most one short batch",
        arguments: [(1, 4), (7, 3), (100, 8), (1000, 32), (1001, 32), (5000, 16)])
    func coversEveryExampleOnce(count: Int, batchSize: Int) {
        let lengths = Self.lengths(count)
        let batcher = LengthBucketBatcher(batchSize: batchSize, seed: 3, chunkBatches: 4)
        for epoch in 0..<3 {
            let batches = batcher.batches(tokenCounts: lengths, epoch: epoch)
            #expect(batches.count == (count + batchSize - 1) / batchSize)
            #expect(batches.flatMap { $0 }.sorted() == Array(0..<count))
            #expect(batches.allSatisfy { !$0.isEmpty && $0.count <= batchSize })
            #expect(batches.filter { $0.count < batchSize }.count <= 1)
        }
    }

    @Test("the same seed and epoch give the same batches; another epoch or seed gives others")
    func deterministicForASeed() {
        let lengths = Self.lengths(500)
        let batcher = LengthBucketBatcher(batchSize: 16, seed: 11)
        let first = batcher.batches(tokenCounts: lengths, epoch: 0)
        #expect(LengthBucketBatcher(batchSize: 16, seed: 11).batches(tokenCounts: lengths, epoch: 0) == first)
        #expect(batcher.batches(tokenCounts: lengths, epoch: 1) != first)
        #expect(LengthBucketBatcher(batchSize: 16, seed: 12).batches(tokenCounts: lengths, epoch: 0) != first)
    }

    @Test("batches group similar lengths: far less padding than batches of the plain shuffle, and a mixed order")
    func groupsSimilarLengths() {
        let lengths = Self.lengths(3200)
        let batchSize = 32
        // Padded tokens = Σ over batches of (batch size × longest) − Σ lengths.
        func padding(_ batches: [[Int]]) -> Int {
            batches.reduce(0) { sum, batch in
                let longest = batch.map { lengths[$0] }.max() ?? 0
                return sum + batch.count * longest - batch.reduce(0) { $0 + lengths[$1] }
            }
        }
        let bucketed = LengthBucketBatcher(batchSize: batchSize, seed: 5).batches(tokenCounts: lengths, epoch: 0)
        var generator = SplitMix64(seed: 5)
        var order = Array(lengths.indices)
        generator.shuffle(&order)
        let plain = stride(from: 0, to: order.count, by: batchSize).map { Array(order[$0..<min(order.count, $0 + batchSize)]) }
        #expect(padding(bucketed) * 10 < padding(plain))
        // The batch order is shuffled: the longest tokens do not just rise batch after batch.
        let longest = bucketed.map { batch in batch.map { lengths[$0] }.max() ?? 0 }
        #expect(longest != longest.sorted())
    }
}
