import CFinDocKernels

/// What the categoriser decided for one item.
public struct CategoryDecision: Hashable, Sendable {
    /// The label, or `UNKNOWN` when the model was below its threshold.
    public var label: String
    /// Calibrated probability of the model's best label (1 for a rule).
    public var probability: Float
    /// The three best labels with their probabilities, best first.
    public var topK: [LabelProbability]
    /// `rule:<name>` or `model`.
    public var reason: String
    /// The model or rules file that decided.
    public var modelID: String
    /// Features that pushed the best label up, with their contributions (only when explaining).
    public var features: [FeatureContribution]
}

/// A label with a probability.
public struct LabelProbability: Hashable, Sendable, Codable {
    /// The label.
    public var label: String
    /// Its probability.
    public var probability: Float
}

/// A feature's push towards a label (weight × value).
public struct FeatureContribution: Hashable, Sendable, Codable {
    /// Readable feature name (`w:tesco pfs`, `c:esco`, `amount:-2^5`).
    public var feature: String
    /// Contribution to the label's score.
    public var weight: Float
}

/// Rules first, then the model: the whole categorisation decision for an item.
public struct CategoryClassifier: Sendable {
    /// User rules, tried first.
    public let rules: CategoryRules?
    /// The trained model.
    public let bundle: CategoryBundle?
    private let features: HashedFeatures?

    /// Creates a classifier; at least one of `rules` and `bundle` should be given.
    public init(rules: CategoryRules?, bundle: CategoryBundle?) {
        self.rules = rules
        self.bundle = bundle
        features = bundle.map { HashedFeatures(settings: $0.model.settings) }
    }

    /// Indices of the `count` largest values, largest first (ties: lower index first); one pass, no sort.
    ///
    /// In C (`findoc_top_k`): callgrind counted about 1,200 instructions an item for this loop in Swift over 115
    /// labels, and 800 for the C one, which compares four values with the last place at once.
    static func topIndices(_ values: UnsafeBufferPointer<Float>, count: Int) -> [Int] {
        let places = min(max(count, 0), values.count)
        guard places > 0, let base = values.baseAddress else { return [] }
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: places) { top in
            let written = Int(findoc_top_k(base, values.count, top.baseAddress, Int32(places)))
            return top.prefix(written).map { Int($0) }
        }
    }

    /// The decision for `item`; nil when no rule matches and there is no model.
    public func classify(_ item: CategoryItem, explain: Bool = false) -> CategoryDecision? {
        var cache: CategoryScoreCache? = nil
        return classify(item, explain: explain, cache: &cache)
    }

    /// `classify`, reusing the scores of texts seen before from `cache` (see `CategoryScoreCache`).
    func classify(_ item: CategoryItem, explain: Bool, cache: inout CategoryScoreCache?) -> CategoryDecision? {
        if let rule = rules?.firstMatch(item), let rules {
            return CategoryDecision(
                label: rule.label, probability: 1, topK: [LabelProbability(label: rule.label, probability: 1)],
                reason: "rule:\(rule.name)", modelID: rules.id, features: [])
        }
        guard let bundle, let features else { return nil }
        let model = bundle.model
        let classes = model.labels.count
        let stride = model.scoreStride
        guard classes > 0 else { return nil }
        // Scores, then the exponentials, in one scratch buffer of two strides.
        let (ranked, probabilities) = withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * stride) {
            buffer -> ([Int], [Float]) in
            guard let sums = buffer.baseAddress else { return ([], []) }
            sums.initialize(repeating: 0, count: 2 * stride)
            let count = rowSums(item, model: model, features: features, cache: &cache, into: sums)
            // logits = bias + (1/√count) · Σ rows: every feature has the value 1/√count (see `HashedFeatures`).
            let scale: Float = count == 0 ? 0 : 1 / Float(count).squareRoot()
            model.bias.withUnsafeBufferPointer { bias in
                for c in 0..<classes { sums[c] = bias[c] + scale * sums[c] }
            }
            let logits = UnsafeBufferPointer(start: sums, count: classes)
            // The softmax keeps the order of the logits, so the best three are found before any exponential.
            let ranked = Self.topIndices(logits, count: 3)
            let exps = sums + stride
            let t = model.temperature > 0 ? model.temperature : 1
            let total = findoc_exp_sum(sums, exps, classes, logits[ranked[0]], 1 / t)
            return (ranked, ranked.map { total > 0 ? exps[$0] / total : 0 })
        }
        guard let best = ranked.first else { return nil }
        let top = zip(ranked, probabilities).map { LabelProbability(label: model.labels[$0], probability: $1) }
        let confident = probabilities[0] >= bundle.unknownThreshold
        let contributions = explain
            ? model.contributions(features.extract(item, names: true), label: best).map {
                FeatureContribution(feature: $0.name, weight: $0.weight)
            } : []
        return CategoryDecision(
            label: confident ? model.labels[best] : CategoryBundle.unknownLabel, probability: probabilities[0],
            topK: top, reason: "model", modelID: bundle.modelID, features: contributions)
    }

    /// Adds the raw weight rows of all of `item`'s features into `sums` (`model.scoreStride` floats) and returns how
    /// many features it has. The features are those of `HashedFeatures.extract`; each text field's own rows come
    /// summed from `cache` when that text was seen before.
    private func rowSums(
        _ item: CategoryItem, model: LinearSoftmaxModel, features: HashedFeatures, cache: inout CategoryScoreCache?,
        into sums: UnsafeMutablePointer<Float>
    ) -> Int {
        let stride = model.scoreStride
        let account = item.account.flatMap { $0.isEmpty ? nil : $0 }
        var count = 0
        // At most one account × text feature per field, two amount features and one account feature.
        return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: item.fields.count + 3) { others in
            var extra = 0
            for field in item.fields where !field.value.isEmpty {
                let text: ScoredText
                if let hit = cache?.entries[field.value] {
                    text = hit
                } else {
                    text = ScoredText(field.value, model: model, features: features)
                    if cache != nil { cache?.insert(text, for: field.value) }
                }
                text.sums.withUnsafeBufferPointer { own in
                    if let o = own.baseAddress { axpy(1, o, sums, stride) }
                }
                count += text.count
                if let account, let cross = features.crossBucket(account: account, text: text.bytes) {
                    others[extra] = cross
                    extra += 1
                }
            }
            if let (sign, magnitude) = features.amountBuckets(item) {
                others[extra] = sign
                others[extra + 1] = magnitude
                extra += 2
            }
            if let account, let bucket = features.accountBucket(account) {
                others[extra] = bucket
                extra += 1
            }
            model.accumulate(UnsafeBufferPointer(rebasing: others[0..<extra]), values: nil, into: sums)
            return count + extra
        }
    }
}

/// One text field value's share of an item's score: its normalised bytes (for the account × text feature), how many
/// features it has of its own (acquirer and n-grams) and the sum of their weight rows.
struct ScoredText: Sendable {
    var bytes: [UInt8]
    var count: Int
    /// `scoreStride` floats.
    var sums: [Float]

    init(_ value: String, model: LinearSoftmaxModel, features: HashedFeatures) {
        let text = features.textFeatures(value, names: false)
        var own = text.ngrams
        if let acquirer = text.acquirerBucket { own.insert(acquirer, at: 0) }
        var sums = [Float](repeating: 0, count: model.scoreStride)
        own.withUnsafeBufferPointer { buckets in
            sums.withUnsafeMutableBufferPointer { out in
                if let o = out.baseAddress { model.accumulate(buckets, values: nil, into: o) }
            }
        }
        bytes = text.bytes
        count = own.count
        self.sums = sums
    }
}

/// The scores of text field values already seen, per classifying thread.
///
/// Why: card exports repeat merchants (1,569 distinct merchant names in the 7,447 rows of the Birmingham
/// July–August 2017 files), and a merchant's own features — the normalised text's word and character n-grams, some
/// sixty of them — are most of an item's features. Every feature of an item has the same value (1/√count), so an
/// item's logits are `bias + (1/√count) · Σ rows`, and the sum over a text's own rows can be kept per text: a repeat
/// then costs one dictionary look-up and one vector add instead of normalising, hashing and reading sixty rows.
/// The decision is the same with or without the cache, bit for bit: a miss computes the sum the same way.
/// Bounded: when full it starts again empty (each entry holds one float per label).
struct CategoryScoreCache: Sendable {
    /// Text → its scores.
    var entries: [String: ScoredText] = [:]
    /// Most texts kept.
    let limit: Int

    /// An empty cache holding at most `limit` texts.
    init(limit: Int = 20_000) {
        self.limit = max(1, limit)
    }

    mutating func insert(_ text: ScoredText, for value: String) {
        if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
        entries[value] = text
    }
}

extension CategoryClassifier {
    /// Decisions for many items, split over `threads` threads, in item order (rules first, as in `classify`).
    public func classify(batch items: [CategoryItem], threads: Int = 2, explain: Bool = false) -> [CategoryDecision?] {
        let parts = max(1, min(threads, items.count))
        let box = PartsBox<CategoryDecision?>(parts: parts)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let lower = items.count * part / parts, upper = items.count * (part + 1) / parts
            var local: [CategoryDecision?] = []
            local.reserveCapacity(upper - lower)
            // One cache per worker: no locking, and each part still sees most repeats of a merchant.
            var cache: CategoryScoreCache? = CategoryScoreCache()
            for i in lower..<upper { local.append(classify(items[i], explain: explain, cache: &cache)) }
            box.set(part, local)
        }
        return box.joined()
    }
}

/// One result array per worker, joined in order afterwards.
final class PartsBox<T>: @unchecked Sendable {
    private var parts: [[T]]
    private let lock = NSLockLite()
    init(parts: Int) { self.parts = [[T]](repeating: [], count: parts) }
    func set(_ part: Int, _ values: [T]) { lock.withLock { parts[part] = values } }
    func joined() -> [T] { parts.flatMap { $0 } }
}

import Dispatch
