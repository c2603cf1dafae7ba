import Foundation
import Testing

@testable import FinDocML

@Suite struct WordPieceAlignmentTests {
    struct Fixture: Decodable {
        struct Sentence: Decodable {
            let words: [String]
            let ids: [Int32]
            let word_ids: [Int?]
        }
        let max_length: Int
        let sentences: [Sentence]
    }

    /// Ids and word ids equal the reference fast tokenizer's with is_pretokenized=True and truncation at 256
    /// (Scripts/reference/make_ner_fixture.py).
    @Test func matchesTheReferenceWordIDs() throws {
        let tokenizer = try TokenizerTestSupport.installedTokenizer()
        let url = TokenizerTestSupport.repositoryRoot.appendingPathComponent(
            "Tests/FinDocMLTests/Fixtures/entities/word_alignment.json")
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        #expect(fixture.sentences.count == 5)
        for sentence in fixture.sentences {
            let alignment = WordPieceAlignment(words: sentence.words, tokenizer: tokenizer, maxLength: fixture.max_length)
            #expect(alignment.ids == sentence.ids, "\(sentence.words.prefix(4))")
            #expect(alignment.wordOfToken == sentence.word_ids, "\(sentence.words.prefix(4))")
        }
    }

    /// Hand-worked: first-piece labels, −1 elsewhere, and the way back.
    @Test func labelsGoOnFirstPieces() {
        let alignment = WordPieceAlignment(
            ids: [101, 7, 8, 9, 10, 102], firstToken: [1, 3, nil], wordOfToken: [nil, 0, 0, 1, 1, nil])
        #expect(alignment.tokenLabels(wordLabels: [5, 2, 4]) == [-1, 5, -1, 2, -1, -1])
        #expect(alignment.wordValues(tokenValues: ["c", "a", "x", "b", "y", "s"], missing: "O") == ["a", "b", "O"])
        #expect(alignment.lostWords == 1)
    }

    /// Truncation keeps the first piece of a cut word and loses the words after it.
    @Test func truncationLosesTrailingWords() throws {
        let tokenizer = try TokenizerTestSupport.installedTokenizer()
        let words = ["revenue", "antidisestablishmentarianism", "rose"]
        let pieces = tokenizer.tokenize("antidisestablishmentarianism").count
        #expect(pieces > 2)
        let alignment = WordPieceAlignment(words: words, tokenizer: tokenizer, maxLength: 4)
        #expect(alignment.count == 4)
        #expect(alignment.firstToken == [1, 2, nil])
        #expect(alignment.tokenLabels(wordLabels: [1, 2, 3]) == [-1, 1, 2, -1])
    }

    @Test func labelSetIDs() {
        let labels = EntityLabelSet(tags: NERTags.finerTags)
        #expect(labels.id(of: "B-ORG") == 5)
        #expect(labels.ids(of: ["O", "I-PER", "B-MISC"]) == [0, 2, 0])
        #expect(EntityLabelSet(tags: ["B-PER"]).ids(of: ["X"]) == nil)
    }
}
