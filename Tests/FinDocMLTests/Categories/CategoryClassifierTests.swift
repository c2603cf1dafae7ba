import CFinDocKernels
import Foundation
import Testing

@testable import FinDocML

/// The classifier's scoring: per-text row sums kept in a cache, the best three found on the logits, the softmax's
/// exponentials from the C kernel. Each is checked against the plain definition computed another way.
@Suite struct CategoryClassifierTests {
    /// Items that exercise every feature: two text fields, acquirer prefixes, accounts (so account × text), amounts of
    /// both signs, an empty field, and texts that repeat across items with different accounts and amounts.
    static let items: [CategoryItem] = {
        let texts = ["SQ *TESCO PFS 3953", "shell kings 104", "PAYPAL *FOYLES", "aldi 7", "esso heath 101", "unseen words"]
        var items: [CategoryItem] = []
        for (index, text) in (texts + texts + texts).enumerated() {
            let account: String? = index % 3 == 0 ? nil : "****\(5770 + index % 4)"
            let payee = index % 4 == 0 ? "" : texts[(index + 2) % texts.count]
            items.append(
                CategoryItem(
                    fields: [CategoryTextField(name: "description", value: text), CategoryTextField(name: "payee", value: payee)],
                    amountMinor: index % 5 == 0 ? nil : Int64(index * 1_731 - 9_000), account: account))
        }
        return items
    }()

    static func trainedBundle() throws -> CategoryBundle {
        let rows = CategoryTrainerTests.separable.enumerated().map { index, row in
            var item = row.item
            item.account = "****\(5770 + index % 4)"
            item.amountMinor = Int64(index * 977 - 20_000)
            return LabelledCategoryItem(item: item, label: row.label)
        }
        let result = try CategoryTrainer(options: CategoryTrainingOptions(epochs: 5, calibrationFraction: 0.2)).train(rows)
        return CategoryBundle(result: result, training: CategoryTrainingOptions(), textFields: ["description", "payee"])
    }

    /// The grouped scoring (a text's own rows summed once, then scaled) is the model's softmax over the flat feature
    /// vector up to float rounding: same best three, probabilities within 1e-5.
    @Test func decisionsMatchTheModelOnTheFlatFeatureVector() throws {
        let bundle = try Self.trainedBundle()
        let classifier = CategoryClassifier(rules: nil, bundle: bundle)
        let features = HashedFeatures(settings: bundle.model.settings)
        for item in Self.items {
            let decision = try #require(classifier.classify(item))
            let p = bundle.model.probabilities(features.extract(item))
            let order = p.indices.sorted { p[$0] > p[$1] || (p[$0] == p[$1] && $0 < $1) }
            #expect(decision.topK.map(\.label) == order.prefix(3).map { bundle.model.labels[$0] }, "\(item.fields)")
            for (got, index) in zip(decision.topK, order) {
                #expect(abs(got.probability - p[index]) < 1e-5, "\(item.fields)")
            }
        }
    }

    /// A batch (two threads, each with its own cache, so repeats are hits) decides exactly as one item at a time
    /// without a cache: the same labels and the same probability bits.
    @Test func cachedBatchDecidesBitForBitAsSingleItems() throws {
        let classifier = CategoryClassifier(rules: nil, bundle: try Self.trainedBundle())
        let batch = classifier.classify(batch: Self.items, threads: 2)
        #expect(batch.count == Self.items.count)
        for (item, cached) in zip(Self.items, batch) {
            #expect(cached == classifier.classify(item), "\(item.fields)")
        }
    }

    /// topIndices against a stable sort, on values with many ties.
    @Test func topIndicesAgreeWithASort() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for length in [0, 1, 2, 3, 4, 7, 115] {
            for _ in 0..<20 {
                let values: [Float] = (0..<length).map { _ in
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    return Float(state >> 61)  // eight distinct values: ties are common
                }
                for count in 1...4 {
                    let expected = values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }
                    let got = values.withUnsafeBufferPointer { CategoryClassifier.topIndices($0, count: count) }
                    #expect(got == Array(expected.prefix(count)), "\(values)")
                }
            }
        }
    }

    /// The exponential kernel against Foundation's double-precision exp: relative error below 1.5e-7 (a C harness
    /// over two million points in the same range found 8.4e-8 at most) across the whole range it is used for, 0
    /// below ln(FLT_MIN), and the same bits from the AVX2 and portable paths.
    @Test func expKernelIsAccurateAndItsPathsAgree() {
        var xs: [Float] = stride(from: Float(-87.3), through: 10, by: 0.013).map { $0 }
        xs += [0, -0.0, 1e-8, -1e-8, -87.33, -87.34, -90, -1000, -.infinity]
        var results: [[Float]] = []
        var sums: [Float] = []
        for kind in [0, 1] {
            findoc_exp_force_kernel(Int32(kind))
            var out = [Float](repeating: -1, count: xs.count)
            let sum = xs.withUnsafeBufferPointer { x in
                out.withUnsafeMutableBufferPointer { o in findoc_exp_sum(x.baseAddress, o.baseAddress, x.count, 0, 1) }
            }
            results.append(out)
            sums.append(sum)
        }
        findoc_exp_force_kernel(-1)
        let differing = xs.indices.filter { results[0][$0].bitPattern != results[1][$0].bitPattern }
        #expect(differing.isEmpty, "paths differ at x = \(differing.prefix(5).map { xs[$0] })")
        #expect(sums[0].bitPattern == sums[1].bitPattern)
        for result in results {
            let wrong = zip(xs, result).filter { x, e in
                x < -87.33654 ? e != 0 : abs(Double(e) - Foundation.exp(Double(x))) > 1.5e-7 * Foundation.exp(Double(x))
            }
            #expect(wrong.isEmpty, "inaccurate at (x, e^x) = \(wrong.prefix(5))")
        }
        let truthSum = results[0].reduce(0.0) { $0 + Double($1) }
        #expect(abs(Double(sums[0]) - truthSum) <= 1e-5 * truthSum)
        // Shift and scale: e^((x − peak) · scale).
        var out: [Float] = [0, 0, 0]
        let shifted = [Float(3), 1, -1].withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in findoc_exp_sum(x.baseAddress, o.baseAddress, 3, 3, 0.5) }
        }
        #expect(out[0] == 1)
        #expect(abs(Double(out[1]) - Foundation.exp(-1.0)) < 1e-7 && abs(Double(out[2]) - Foundation.exp(-2.0)) < 1e-7)
        #expect(abs(Double(shifted) - (1 + Foundation.exp(-1.0) + Foundation.exp(-2.0))) < 1e-6)
    }
}
