import Testing

@testable import FinDocCommands

/// The dev split of `train sentiment` never takes every row of a label, so training is never left empty.
@Suite struct SentimentSplitTests {
    @Test func everyLabelKeepsATrainingRow() {
        let rows = [
            LabelledSentence(text: "up", label: "positive", agreement: nil),
            LabelledSentence(text: "down", label: "negative", agreement: nil),
        ]
        let (train, dev) = SentimentDataOptions.split(rows, devFraction: 0.9, seed: 13)
        #expect(train == [0, 1])
        #expect(dev.isEmpty)
    }

    @Test func largerLabelsLoseTheirRoundedShare() {
        let rows = (0..<20).map { LabelledSentence(text: "t\($0)", label: $0 < 10 ? "a" : "b", agreement: nil) }
        let (train, dev) = SentimentDataOptions.split(rows, devFraction: 0.2, seed: 13)
        #expect(dev.count == 4)  // round(10 × 0.2) from each label
        #expect(train.count == 16)
        #expect(Set(train).isDisjoint(with: dev))
    }
}
