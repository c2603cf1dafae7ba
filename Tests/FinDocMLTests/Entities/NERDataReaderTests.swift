import FinDocCore
import Foundation
import Testing

@testable import FinDocML

@Suite struct NERDataReaderTests {
    /// FiNER-ORD layout (ours): quoted comma token, a "5.0" label, two sentences of one document and one of another,
    /// rows of one sentence split by another (joined, as the reference's dict does).
    @Test func readsFinerCSV() throws {
        let text = """
            gold_label,gold_token,doc_idx,sent_idx
            1,Ana,0,0
            2,Lima,0,0
            0,",",0,0
            5.0,Fjordbank,0,1
            0,rose,0,1
            3,Oslo,1,0
            0,.,0,0

            """
        let sentences = try NERDataReader.read(text: text, path: "mini.csv")
        #expect(NERDataReader.detect(text) == .finerCSV)
        #expect(sentences.count == 3)
        #expect(sentences[0] == NERSentence(words: ["Ana", "Lima", ",", "."], tags: ["B-PER", "I-PER", "O", "O"], line: 2))
        #expect(sentences[1].words == ["Fjordbank", "rose"] && sentences[1].tags == ["B-ORG", "O"])
        #expect(sentences[2].tags == ["B-LOC"])
    }

    @Test func finerErrorsNameFileAndLine() {
        let badLabel = "gold_label,gold_token,doc_idx,sent_idx\n0,a,0,0\n9,b,0,0\n"
        #expect {
            try NERDataReader.read(text: badLabel, path: "x.csv")
        } throws: { error in
            (error as? NERDataError)?.location == SourceLocation(file: "x.csv", line: 3)
        }
        let badIndex = "gold_label,gold_token,doc_idx,sent_idx\n0,a,zero,0\n"
        #expect(throws: NERDataError.self) { try NERDataReader.read(text: badIndex, path: "x.csv") }
        let noColumn = "gold_label,gold_token,doc_idx\n0,a,0\n"
        #expect(throws: NERDataError.self) { try NERDataReader.read(text: noColumn, path: "x.csv", format: .finerCSV) }
        let open = "gold_label,gold_token,doc_idx,sent_idx\n0,\"a,0,0\n"
        #expect(throws: NERDataError.self) { try NERDataReader.read(text: open, path: "x.csv") }
    }

    /// CoNLL (ours): 4 columns and 2 columns, tabs and spaces, -DOCSTART-, MISC to O, several blank lines.
    @Test func readsCoNLL() throws {
        let text = "-DOCSTART- -X- O O\n\nAcme NNP - I-ORG\nBank NNP - I-ORG\nin IN - O\nParis\tI-LOC\n\n\n"
            + "Euro NNP - I-MISC\nrose O\r\n"
        let sentences = try NERDataReader.read(text: text, path: "f.txt")
        #expect(NERDataReader.detect(text) == .conll)
        #expect(sentences.count == 2)
        #expect(sentences[0] == NERSentence(words: ["Acme", "Bank", "in", "Paris"], tags: ["I-ORG", "I-ORG", "O", "I-LOC"], line: 3))
        #expect(sentences[1].tags == ["O", "O"] && sentences[1].line == 9)
        #expect(NERTags.scheme(of: sentences) == .io)
    }

    @Test func conllErrorsNameFileAndLine() {
        #expect {
            try NERDataReader.read(text: "a O\nlonely\n", path: "c.txt")
        } throws: { error in
            (error as? NERDataError)?.location == SourceLocation(file: "c.txt", line: 2)
        }
        #expect {
            try NERDataReader.read(text: "a O\n\nb NN X-PER\n", path: "c.txt")
        } throws: { error in
            (error as? NERDataError)?.description.hasPrefix("c.txt:3: ") == true
        }
    }

    /// The shared sets: counts from their SOURCE.md (FiNER-ORD train 80,531 tokens / 3,262 sentences, val 10,233 /
    /// 402; FIN5 41,010 tokens, 1,169 blank-line sentences, IO scheme, MISC tokens 7).
    @Test func readsTheSharedSets() throws {
        let data = TokenizerTestSupport.sharedData
        let train = try NERDataReader.read(contentsOf: data.appendingPathComponent("finer_ord/train.csv"))
        #expect(train.count == 3_262)
        #expect(train.reduce(0) { $0 + $1.words.count } == 80_531)
        #expect(NERTags.scheme(of: train) == .bio)
        #expect(EntityLabelSet(sentences: train).tags == ["B-LOC", "B-ORG", "B-PER", "I-LOC", "I-ORG", "I-PER", "O"])
        let val = try NERDataReader.read(contentsOf: data.appendingPathComponent("finer_ord/val.csv"))
        #expect(val.count == 402 && val.reduce(0) { $0 + $1.words.count } == 10_233)
        let sec = try NERDataReader.read(
            contentsOf: data.appendingPathComponent("sec_filings_ner_alvarado2015/train/FIN5.txt"))
        #expect(sec.reduce(0) { $0 + $1.words.count } == 41_010)
        #expect(NERTags.scheme(of: sec) == .io)
        // SOURCE.md: entity tokens PER 783, LOC 356, ORG 384 (MISC 7 became O).
        let tags = sec.flatMap(\.tags)
        #expect(tags.filter { $0 == "I-PER" }.count == 783)
        #expect(tags.filter { $0 == "I-LOC" }.count == 356)
        #expect(tags.filter { $0 == "I-ORG" }.count == 384)
        #expect(!tags.contains { $0.hasSuffix("MISC") })
    }

    /// Random bytes (from a pool that makes CSV and CoNLL structure likely) either read or fail with a located
    /// NERDataError; they never trap.
    @Test func randomBytesNeverTrap() {
        let pool: [UInt8] = Array("gold_label,gold_token,doc_idx,sent_idx\n0123456789\",-DOCSTART- OB-I-PER\t\r".utf8) + [0xFF, 0xC3]
        var generator = SystemRandomNumberGenerator()
        for round in 0..<1_000 {
            var bytes: [UInt8] = round % 2 == 0 ? Array("gold_label,gold_token,doc_idx,sent_idx\n".utf8) : []
            bytes += (0..<Int.random(in: 0...80, using: &generator)).map { _ in pool.randomElement(using: &generator) ?? 0 }
            let text = NERDataReader.decode(Data(bytes))
            for format in [NERDataReader.Format.finerCSV, .conll, nil] {
                do {
                    let sentences = try NERDataReader.read(text: text, path: "r.txt", format: format)
                    #expect(sentences.allSatisfy { $0.words.count == $0.tags.count && !$0.words.isEmpty })
                } catch let error as NERDataError {
                    #expect(error.location.file == "r.txt" && error.location.line != nil)
                } catch {
                    Issue.record("unexpected error \(error)")
                }
            }
        }
    }
}
