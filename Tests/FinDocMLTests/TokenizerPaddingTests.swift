import Foundation
import Testing

@testable import FinDocML

/// Truncation, padding, attention masks and token types, against the reference's own truncation and padding.
@Suite struct TokenizerPaddingTests {
    struct Special: Decodable {
        struct Truncated: Decodable {
            let text: String
            let max_length: Int
            let ids: [Int32]
        }
        struct Padded: Decodable {
            let texts: [String]
            let ids: [[Int32]]
            let attention_mask: [[Int32]]
            let type_ids: [[Int32]]
        }
        let truncation: [Truncated]
        let padding: [String: Padded]
    }

    static func special() throws -> Special {
        try JSONDecoder().decode(
            Special.self, from: Data(contentsOf: TokenizerTestSupport.fixtures.appendingPathComponent("special.json")))
    }

    @Test func truncationKeepsTheFirstPiecesAndTheSeparator() throws {
        let tokenizer = try TokenizerTestSupport.installedTokenizer()
        let cases = try Self.special().truncation
        #expect(cases.count > 600)
        var identical = 0
        for item in cases {
            let encoded = tokenizer.encode(item.text, maxLength: item.max_length)
            if encoded.ids == item.ids { identical += 1 } else {
                Issue.record("max \(item.max_length), \(item.text.debugDescription): \(encoded.ids) vs reference \(item.ids)")
            }
            #expect(encoded.ids.count <= item.max_length)
            #expect(encoded.ids.first == tokenizer.classifierID && encoded.ids.last == tokenizer.separatorID)
        }
        #expect(identical == cases.count)
    }

    @Test func truncatedTokenCountSaysWhatWasDropped() throws {
        let tokenizer = try TokenizerTestSupport.installedTokenizer()
        let text = String(repeating: "word ", count: 200)
        let full = tokenizer.encode(text, maxLength: 512)
        #expect(full.ids.count == 202 && full.truncatedTokenCount == 0)
        let cut = tokenizer.encode(text)
        #expect(cut.ids.count == 128 && cut.truncatedTokenCount == 74)
        #expect(Array(cut.ids.dropLast()) == Array(full.ids.prefix(127)))
    }

    @Test(arguments: ["longest", "fixed16"])
    func paddingMasksAndTypesMatchTheReference(mode: String) throws {
        let tokenizer = try TokenizerTestSupport.installedTokenizer()
        let expected = try #require(try Self.special().padding[mode])
        let batch = tokenizer.encode(expected.texts, maxLength: mode == "fixed16" ? 16 : 128,
            padding: mode == "fixed16" ? .maxLength : .longest)
        #expect(batch.ids == expected.ids)
        #expect(batch.attentionMask == expected.attention_mask)
        #expect(batch.tokenTypeIDs == expected.type_ids)
        #expect(batch.lengths == expected.attention_mask.map { $0.reduce(0) { $0 + Int($1) } })
        #expect(batch.sequenceLength == expected.ids[0].count)
        #expect(batch.flatIDs == expected.ids.flatMap { $0 })
        #expect(batch.flatAttentionMask == expected.attention_mask.flatMap { $0 })
        #expect(batch.offsets.allSatisfy { $0.count == batch.sequenceLength })
    }

    @Test func parallelEncodingGivesTheSameResultsInOrder() throws {
        let tokenizer = try TokenizerTestSupport.installedTokenizer()
        let texts = try TokenizerTestSupport.jsonLines("permissive.jsonl", as: TokenizerTestSupport.PermissiveRecord.self)
            .map(\.text)
        let sequential = tokenizer.encodeEach(texts, parallelThreshold: Int.max)
        let parallel = tokenizer.encodeEach(texts, parallelThreshold: 4)
        #expect(sequential.count == texts.count)
        #expect(parallel == sequential)
        #expect(sequential.first?.ids == tokenizer.encode(texts[0]).ids)
    }

    @Test func emptyBatchAndBatchIndependence() throws {
        let tokenizer = try TokenizerTestSupport.installedTokenizer()
        let empty = tokenizer.encode([String]())
        #expect(empty.count == 0 && empty.sequenceLength == 0)
        let texts = ["Naïve café", "日本語", "Revenue rose 5%."]
        let batch = tokenizer.encode(texts)
        for (row, text) in texts.enumerated() {
            #expect(Array(batch.ids[row].prefix(batch.lengths[row])) == tokenizer.encode(text).ids)
        }
    }
}
