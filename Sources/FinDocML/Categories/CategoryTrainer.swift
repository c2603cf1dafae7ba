import Dispatch

/// Settings of one training run.
public struct CategoryTrainingOptions: Codable, Hashable, Sendable {
    /// Passes over the training rows.
    public var epochs: Int
    /// Starting SGD step size; it decays linearly to zero over the run (as fastText does).
    public var learningRate: Float
    /// Rows whose gradients are computed against the same weights before they are applied.
    public var batchSize: Int
    /// Seed of the shuffles and of the calibration slice: same data + same seed → the same model, bit for bit.
    public var seed: UInt64
    /// Threads (1 or more). The result does not depend on it.
    public var threads: Int
    /// Share of the rows held back to fit the temperature and the UNKNOWN threshold (0: no calibration).
    public var calibrationFraction: Double
    /// Precision the UNKNOWN threshold is chosen for on the held-back slice.
    public var targetPrecision: Double
    /// After calibration, train again on every row (the temperature and threshold are kept).
    public var refit: Bool
    /// Rows of a label weigh `(count / mean count)^-classBalance`: 0 treats every row alike, 0.5 lifts rare labels.
    public var classBalance: Float
    /// Hold back the last rows in input order (the latest, when files come in date order) instead of a seeded
    /// random slice: the threshold is then chosen on data as far from training as the next month will be. (On a
    /// validation split of the Birmingham training months it brought the precision at the threshold from 0.861 to
    /// 0.877 for a 0.9 target; accuracy is unchanged, since the model is refitted on every row.)
    public var calibrateOnLatest: Bool

    /// Creates options; the defaults were chosen on a validation slice of the training months (see MODEL notes).
    public init(
        epochs: Int = 10, learningRate: Float = 4, batchSize: Int = 16, seed: UInt64 = 1, threads: Int = 2,
        calibrationFraction: Double = 0.1, targetPrecision: Double = 0.9, refit: Bool = true, classBalance: Float = 0,
        calibrateOnLatest: Bool = true
    ) {
        self.calibrateOnLatest = calibrateOnLatest
        self.epochs = epochs
        self.learningRate = learningRate
        self.batchSize = batchSize
        self.seed = seed
        self.threads = threads
        self.calibrationFraction = calibrationFraction
        self.targetPrecision = targetPrecision
        self.refit = refit
        self.classBalance = classBalance
    }

    enum CodingKeys: String, CodingKey {
        case epochs, learningRate = "learning_rate", batchSize = "batch_size", seed, threads
        case calibrationFraction = "calibration_fraction", targetPrecision = "target_precision", refit
        case classBalance = "class_balance", calibrateOnLatest = "calibrate_on_latest"
    }

    /// Reads options, defaulting keys that older bundles lack.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = CategoryTrainingOptions()
        epochs = try c.decodeIfPresent(Int.self, forKey: .epochs) ?? defaults.epochs
        learningRate = try c.decodeIfPresent(Float.self, forKey: .learningRate) ?? defaults.learningRate
        batchSize = try c.decodeIfPresent(Int.self, forKey: .batchSize) ?? defaults.batchSize
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? defaults.seed
        threads = try c.decodeIfPresent(Int.self, forKey: .threads) ?? defaults.threads
        calibrationFraction = try c.decodeIfPresent(Double.self, forKey: .calibrationFraction) ?? defaults.calibrationFraction
        targetPrecision = try c.decodeIfPresent(Double.self, forKey: .targetPrecision) ?? defaults.targetPrecision
        refit = try c.decodeIfPresent(Bool.self, forKey: .refit) ?? defaults.refit
        classBalance = try c.decodeIfPresent(Float.self, forKey: .classBalance) ?? defaults.classBalance
        calibrateOnLatest = try c.decodeIfPresent(Bool.self, forKey: .calibrateOnLatest) ?? defaults.calibrateOnLatest
    }
}

/// What training found out about its own held-back slice.
public struct CalibrationReport: Codable, Hashable, Sendable {
    /// Rows in the held-back slice.
    public var rows: Int
    /// Fitted temperature.
    public var temperature: Float
    /// Negative log-likelihood on the slice before scaling (T = 1).
    public var nllBefore: Double
    /// Negative log-likelihood on the slice after scaling.
    public var nllAfter: Double
    /// Accuracy on the slice (before any UNKNOWN).
    public var accuracy: Double
    /// The confidence below which a prediction becomes UNKNOWN.
    public var threshold: Float
    /// Precision of the predictions at or above the threshold on the slice.
    public var precision: Double
    /// Share of the slice at or above the threshold.
    public var coverage: Double

    enum CodingKeys: String, CodingKey {
        case rows, temperature, nllBefore = "nll_before", nllAfter = "nll_after", accuracy, threshold, precision, coverage
    }
}

/// Fits a `LinearSoftmaxModel` to labelled items with mini-batch SGD over two (or more) threads, deterministically.
///
/// Why it is deterministic with threads: within a batch, every row's gradient is computed against the same
/// weights (the rows are split between threads), and then the updates are applied in row order with the label
/// columns split between threads. No two threads ever write the same weight, and the order of floating-point
/// additions is the same whatever the thread count, so 1 and 2 threads give identical bits.
///
/// Non-goals: regularisation beyond early stopping by a fixed, small number of epochs; sparse-gradient tricks.
public struct CategoryTrainer: Sendable {
    /// Features to extract.
    public var features: FeatureSettings
    /// Optimiser and calibration settings.
    public var options: CategoryTrainingOptions

    /// Creates a trainer.
    public init(features: FeatureSettings = FeatureSettings(), options: CategoryTrainingOptions = CategoryTrainingOptions()) {
        self.features = features
        self.options = options
    }

    /// The trained model with its calibration.
    public struct Result: Sendable {
        /// The model (temperature set).
        public var model: LinearSoftmaxModel
        /// The calibration found on the held-back slice (nil when none was held back).
        public var calibration: CalibrationReport?
        /// Rows trained on.
        public var rows: Int
    }

    /// Errors training reports.
    public enum TrainingError: Error, CustomStringConvertible, Equatable {
        /// No labelled rows.
        case noRows
        /// Only one distinct label: nothing to learn.
        case singleLabel(String)

        public var description: String {
            switch self {
            case .noRows: "no labelled rows to train on"
            case .singleLabel(let label): "every row has the same label (\(label)): nothing to learn"
            }
        }
    }

    /// Trains on `rows`. The label set is the sorted set of their labels.
    public func train(_ rows: [LabelledCategoryItem]) throws -> Result {
        guard !rows.isEmpty else { throw TrainingError.noRows }
        let labels = Array(Set(rows.map(\.label))).sorted()
        guard labels.count > 1 else { throw TrainingError.singleLabel(labels[0]) }
        let labelIndex = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        let targets = rows.map { labelIndex[$0.label] ?? 0 }
        let vectors = extractAll(rows.map(\.item))
        var table = BucketTable(capacity: 1 << 16)
        var offsets = [0]
        var featureRows: [Int32] = []
        var featureValues: [Float] = []
        for vector in vectors {
            for (index, bucket) in vector.buckets.enumerated() {
                featureRows.append(table.rowInserting(bucket))
                featureValues.append(vector.values[index])
            }
            offsets.append(featureRows.count)
        }
        let data = Examples(offsets: offsets, rows: featureRows, values: featureValues, targets: targets)
        var generator = SplitMix64(seed: options.seed)
        var order = Array(rows.indices)
        generator.shuffle(&order)
        let heldBack = options.calibrationFraction > 0 ? Int(Double(rows.count) * options.calibrationFraction) : 0
        var calibration: CalibrationReport?
        var temperature: Float = 1
        var weights: Weights
        if heldBack >= 10, rows.count - heldBack >= 2 {
            let slice = options.calibrateOnLatest ? Array((rows.count - heldBack)..<rows.count) : Array(order.prefix(heldBack)).sorted()
            let fitRows = options.calibrateOnLatest ? Array(0..<(rows.count - heldBack)) : Array(order.dropFirst(heldBack)).sorted()
            let first = fit(data, subset: fitRows, classes: labels.count, rowCount: table.count)
            var logits = [Float](repeating: 0, count: slice.count * labels.count)
            for (position, example) in slice.enumerated() {
                first.scores(data, example: example, classes: labels.count, into: &logits, at: position * labels.count)
            }
            let sliceTargets = slice.map { targets[$0] }
            temperature = TemperatureScaling.fit(logits: logits, labels: sliceTargets, classes: labels.count)
            var confidences: [Float] = []
            var correct: [Bool] = []
            for position in slice.indices {
                var scores = Array(logits[(position * labels.count)..<((position + 1) * labels.count)])
                LinearSoftmaxModel.softmax(&scores, temperature: temperature)
                var best = 0
                for c in scores.indices where scores[c] > scores[best] { best = c }
                confidences.append(scores[best])
                correct.append(best == sliceTargets[position])
            }
            let cut = TemperatureScaling.threshold(confidences: confidences, correct: correct, precision: options.targetPrecision)
            calibration = CalibrationReport(
                rows: slice.count, temperature: temperature,
                nllBefore: TemperatureScaling.negativeLogLikelihood(logits: logits, labels: sliceTargets, classes: labels.count, temperature: 1),
                nllAfter: TemperatureScaling.negativeLogLikelihood(logits: logits, labels: sliceTargets, classes: labels.count, temperature: temperature),
                accuracy: Double(correct.filter { $0 }.count) / Double(correct.count),
                threshold: cut.threshold, precision: cut.precision, coverage: cut.coverage)
            weights = options.refit ? fit(data, subset: Array(rows.indices), classes: labels.count, rowCount: table.count) : first
        } else {
            weights = fit(data, subset: Array(rows.indices), classes: labels.count, rowCount: table.count)
        }
        let model = LinearSoftmaxModel(
            labels: labels, settings: features, table: table, weights: weights.w, bias: weights.b, temperature: temperature)
        return Result(model: model, calibration: calibration, rows: rows.count)
    }

    /// Extracts features of every item, in parallel, in item order.
    func extractAll(_ items: [CategoryItem]) -> [FeatureVector] {
        let extractor = HashedFeatures(settings: features)
        let threads = max(1, options.threads)
        let box = ResultBox<FeatureVector>(count: items.count)
        DispatchQueue.concurrentPerform(iterations: threads) { part in
            let lower = items.count * part / threads, upper = items.count * (part + 1) / threads
            for i in lower..<upper { box.set(i, extractor.extract(items[i])) }
        }
        return box.values()
    }

    /// Training rows in compressed sparse row form, already mapped to weight rows.
    struct Examples: Sendable {
        var offsets: [Int]
        var rows: [Int32]
        var values: [Float]
        var targets: [Int]
    }

    /// Weights and biases being trained.
    struct Weights: Sendable {
        var w: [Float]
        var b: [Float]

        /// Scores (logits) of `example`, written at `at` in `out`.
        func scores(_ data: Examples, example: Int, classes: Int, into out: inout [Float], at: Int) {
            for c in 0..<classes { out[at + c] = b[c] }
            for k in data.offsets[example]..<data.offsets[example + 1] {
                let base = Int(data.rows[k]) * classes
                let v = data.values[k]
                for c in 0..<classes { out[at + c] += v * w[base + c] }
            }
        }
    }

    /// Mini-batch SGD with a linearly decaying step over `subset`, both phases split over threads.
    func fit(_ data: Examples, subset: [Int], classes: Int, rowCount: Int) -> Weights {
        var w = [Float](repeating: 0, count: rowCount * classes)
        var b = [Float](repeating: 0, count: classes)
        let threads = max(1, options.threads)
        let batch = max(1, options.batchSize)
        var counts = [Int](repeating: 0, count: classes)
        for i in subset { counts[data.targets[i]] += 1 }
        let mean = Float(subset.count) / Float(max(1, counts.filter { $0 > 0 }.count))
        let rowWeight: [Float] = counts.map { $0 > 0 ? powf(Float($0) / mean, -options.classBalance) : 1 }
        var generator = SplitMix64(seed: options.seed &+ 0x5EED)
        var order = subset
        let totalSteps = Float(max(1, options.epochs * subset.count))
        var step = 0
        var gradients = [Float](repeating: 0, count: batch * classes)
        w.withUnsafeMutableBufferPointer { wp in
            b.withUnsafeMutableBufferPointer { bp in
                gradients.withUnsafeMutableBufferPointer { gp in
                    let weights = SendableFloatPointer(wp.baseAddress), biases = SendableFloatPointer(bp.baseAddress)
                    let grads = SendableFloatPointer(gp.baseAddress)
                    data.offsets.withUnsafeBufferPointer { op in
                        data.rows.withUnsafeBufferPointer { rp in
                            data.values.withUnsafeBufferPointer { vp in
                                let offs = SendableConstPointer(op.baseAddress), rws = SendableConstPointer(rp.baseAddress)
                                let vals = SendableConstPointer(vp.baseAddress)
                                for _ in 0..<options.epochs {
                                    generator.shuffle(&order)
                                    var start = 0
                                    while start < order.count {
                                        let members = Array(order[start..<min(start + batch, order.count)])
                                        let lr = options.learningRate * max(0, 1 - Float(step) / totalSteps)
                                        step += members.count
                                        // Phase 1: gradients of the scores, rows split between threads.
                                        DispatchQueue.concurrentPerform(iterations: min(threads, members.count)) { part in
                                            let parts = min(threads, members.count)
                                            let lower = members.count * part / parts, upper = members.count * (part + 1) / parts
                                            guard let w = weights.p, let b = biases.p, let g = grads.p,
                                                let o = offs.p, let r = rws.p, let v = vals.p
                                            else { return }
                                            for m in lower..<upper {
                                                let example = members[m]
                                                let out = g + m * classes
                                                out.update(from: b, count: classes)
                                                for k in o[example]..<o[example + 1] {
                                                    axpy(v[k], w + Int(r[k]) * classes, out, classes)
                                                }
                                                var peak = out[0]
                                                for c in 1..<classes where out[c] > peak { peak = out[c] }
                                                var sum: Float = 0
                                                for c in 0..<classes {
                                                    let e = expf(out[c] - peak)
                                                    out[c] = e
                                                    sum += e
                                                }
                                                let scale = rowWeight[data.targets[example]]
                                                for c in 0..<classes { out[c] = out[c] / sum * scale }
                                                out[data.targets[example]] -= scale
                                            }
                                        }
                                        // Phase 2: apply in row order, label columns split between threads.
                                        DispatchQueue.concurrentPerform(iterations: min(threads, classes)) { part in
                                            let parts = min(threads, classes)
                                            let lower = classes * part / parts, upper = classes * (part + 1) / parts
                                            guard let w = weights.p, let b = biases.p, let g = grads.p,
                                                let o = offs.p, let r = rws.p, let v = vals.p
                                            else { return }
                                            for m in 0..<members.count {
                                                let example = members[m]
                                                let gradient = g + m * classes
                                                for c in lower..<upper { b[c] -= lr * gradient[c] }
                                                for k in o[example]..<o[example + 1] {
                                                    axpy(-lr * v[k], gradient + lower, w + Int(r[k]) * classes + lower, upper - lower)
                                                }
                                            }
                                        }
                                        start += batch
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return Weights(w: w, b: b)
    }
}

/// A raw pointer handed to worker threads; each thread writes a disjoint part (see `CategoryTrainer`).
struct SendableFloatPointer: @unchecked Sendable {
    let p: UnsafeMutablePointer<Float>?
    init(_ p: UnsafeMutablePointer<Float>?) { self.p = p }
}

/// A read-only raw pointer handed to worker threads.
struct SendableConstPointer<T>: @unchecked Sendable {
    let p: UnsafePointer<T>?
    init(_ p: UnsafePointer<T>?) { self.p = p }
}

/// Results written by worker threads into distinct slots.
final class ResultBox<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLockLite()
    init(count: Int) { slots = [T?](repeating: nil, count: count) }
    func set(_ index: Int, _ value: T) {
        lock.withLock { slots[index] = value }
    }
    func values() -> [T] { slots.compactMap { $0 } }
}

/// A tiny mutex without Foundation.
final class NSLockLite: @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 1)
    func withLock<R>(_ body: () -> R) -> R {
        semaphore.wait()
        defer { semaphore.signal() }
        return body()
    }
}

/// SplitMix64: a small, fast, seedable generator, so shuffles are the same on every platform.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Starts from `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Fisher–Yates shuffle driven by this generator (the standard library's algorithm is not guaranteed stable
    /// across versions).
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            let j = Int(next() % UInt64(i + 1))
            array.swapAt(i, j)
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
