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
        /// Per row, its index in `denseBlock`, or -1 when the row is scored from `entries`.
        var denseIndex: [Int32] = []
        /// The heavy rows again as dense, zero-padded rows of `denseStride` floats.
        var denseBlock: [Float] = []
        /// `classes` rounded up to a multiple of 8, so dense rows are whole SIMD lanes.
        var denseStride = 0

        init(starts: [Int32], entries: [Entry]) {
            self.starts = starts
            self.entries = entries
        }

        /// Copies the rows that keep at least a quarter of the labels into a dense block.
        ///
        /// Why: a sparse entry costs a load, a scattered add and a store per label, about eight instructions; a dense
        /// row costs one SIMD multiply-add per eight labels. The few rows of very common features (the amount sign,
        /// frequent character n-grams) hold most of the entries an item touches — callgrind on the Birmingham test
        /// months put 30% of prediction in the scattered loop. Below a quarter of the labels the sparse row reads fewer
        /// bytes, which is what bounds scoring on a cold cache, so those rows stay sparse.
        mutating func denseHeavyRows(classes: Int) {
            denseStride = (classes + 7) / 8 * 8
            denseIndex = [Int32](repeating: -1, count: max(0, starts.count - 1))
            var block: [Float] = []
            for row in denseIndex.indices {
                let lower = Int(starts[row]), upper = Int(starts[row + 1])
                guard (upper - lower) * 4 >= classes else { continue }
                let base = block.count
                denseIndex[row] = Int32(base / denseStride)
                block.append(contentsOf: repeatElement(0, count: denseStride))
                for k in lower..<upper { block[base + Int(entries[k].label)] = entries[k].weight }
            }
            denseBlock = block
        }
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

    /// Floats in a score buffer for `accumulate`: the label count rounded up to whole SIMD lanes of eight.
    var scoreStride: Int { (labels.count + 7) / 8 * 8 }

    /// Raw scores (before temperature) of every label for `features`, written into `logits`.
    public func logits(_ features: FeatureVector, into logits: inout [Float]) {
        let classes = labels.count
        if logits.count != classes { logits = [Float](repeating: 0, count: classes) }
        let stride = scoreStride
        withUnsafeTemporaryAllocation(of: Float.self, capacity: stride) { out in
            guard let o = out.baseAddress else { return }
            for c in 0..<stride { out[c] = c < classes ? bias[c] : 0 }
            let n = min(features.buckets.count, features.values.count)
            features.buckets.withUnsafeBufferPointer { buckets in
                features.values.withUnsafeBufferPointer { values in
                    accumulate(UnsafeBufferPointer(rebasing: buckets[0..<n]), values: values, into: o)
                }
            }
            logits.withUnsafeMutableBufferPointer { result in
                for c in 0..<classes { result[c] = out[c] }
            }
        }
    }

    /// Adds `values[i]` times the weight row of `buckets[i]` (1 times it when `values` is nil) into `scores`, which
    /// holds `scoreStride` floats; buckets never seen in training add nothing. Rows are added in order, so the sums
    /// are the same float for float as adding them one by one.
    func accumulate(
        _ buckets: UnsafeBufferPointer<UInt32>, values: UnsafeBufferPointer<Float>?, into o: UnsafeMutablePointer<Float>
    ) {
        let classes = labels.count
        let n = buckets.count
        guard let sparse else {
            weights.withUnsafeBufferPointer { w in
                guard let wb = w.baseAddress else { return }
                for i in 0..<n {
                    let row = table.row(buckets[i])
                    if row < 0 { continue }
                    axpy(values?[i] ?? 1, wb + Int(row) * classes, o, classes)
                }
            }
            return
        }
        let stride = max(sparse.denseStride, classes)
        // Three passes instead of one: the hash probes of all features are independent, and so are the row
        // starts, so the CPU overlaps their cache misses; a single pass chained probe → start → entries per
        // feature and waited on each (the scoring is bound by memory latency, not arithmetic).
        withUnsafeTemporaryAllocation(of: (Int32, Int32).self, capacity: n) { ranges in
            sparse.starts.withUnsafeBufferPointer { starts in
                sparse.denseIndex.withUnsafeBufferPointer { denseIndex in
                    for i in 0..<n { ranges[i].0 = table.row(buckets[i]) }
                    for i in 0..<n {
                        let row = Int(ranges[i].0)
                        if row < 0 {
                            ranges[i] = (0, 0)
                        } else if !denseIndex.isEmpty, denseIndex[row] >= 0 {
                            // A dense row: marked by a negative start holding its block index.
                            ranges[i] = (-1 - denseIndex[row], 0)
                        } else {
                            ranges[i] = (starts[row], starts[row + 1])
                        }
                    }
                }
            }
            sparse.entries.withUnsafeBufferPointer { entries in
                sparse.denseBlock.withUnsafeBufferPointer { block in
                    for i in 0..<n {
                        // Times 1 is exact, so the value-less sums are the same floats as plain additions.
                        let v = values?[i] ?? 1
                        let (lower, upper) = ranges[i]
                        if lower < 0, let b = block.baseAddress {
                            axpy(v, b + Int(-1 - lower) * stride, o, stride)
                            continue
                        }
                        for k in Int(lower)..<Int(upper) {
                            let entry = entries[k]
                            o[Int(entry.label)] += v * entry.weight
                        }
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
        let t = temperature > 0 ? temperature : 1
        // Through a buffer pointer: the same arithmetic, without a uniqueness and bounds check per element (callgrind
        // put those at half of this function's instructions).
        scores.withUnsafeMutableBufferPointer { p in
            guard var peak = p.first else { return }
            for value in p where value > peak { peak = value }
            var sum: Float = 0
            for i in p.indices {
                let e = expf((p[i] - peak) / t)
                p[i] = e
                sum += e
            }
            if sum > 0 { for i in p.indices { p[i] /= sum } }
        }
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
