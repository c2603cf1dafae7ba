import Testing

@testable import FinDocML

/// Training: determinism, learning a separable set, calibration.
@Suite struct CategoryTrainerTests {
    static func item(_ text: String, _ amount: Int64? = nil) -> CategoryItem {
        CategoryItem(fields: [CategoryTextField(name: "description", value: text)], amountMinor: amount)
    }

    /// Three merchants per label, each in a few store-numbered variants: separable by words.
    static let separable: [LabelledCategoryItem] = {
        let merchants = [
            "Vehicle Fuel": ["shell kings", "esso heath", "bp connect"],
            "Books": ["waterstones", "amazon books", "foyles"],
            "Food": ["tesco stores", "sainsburys", "aldi"],
        ]
        var rows: [LabelledCategoryItem] = []
        for (label, names) in merchants.sorted(by: { $0.key < $1.key }) {
            for name in names {
                for store in 100..<108 { rows.append(LabelledCategoryItem(item: item("\(name) \(store)"), label: label)) }
            }
        }
        return rows
    }()

    @Test func learnsASeparableSetPerfectly() throws {
        let trainer = CategoryTrainer(options: CategoryTrainingOptions(epochs: 10, calibrationFraction: 0))
        let model = try trainer.train(Self.separable).model
        let features = HashedFeatures(settings: model.settings)
        for row in Self.separable {
            let p = model.probabilities(features.extract(row.item))
            let best = p.indices.max { p[$0] < p[$1] } ?? -1
            #expect(model.labels[best] == row.label, "\(row.item.fields[0].value)")
        }
        // An unseen store number of a known merchant.
        let p = model.probabilities(features.extract(Self.item("esso heath 999")))
        #expect(model.labels[p.indices.max { p[$0] < p[$1] } ?? 0] == "Vehicle Fuel")
    }

    @Test func sameSeedSameWeightsWhateverTheThreadCount() throws {
        var options = CategoryTrainingOptions(epochs: 3, seed: 7, threads: 1)
        let one = try CategoryTrainer(options: options).train(Self.separable).model
        options.threads = 2
        let two = try CategoryTrainer(options: options).train(Self.separable).model
        let again = try CategoryTrainer(options: options).train(Self.separable).model
        #expect(one.weights == two.weights)
        #expect(one.bias == two.bias)
        #expect(two.weights == again.weights)
        #expect(one.temperature == two.temperature)
        options.seed = 8
        let other = try CategoryTrainer(options: options).train(Self.separable).model
        #expect(other.weights != two.weights)
    }

    @Test func refusesDegenerateData() {
        #expect(throws: CategoryTrainer.TrainingError.noRows) { try CategoryTrainer().train([]) }
        let one = [LabelledCategoryItem(item: Self.item("a"), label: "X"), LabelledCategoryItem(item: Self.item("b"), label: "X")]
        #expect(throws: CategoryTrainer.TrainingError.singleLabel("X")) { try CategoryTrainer().train(one) }
    }

    /// Noisy labels make a model trained for many epochs over-confident; the fitted temperature must lower the
    /// held-back negative log-likelihood.
    @Test func calibrationLowersHeldOutNLL() throws {
        var generator = SplitMix64(seed: 3)
        var rows: [LabelledCategoryItem] = []
        let labels = ["A", "B", "C"]
        for i in 0..<600 {
            let truth = i % 3
            // 30% of labels are flipped at random.
            let label = generator.next() % 10 < 3 ? labels[Int(generator.next() % 3)] : labels[truth]
            rows.append(LabelledCategoryItem(item: Self.item("merchant\(truth) shop\(i % 17)"), label: label))
        }
        for latest in [true, false] {
            let options = CategoryTrainingOptions(epochs: 30, learningRate: 2, calibrationFraction: 0.25, calibrateOnLatest: latest)
            let result = try CategoryTrainer(options: options).train(rows)
            let calibration = try #require(result.calibration)
            #expect(calibration.nllAfter < calibration.nllBefore, "latest: \(latest)")
            #expect(calibration.rows == 150)
        }
    }
}
