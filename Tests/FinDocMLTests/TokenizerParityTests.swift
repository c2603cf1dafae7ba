import FinDocCore
import Foundation
import Testing

@testable import FinDocML

/// Identical ids to the reference tokenizer (`tokenizers` 0.22.1 on the model's tokenizer.json) on every fixture text.
@Suite struct TokenizerParityTests {
    /// Hand-written edge cases and permissively licensed texts, committed with their reference ids and offsets.
    @Test func permissiveTextsGiveTheReferenceIDs() throws {
        let tokenizer = try TokenizerTestSupport.installedTokenizer()
        let records = try TokenizerTestSupport.jsonLines("permissive.jsonl", as: TokenizerTestSupport.PermissiveRecord.self)
        #expect(records.count >= 2_000)
        #expect(records.filter { $0.source == "handwritten" }.count >= 100)
        var identical = 0
        for record in records {
            let ids = tokenizer.encode(record.text, maxLength: 1_000_000).ids
            if ids == record.ids {
                identical += 1
            } else {
                Issue.record("ids differ for \(record.source) text \(record.text.debugDescription): \(ids) vs reference \(record.ids)")
            }
        }
        print("tokenizer parity (permissive fixture): \(identical) of \(records.count) texts identical")
        #expect(identical == records.count)
    }

    /// Offsets (Unicode scalar ranges into the input) agree with the reference's too.
    @Test func offsetsMatchTheReference() throws {
        let tokenizer = try TokenizerTestSupport.installedTokenizer()
        let records = try TokenizerTestSupport.jsonLines("permissive.jsonl", as: TokenizerTestSupport.PermissiveRecord.self)
        var identical = 0
        for record in records {
            let offsets = tokenizer.encode(record.text, maxLength: 1_000_000).offsets.map { [$0.lowerBound, $0.upperBound] }
            if offsets == record.offsets {
                identical += 1
            } else {
                Issue.record("offsets differ for \(record.text.debugDescription): \(offsets) vs reference \(record.offsets)")
            }
        }
        print("tokenizer offsets (permissive fixture): \(identical) of \(records.count) texts identical")
        #expect(identical == records.count)
    }

    /// Financial PhraseBank (non-commercial: only line numbers, line hashes and id digests are committed) read from ../shared.
    @Test func phraseBankSentencesGiveTheReferenceIDs() throws {
        let tokenizer = try TokenizerTestSupport.installedTokenizer()
        let records = try TokenizerTestSupport.jsonLines("noncommercial.jsonl", as: TokenizerTestSupport.IDsOnlyRecord.self)
        let path = TokenizerTestSupport.sharedData.appendingPathComponent("financial_phrasebank/train.tsv")
        guard let data = FileManager.default.contents(atPath: path.path) else {
            Issue.record("\(path.path) is missing: this test reads the shared data beside the repository")
            return
        }
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        var identical = 0
        for record in records {
            guard record.line >= 1, record.line <= lines.count else {
                Issue.record("\(path.path):\(record.line): line missing (fixture expects it)")
                continue
            }
            let line = Array(lines[record.line - 1])
            guard SHA256.hex(of: line) == record.sha256 else {
                Issue.record("\(path.path):\(record.line): the line changed since the fixture was made (sha256 differs)")
                continue
            }
            let sentence = String(decoding: line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false)[0], as: UTF8.self)
            let ids = tokenizer.encode(sentence, maxLength: 1_000_000).ids
            let digest = SHA256.hex(of: Array(ids.map(String.init).joined(separator: ",").utf8))
            if ids.count == record.idsCount && digest == record.idsSHA256 {
                identical += 1
            } else {
                let message =
                    "\(path.path):\(record.line): ids differ from the reference (\(ids.count) ids, sha256 \(digest); "
                    + "reference \(record.idsCount) ids, sha256 \(record.idsSHA256)): \(ids)"
                Issue.record(Comment(rawValue: message))
            }
        }
        print("tokenizer parity (Financial PhraseBank train.tsv): \(identical) of \(records.count) sentences identical")
        #expect(records.count == 3_870)
        #expect(identical == records.count)
    }
}
