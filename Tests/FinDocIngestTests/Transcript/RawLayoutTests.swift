import FinDocCore
import Foundation
import Testing

@testable import FinDocIngest

/// Raw transcripts in five layouts against hand-checked expected files (Fixtures/transcripts-expected: counts and
/// names only, never transcript text). Each expected file says how it was derived from the source independently of
/// the parser. A turn is right when it is aligned (longest common subsequence) with an expected turn of the same
/// speaker and section.
@Suite struct RawLayoutTests {
    struct Expected: Decodable {
        var source: String
        var layout: String
        var turns: Int
        var first_qa_turn: Int?
        var speakers: [String]
    }

    static let fixtures: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: TranscriptData.expected)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }()

    static func load(_ name: String) throws -> Expected {
        let data = try Data(contentsOf: URL(fileURLWithPath: TranscriptData.expected + "/" + name))
        return try JSONDecoder().decode(Expected.self, from: data)
    }

    /// (right turns, expected turns) for one fixture.
    static func score(_ name: String) throws -> (right: Int, total: Int, document: TranscriptDocument, expected: Expected) {
        let expected = try load(name)
        let document = TranscriptData.read(TranscriptData.shared + "/" + expected.source)
        let want = expected.speakers.enumerated().map { (i, speaker) in
            (speaker, i >= (expected.first_qa_turn ?? Int.max) ? TranscriptSection.qa : .prepared)
        }
        let got = document.transcript.utterances.map { ($0, $0.section) }
        func same(_ a: (String, TranscriptSection), _ b: (Utterance, TranscriptSection)) -> Bool {
            guard a.1 == b.1 else { return false }
            if a.0 == b.0.speakerLabel || a.0 == b.0.speaker { return true }
            return PersonName(a.0).matches(PersonName(b.0.speakerLabel)) || PersonName(a.0).matches(PersonName(b.0.speaker))
        }
        // Longest common subsequence of the two turn sequences.
        var table = [[Int]](repeating: [Int](repeating: 0, count: got.count + 1), count: want.count + 1)
        for i in stride(from: want.count - 1, through: 0, by: -1) {
            for j in stride(from: got.count - 1, through: 0, by: -1) {
                table[i][j] = same(want[i], got[j]) ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        return (table[0][0], want.count, document, expected)
    }

    @Test func atLeastEightLayoutsAreChecked() {
        #expect(Self.fixtures.count >= 8)
    }

    @Test(arguments: fixtures) func turnsMatchTheHandCheckedFile(name: String) throws {
        let (right, total, document, expected) = try Self.score(name)
        #expect(document.transcript.layout == expected.layout)
        #expect(document.transcript.utterances.count == expected.turns, "\(name)")
        let qa = document.transcript.utterances.firstIndex { $0.section == .qa }
        #expect(qa == expected.first_qa_turn, "\(name)")
        #expect(right * 100 >= total * 95, "\(name): \(right)/\(total)")
    }

    @Test func overallTurnAccuracyIsAtLeast98Percent() throws {
        var right = 0
        var total = 0
        for name in Self.fixtures {
            let score = try Self.score(name)
            print("raw layout \(name): \(score.right)/\(score.total) turns with the right speaker and section")
            right += score.right
            total += score.total
        }
        print("raw layouts overall: \(right)/\(total) = " + String(format: "%.4f", Double(right) / Double(max(total, 1))))
        #expect(total > 0)
        #expect(right * 100 >= total * 98)
    }
}
