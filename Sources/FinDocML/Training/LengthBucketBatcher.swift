/// Mini-batches of examples of similar length, so that a padded batch wastes little work on padding, yet in a
/// different random order every epoch.
///
/// For one epoch: shuffle all example indices; cut the shuffled list into chunks of `chunkBatches × batchSize`;
/// sort each chunk by token count (stable, so ties keep their shuffled order); cut each chunk into batches of
/// `batchSize`; shuffle the order of the batches. Every example lands in exactly one batch per epoch; only the
/// last chunk can end in a short batch, so an epoch always has `ceil(count / batchSize)` batches. The shuffles are
/// Fisher–Yates driven by `SplitMix64` seeded from (seed, epoch), so the batches are the same on every run and
/// platform. Sorting only within chunks keeps the batches random enough (the chunk is the sorting window that
/// fairseq and transformers' `group_by_length` use, as a multiple of the batch size).
public struct LengthBucketBatcher: Sendable, Equatable {
    /// Examples per batch.
    public let batchSize: Int
    /// Sorting window, in batches (50 × batch size examples by default).
    public let chunkBatches: Int
    /// The run's seed.
    public let seed: UInt64

    /// A batcher; `batchSize` and `chunkBatches` are clamped to at least 1.
    public init(batchSize: Int, seed: UInt64, chunkBatches: Int = 50) {
        self.batchSize = max(1, batchSize)
        self.chunkBatches = max(1, chunkBatches)
        self.seed = seed
    }

    /// Batches per epoch for `count` examples.
    public func batchCount(examples count: Int) -> Int { (count + batchSize - 1) / batchSize }

    /// The batches of epoch `epoch` (0-based) as lists of indices into `tokenCounts`.
    public func batches(tokenCounts: [Int], epoch: Int) -> [[Int]] {
        var generator = SplitMix64(seed: TrainingSeeds.derive(seed, purpose: .batching, index: UInt64(epoch)))
        var order = Array(tokenCounts.indices)
        generator.shuffle(&order)
        let chunkSize = batchSize * chunkBatches
        var batches: [[Int]] = []
        batches.reserveCapacity(batchCount(examples: tokenCounts.count))
        var start = 0
        while start < order.count {
            let end = min(order.count, start + chunkSize)
            // Sort by (length, position in the shuffle): a total order, so the result does not depend on the
            // sort algorithm's stability.
            let chunk = (start..<end).sorted { left, right in
                let a = tokenCounts[order[left]]
                let b = tokenCounts[order[right]]
                return a != b ? a < b : left < right
            }.map { order[$0] }
            var batchStart = 0
            while batchStart < chunk.count {
                batches.append(Array(chunk[batchStart..<min(chunk.count, batchStart + batchSize)]))
                batchStart += batchSize
            }
            start = end
        }
        generator.shuffle(&batches)
        return batches
    }
}

/// Independent seeds for each random stream of a training run, derived from the run's one seed.
///
/// SplitMix64 streams whose seeds differ by a multiple of its increment are shifted copies of one another, so
/// per-epoch and per-step seeds are not `seed + index`: they go through the SplitMix64 finaliser together with a
/// constant per purpose.
public enum TrainingSeeds {
    /// What a derived seed is for.
    public enum Purpose: UInt64, Sendable {
        /// The shuffles of one epoch's batches.
        case batching = 0x6261_7463_6869_6E67
        /// Dropout masks of one optimiser step.
        case dropout = 0x6472_6F70_6F75_7400
    }

    /// The seed for stream `index` of `purpose` under the run seed `seed`.
    public static func derive(_ seed: UInt64, purpose: Purpose, index: UInt64) -> UInt64 {
        mix(seed ^ mix(purpose.rawValue ^ mix(index &+ 0x9E37_79B9_7F4A_7C15)))
    }

    /// SplitMix64's output function: a bijection that spreads every input bit over the output.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
