import FinDocCore
import Foundation
import Testing

@testable import FinDocML

@Suite struct EntitySpanMergerTests {
    func model(_ start: Int, _ end: Int, _ type: EntityType, _ p: Double = 0.9) -> EntitySpan {
        EntitySpan(start: start, end: end, type: type, text: "", source: .model, probability: p)
    }

    /// Sentence of datesAndTickers: the model also tags NASDAQ (17..<23) as ORG, inside the TICKER 17..<29 — the
    /// rule wins; its PER on 0..<2 stays; of two model spans 41..<51 ORG and 44..<47 LOC (touching no rule span: the
    /// cashtag ends at 40, the DATE starts at 51) the longer wins.
    @Test func rulesWinThenLongerSpans() {
        let text = "On May 12, 2025 (NASDAQ: AAPL) and $TSLA rose; the third quarter of 2022 and 2025-05-12 too."
        let rules = EntityRecognizer.recognize(text)
        let merged = EntitySpanMerger.merge(
            model: [model(17, 23, .organization), model(0, 2, .person), model(44, 47, .location), model(41, 51, .organization)],
            rules: rules)
        #expect(merged.map(\.start) == [0, 3, 17, 35, 41, 51, 77])
        #expect(merged.map(\.type) == [.person, .date, .ticker, .ticker, .organization, .date, .date])
        // A model span longer than the rule span it overlaps still loses to it.
        let longModel = EntitySpanMerger.merge(model: [model(10, 30, .organization)], rules: rules)
        #expect(longModel.map(\.type) == [.date, .ticker, .ticker, .date, .date])
    }

    @Test func tiesGoToEarlierStartThenProbability() {
        let merged = EntitySpanMerger.resolve([model(5, 9, .location, 0.6), model(3, 7, .organization, 0.5)])
        #expect(merged.map(\.start) == [3])
        let same = EntitySpanMerger.resolve([model(3, 7, .location, 0.6), model(3, 7, .organization, 0.8)])
        #expect(same.map(\.type) == [.organization])
        #expect(EntitySpanMerger.resolve([model(4, 4, .person)]).isEmpty)
    }

    /// (0 Acme1-4 ␠5 Holdings6-13 ,14 ␠15 U.S.16-19 )20 ␠21 rose22-25 ␠26 5(27) %28 .29
    @Test func wordsAndTagsBackToSpans() {
        let text = "(Acme Holdings, U.S.) rose 5%."
        let words = SentenceWords(text)
        #expect(words.words == ["(", "Acme", "Holdings", ",", "U.S.", ")", "rose", "5", "%", "."])
        #expect(words.ranges[1] == 1..<5 && words.ranges[4] == 16..<20 && words.ranges[9] == 29..<30)
        let spans = words.spans(
            tags: ["O", "B-ORG", "I-ORG", "O", "B-LOC", "O", "O", "O", "O", "O"], in: text,
            probabilities: [1, 0.8, 0.6, 1, 0.9, 1, 1, 1, 1, 1])
        #expect(spans.map(\.text) == ["Acme Holdings", "U.S."])
        #expect(spans.map(\.start) == [1, 16] && spans.map(\.end) == [14, 20])
        #expect(abs((spans[0].probability ?? 0) - 0.7) < 1e-12)
        #expect(spans[0].type == .organization && spans[0].source == .model)
    }
}
