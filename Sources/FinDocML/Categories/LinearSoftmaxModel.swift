/// A multinomial logistic regression over hashed sparse features: `softmax((W·x + b) / T)`.
///
/// `W` holds one row of per-label weights for each hash bucket seen in training (see `BucketTable`), so the model
/// is as large as the training data's vocabulary, not the hash space. `T` is the calibration temperature.
public struct LinearSoftmaxModel: Sendable {
    /// The label set, in the order of the weight columns.
    public let labels: [String]
    /// How features are extracted.
    public let settings: FeatureSettings
    /// Calibration temperature (1 = as trained).
    public var temperature: Float
    let table: BucketTable
    /// rows × labels, row-major (empty when `sparse` holds the weights).
    var weights: [Float]
    var bias: [Float]
    /// The weights of a pruned bundle, row by row: only the labels a feature really speaks for. Scoring then reads
    /// one or two cache lines per feature instead of a whole dense row, which is what bounds prediction speed.
    var sparse: SparseRows?

    /// Compressed sparse rows: row r's entries are `starts[r]..<starts[r + 1]`.
    struct SparseRows: Sendable {
        var starts: [Int32]
        /// Label and weight side by side: one cache line holds a whole typical row.
        var entries: [Entry]
    }

    /// One kept weight of a sparse row.
    struct Entry: Sendable {
        var label: UInt32
        var weight: Float
    }

    init(
        labels: [String], settings: FeatureSettings, table: BucketTable, weights: [Float], bias: [Float],
        temperature: Float = 1, sparse: SparseRows? = nil
    ) {
        self.sparse = sparse
        self.labels = labels
        self.settings = settings
        self.table = table
        self.weights = weights
        self.bias = bias
        self.temperature = temperature
    }

    /// Number of weight rows (distinct hash buckets kept).
    public var rowCount: Int { table.count }

    /// Raw scores (before temperature) of every label for `features`, written into `logits`.
    public func logits(_ features: FeatureVector, into logits: inout [Float]) {
        let classes = labels.count
        if logits.count != classes { logits = [Float](repeating: 0, count: classes) }
        if let sparse {
            logits.withUnsafeMutableBufferPointer { out in
                for c in 0..<classes { out[c] = bias[c] }
                let n = features.buckets.count
                // Three passes instead of one: the hash probes of all features are independent, and so are the row
                // starts, so the CPU overlaps their cache misses; a single pass chained probe → start → entries
                // per feature and waited on each (the scoring is bound by memory latency, not arithmetic).
                withUnsafeTemporaryAllocation(of: Int32.self, capacity: n) { rows in
                    withUnsafeTemporaryAllocation(of: (Int32, Int32).self, capacity: n) { ranges in
                        for i in 0..<n { rows[i] = table.row(features.buckets[i]) }
                        sparse.starts.withUnsafeBufferPointer { starts in
                            for i in 0..<n {
                                let row = Int(rows[i])
                                ranges[i] = row < 0 ? (0, 0) : (starts[row], starts[row + 1])
                            }
                        }
                        sparse.entries.withUnsafeBufferPointer { entries in
                            for i in 0..<n {
                                let v = features.values[i]
                                for k in Int(ranges[i].0)..<Int(ranges[i].1) {
                                    let entry = entries[k]
                                    out[Int(entry.label)] += v * entry.weight
                                }
                            }
                        }
                    }
                }
            }
            return
        }
        weights.withUnsafeBufferPointer { w in
            bias.withUnsafeBufferPointer { b in
                logits.withUnsafeMutableBufferPointer { out in
                    guard let o = out.baseAddress, let wb = w.baseAddress, let bb = b.baseAddress else { return }
                    o.update(from: bb, count: classes)
                    for (index, bucket) in features.buckets.enumerated() {
                        let row = table.row(bucket)
                        if row < 0 { continue }
                        axpy(features.values[index], wb + Int(row) * classes, o, classes)
                    }
                }
            }
        }
    }

    /// Calibrated probabilities of every label, summing to 1.
    public func probabilities(_ features: FeatureVector) -> [Float] {
        var scores: [Float] = []
        logits(features, into: &scores)
        Self.softmax(&scores, temperature: temperature)
        return scores
    }

    /// In-place softmax of `scores / temperature`.
    public static func softmax(_ scores: inout [Float], temperature: Float = 1) {
        guard let peak = scores.max() else { return }
        let t = temperature > 0 ? temperature : 1
        var sum: Float = 0
        for i in scores.indices {
            let e = expf((scores[i] - peak) / t)
            scores[i] = e
            sum += e
        }
        if sum > 0 { for i in scores.indices { scores[i] /= sum } }
    }

    /// The weight of one feature row for one label.
    func weight(row: Int, label: Int) -> Float {
        guard let sparse else { return weights[row * labels.count + label] }
        for k in Int(sparse.starts[row])..<Int(sparse.starts[row + 1]) where Int(sparse.entries[k].label) == label {
            return sparse.entries[k].weight
        }
        return 0
    }

    /// The features of `vector` that pushed `label` up the most, with their contributions (weight × value).
    public func contributions(_ vector: FeatureVector, label: Int, top: Int = 5) -> [(name: String, weight: Float)] {
        guard label >= 0, label < labels.count, let names = vector.names else { return [] }
        var out: [(name: String, weight: Float)] = []
        var seen: [String: Int] = [:]
        for (index, bucket) in vector.buckets.enumerated() {
            let row = table.row(bucket)
            guard row >= 0 else { continue }
            let contribution = vector.values[index] * weight(row: Int(row), label: label)
            if let at = seen[names[index]] {
                out[at].weight += contribution
            } else {
                seen[names[index]] = out.count
                out.append((names[index], contribution))
            }
        }
        return Array(out.sorted { $0.weight > $1.weight }.prefix(top))
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
