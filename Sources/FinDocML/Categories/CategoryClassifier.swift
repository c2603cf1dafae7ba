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
    static func topIndices(_ values: [Float], count: Int) -> [Int] {
        guard count > 0 else { return [] }
        var top: [Int] = []
        top.reserveCapacity(count + 1)
        values.withUnsafeBufferPointer { v in
            for i in v.indices {
                // Most values lose to the current last place: one comparison instead of the insertion walk.
                if top.count == count, !(v[top[count - 1]] < v[i]) { continue }
                var at = top.count
                while at > 0, v[top[at - 1]] < v[i] { at -= 1 }
                top.insert(i, at: at)
                if top.count > count { top.removeLast() }
            }
        }
        return top
    }

    /// The decision for `item`; nil when no rule matches and there is no model.
    public func classify(_ item: CategoryItem, explain: Bool = false) -> CategoryDecision? {
        var cache: TextFeatureCache? = nil
        return classify(item, explain: explain, cache: &cache)
    }

    /// `classify`, reusing the features of texts seen before from `cache` (see `TextFeatureCache`).
    func classify(_ item: CategoryItem, explain: Bool, cache: inout TextFeatureCache?) -> CategoryDecision? {
        if let rule = rules?.firstMatch(item), let rules {
            return CategoryDecision(
                label: rule.label, probability: 1, topK: [LabelProbability(label: rule.label, probability: 1)],
                reason: "rule:\(rule.name)", modelID: rules.id, features: [])
        }
        guard let bundle, let features else { return nil }
        let vector = features.extract(item, names: explain, cache: &cache)
        let probabilities = bundle.model.probabilities(vector)
        let ranked = Self.topIndices(probabilities, count: 3)
        guard let best = ranked.first else { return nil }
        let top = ranked.map { LabelProbability(label: bundle.model.labels[$0], probability: probabilities[$0]) }
        let confident = probabilities[best] >= bundle.unknownThreshold
        let contributions = explain
            ? bundle.model.contributions(vector, label: best).map { FeatureContribution(feature: $0.name, weight: $0.weight) } : []
        return CategoryDecision(
            label: confident ? bundle.model.labels[best] : CategoryBundle.unknownLabel, probability: probabilities[best],
            topK: top, reason: "model", modelID: bundle.modelID, features: contributions)
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
            var cache: TextFeatureCache? = TextFeatureCache()
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
