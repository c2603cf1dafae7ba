import Foundation
import Testing

@testable import FinDocML

/// The basic-tokenizer and WordPiece rules on small inputs whose answer follows from the rules themselves, plus
/// vocabulary errors and random input that must never trap.
@Suite struct TokenizerRuleTests {
    @Test func basicTokenizerRules() {
        let basic = BasicTokenizer()
        #expect(basic.words(in: "Hello, World!") == ["hello", ",", "world", "!"])
        #expect(basic.words(in: "  \t\n ") == [])
        #expect(basic.words(in: "Crème BRÛLÉE") == ["creme", "brulee"])
        #expect(basic.words(in: "a\u{0}b\u{FFFD}c\u{200B}d") == ["abcd"])  // NUL, U+FFFD and Cf removed, no split
        #expect(basic.words(in: "x\u{00A0}y\u{3000}z") == ["x", "y", "z"])  // Unicode whitespace splits
        #expect(basic.words(in: "ab中文cd") == ["ab", "中", "文", "cd"])  // CJK ideographs isolated
        #expect(basic.words(in: "カタカナ") == ["カタカナ"])  // kana are not in BERT's CJK ranges
        #expect(basic.words(in: "$84.3bn") == ["$", "84", ".", "3bn"])
        #expect(basic.words(in: "«a»—b") == ["«", "a", "»", "—", "b"])  // Unicode P* isolated
        #expect(basic.words(in: "a+b=c^") == ["a", "+", "b", "=", "c", "^"])  // ASCII symbols count as punctuation
        #expect(basic.words(in: "€5") == ["€5"])  // Sc outside ASCII is not punctuation
        #expect(basic.words(in: "e\u{301}") == ["e"])  // a combining mark, stripped
        #expect(basic.words(in: "👨‍👩‍👧") == ["👨👩👧"])  // ZWJ is Cf: removed, the emoji stay one word
    }

    @Test func casedOptionsKeepCaseAndAccents() {
        let cased = BasicTokenizer(lowercase: false)
        #expect(cased.words(in: "Crème BRÛLÉE") == ["Crème", "BRÛLÉE"])
        #expect(BasicTokenizer(lowercase: true, stripAccents: false).words(in: "Crème") == ["crème"])
    }

    @Test func wordPieceIsGreedyLongestMatchFirst() throws {
        let vocabulary = WordPieceVocabulary(tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##aff", "##able", "##a", "aff", "é", "##ff"])
        let wordPiece = WordPieceTokenizer(vocabulary: vocabulary, unknownID: 1, maxInputCharactersPerWord: 8)
        #expect(wordPiece.pieces(of: "unaffable") == ["[UNK]"])  // 9 scalars > 8
        let wide = WordPieceTokenizer(vocabulary: vocabulary, unknownID: 1)
        #expect(wide.pieces(of: "unaffable") == ["un", "##aff", "##able"])
        #expect(wide.pieces(of: "affa") == ["aff", "##a"])
        #expect(wide.pieces(of: "unx") == ["[UNK]"])  // one piece missing: the whole word is unknown
        #expect(wide.pieces(of: "éff") == ["é", "##ff"])  // multi-byte scalars split on scalar boundaries
        #expect(vocabulary.id(of: "##able") == 6)
    }

    @Test func duplicateVocabularyLinesLetTheLaterIdWin() {
        let vocabulary = WordPieceVocabulary(tokens: ["[UNK]", "a", "a"])
        let wordPiece = WordPieceTokenizer(vocabulary: vocabulary, unknownID: 0)
        #expect(vocabulary.id(of: "a") == 2)
        #expect(wordPiece.pieces(of: "a") == ["a"])
    }

    @Test func missingVocabularySaysHowToInstall() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("findoc-no-model-\(UUID().uuidString)")
        do {
            _ = try BertTokenizer.installed(in: ModelsDirectory(url: folder))
            Issue.record("expected an error")
        } catch let error as TokenizerError {
            guard case .vocabularyMissing = error else { Issue.record("unexpected \(error)"); return }
            #expect(error.description.contains("Scripts/install-model.sh"))
            #expect(error.description.contains(folder.path))
        }
    }

    @Test func vocabularyWithoutSpecialTokensIsRejected() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("findoc-vocab-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data("[PAD]\nhello\n".utf8).write(to: url)
        #expect(throws: TokenizerError.self) { _ = try BertTokenizer(vocabularyURL: url) }
        try Data().write(to: url)
        #expect(throws: TokenizerError.self) { _ = try WordPieceVocabulary(contentsOf: url) }
    }

    /// Random scalars (any plane, controls, marks, unassigned) never trap and always give well-formed output.
    @Test func randomInputNeverTraps() throws {
        let tokenizer = try TokenizerTestSupport.installedTokenizer()
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var texts: [String] = []
        for _ in 0..<300 {
            var text = String.UnicodeScalarView()
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            for _ in 0..<Int(state % 200) {
                state ^= state << 13; state ^= state >> 7; state ^= state << 17
                let value = state % 4 == 0 ? UInt32(state >> 40) % 0x11_0000 : UInt32(state >> 40) % 0x3000
                if let scalar = Unicode.Scalar(value) { text.append(scalar) }
            }
            texts.append(String(text))
        }
        let batch = tokenizer.encode(texts, maxLength: 64)
        #expect(batch.count == texts.count)
        for row in 0..<batch.count {
            #expect(batch.ids[row].count == batch.sequenceLength)
            #expect(batch.ids[row].allSatisfy { $0 >= 0 && Int($0) < tokenizer.vocabulary.count })
            #expect(batch.lengths[row] >= 2 && batch.lengths[row] <= 64)
            let scalarCount = texts[row].unicodeScalars.count
            #expect(batch.offsets[row].allSatisfy { $0.lowerBound >= 0 && $0.upperBound <= scalarCount })
        }
    }
}
