import Foundation
import Testing

@testable import FinDocML

@Suite struct EntityMetricsTests {
    struct Fixture: Decodable {
        struct Metrics: Decodable {
            struct PerType: Decodable {
                let precision: Double
                let recall: Double
                let f1: Double
                let support: Int
            }
            let n_sentences: Int
            let n_gold_entities: Int
            let precision: Double
            let recall: Double
            let micro_f1: Double
            let per_type: [String: PerType]
        }
        struct Case: Decodable {
            let name: String
            let gold: [[String]]
            let pred: [[String]]
            let metrics: Metrics
            let gold_entities: [[[EntityPart]]]
            let pred_entities: [[[EntityPart]]]
        }
        struct Conversion: Decodable {
            let tags: [String]
            let to_io: [String]
            let restrict_types: [String]
            let restrict_io: [String]
        }
        let cases: [Case]
        let conversions: [Conversion]
    }

    /// A JSON entity triple ["PER", 0, 1] holds strings and integers.
    enum EntityPart: Decodable, Equatable {
        case text(String)
        case number(Int)

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Int.self) { self = .number(number) } else { self = .text(try container.decode(String.self)) }
        }
    }

    static func fixture() throws -> Fixture {
        let url = TokenizerTestSupport.repositoryRoot.appendingPathComponent(
            "Tests/FinDocMLTests/Fixtures/entities/ner_metrics.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    /// Every case of the fixture written by the anchors' own `ner_metrics` (seqeval 1.2.2).
    @Test func matchesTheAnchorsScoring() throws {
        let fixture = try Self.fixture()
        #expect(fixture.cases.count == 11)
        for item in fixture.cases {
            let metrics = try EntityMetrics(gold: item.gold, predicted: item.pred)
            let expected = item.metrics
            #expect(metrics.sentences == expected.n_sentences, "\(item.name)")
            #expect(abs(metrics.overall.precision - expected.precision) < 1e-12, "\(item.name)")
            #expect(abs(metrics.overall.recall - expected.recall) < 1e-12, "\(item.name)")
            #expect(abs(metrics.overall.f1 - expected.micro_f1) < 1e-12, "\(item.name)")
            #expect(metrics.overall.support == expected.n_gold_entities, "\(item.name)")
            for (type, score) in expected.per_type {
                let mine = metrics.perType[type] ?? .init()
                #expect(abs(mine.precision - score.precision) < 1e-12 && abs(mine.recall - score.recall) < 1e-12
                    && abs(mine.f1 - score.f1) < 1e-12 && mine.support == score.support, "\(item.name) \(type)")
            }
            for (tags, expectedSpans) in zip(item.gold + item.pred, item.gold_entities + item.pred_entities) {
                let spans = EntityMetrics.entities(tags).map { [EntityPart.text($0.type), .number($0.first), .number($0.last)] }
                #expect(spans == expectedSpans, "\(item.name) \(tags)")
            }
        }
    }

    @Test func conversionsMatchTheAnchors() throws {
        for item in try Self.fixture().conversions {
            #expect(NERTags.toIO(item.tags) == item.to_io)
            #expect(NERTags.restrictTypes(item.tags) == item.restrict_types)
            #expect(NERTags.restrictTypes(NERTags.toIO(item.tags)) == item.restrict_io)
        }
    }

    /// Worked by hand: gold PER(0-1), ORG(3); predicted PER(0-1), ORG(3-4). 1 of 2 right each way.
    @Test func handWorked() throws {
        let m = try EntityMetrics(gold: [["B-PER", "I-PER", "O", "B-ORG", "O"]], predicted: [["B-PER", "I-PER", "O", "B-ORG", "I-ORG"]])
        #expect(m.overall == .init(support: 2, predicted: 2, correct: 1))
        #expect(m.overall.f1 == 0.5)
        #expect(m.perType["PER"]?.f1 == 1 && m.perType["ORG"]?.f1 == 0)
        #expect(EntityMetrics.entities(["I-ORG", "I-ORG", "I-LOC"]) == [.init(type: "ORG", first: 0, last: 1), .init(type: "LOC", first: 2, last: 2)])
        #expect(throws: EntityMetricsError.self) { try EntityMetrics(gold: [["O"]], predicted: [["O", "O"]]) }
        #expect(throws: EntityMetricsError.self) { try EntityMetrics(gold: [["O"]], predicted: []) }
    }
}

@Suite struct EntityAnchorScoringTests {
    /// IO gold (no B-): predictions in BIO are converted to IO before scoring, and MISC is dropped. By hand:
    /// gold IO: ORG(0-1), PER(3); predicted B-ORG B-ORG → I-ORG I-ORG = ORG(0-1) ✓, B-MISC → O, B-PER → PER(3) ✓.
    /// Without the IO conversion B-ORG B-ORG would be two entities, both wrong.
    @Test func ioGoldConvertsPredictions() throws {
        let gold = [["I-ORG", "I-ORG", "O", "I-PER", "I-MISC"]]
        let predicted = [["B-ORG", "B-ORG", "O", "B-PER", "B-MISC"]]
        let m = try EntityMetrics.anchorScoring(gold: gold, predicted: predicted)
        #expect(m.overall == .init(support: 2, predicted: 2, correct: 2))
        let raw = try EntityMetrics(gold: gold, predicted: predicted)
        #expect(raw.perType["ORG"]?.correct == 0)
        let object = m.jsonObject()
        #expect(object["micro_f1"] as? Double == 1 && object["n_gold_entities"] as? Int == 2)
        #expect((object["per_type"] as? [String: Any])?.keys.sorted() == ["ORG", "PER"])
    }

    /// BIO gold keeps predictions' B-/I- as they are (only MISC restricted away).
    @Test func bioGoldKeepsBoundaries() throws {
        let m = try EntityMetrics.anchorScoring(gold: [["B-ORG", "B-ORG", "B-MISC"]], predicted: [["B-ORG", "I-ORG", "B-MISC"]])
        #expect(m.overall == .init(support: 2, predicted: 1, correct: 0))
        #expect(m.perType["MISC"] == nil)
    }
}
