#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Temperature scaling (Guo et al., 2017): one scalar `T` that divides every logit, chosen to minimise the
/// negative log-likelihood of held-back data. It leaves the ranking (so accuracy) unchanged and fixes the
/// over-confidence a model learns on its own training rows.
public enum TemperatureScaling {
    /// Mean negative log-likelihood of `labels` under `softmax(logits / temperature)`; `logits` is row-major,
    /// `classes` wide.
    public static func negativeLogLikelihood(logits: [Float], labels: [Int], classes: Int, temperature: Float) -> Double {
        guard classes > 0, !labels.isEmpty else { return 0 }
        var total = 0.0
        for (row, label) in labels.enumerated() {
            let base = row * classes
            var peak = -Float.infinity
            for c in 0..<classes { peak = max(peak, logits[base + c]) }
            var sum = 0.0
            for c in 0..<classes { sum += exp(Double((logits[base + c] - peak) / temperature)) }
            total += log(sum) - Double((logits[base + label] - peak) / temperature)
        }
        return total / Double(labels.count)
    }

    /// The temperature in [0.05, 20] that minimises the negative log-likelihood (golden-section search on log T;
    /// the NLL is convex in 1/T, so one minimum).
    public static func fit(logits: [Float], labels: [Int], classes: Int) -> Float {
        guard !labels.isEmpty else { return 1 }
        var low = log(0.05), high = log(20.0)
        let ratio = (sqrt(5.0) - 1) / 2
        func nll(_ logT: Double) -> Double {
            negativeLogLikelihood(logits: logits, labels: labels, classes: classes, temperature: Float(exp(logT)))
        }
        var a = high - ratio * (high - low), b = low + ratio * (high - low)
        var fa = nll(a), fb = nll(b)
        for _ in 0..<50 {
            if fa < fb {
                high = b
                b = a
                fb = fa
                a = high - ratio * (high - low)
                fa = nll(a)
            } else {
                low = a
                a = b
                fa = fb
                b = low + ratio * (high - low)
                fb = nll(b)
            }
        }
        return Float(exp((low + high) / 2))
    }

    /// The lowest confidence threshold whose accepted predictions (confidence ≥ threshold) reach `precision`,
    /// i.e. the largest coverage at that precision; with the precision and coverage it gives on these rows.
    /// When no threshold reaches it, the most precise non-empty cut is returned.
    public static func threshold(
        confidences: [Float], correct: [Bool], precision target: Double
    ) -> (threshold: Float, precision: Double, coverage: Double) {
        guard !confidences.isEmpty, confidences.count == correct.count else { return (0, 0, 0) }
        let order = confidences.indices.sorted { confidences[$0] > confidences[$1] || (confidences[$0] == confidences[$1] && $0 < $1) }
        var hits = 0
        var best: (k: Int, precision: Double)?
        var mostPrecise: (k: Int, precision: Double) = (1, -1)
        for (position, index) in order.enumerated() {
            if correct[index] { hits += 1 }
            // Only cut between different confidences: a threshold cannot split a tie.
            if position + 1 < order.count, confidences[order[position + 1]] == confidences[index] { continue }
            let k = position + 1
            let precision = Double(hits) / Double(k)
            if precision >= target { best = (k, precision) }
            if precision > mostPrecise.precision { mostPrecise = (k, precision) }
        }
        let chosen = best ?? mostPrecise
        let threshold = confidences[order[chosen.k - 1]]
        return (threshold, chosen.precision, Double(chosen.k) / Double(confidences.count))
    }
}
