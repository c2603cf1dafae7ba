import FinDocCore
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

/// The alignment over the whole shared NER sets equals the reference's (ids and word ids of every sentence, read by
/// the anchors' own loaders), checked through counts and a sha256: FiNER-ORD is non-commercial, so no token or id of
/// it is committed (Tests/FinDocMLTests/Fixtures/entities/shared_alignment.json, from make_ner_fixture.py).
@Suite struct SharedAlignmentParityTests {
    struct Fixture: Decodable {
        struct Set: Decodable {
            let file: String
            let sentences: Int
            let words: Int
            let words_lost_to_truncation: Int
            let tag_counts: [String: Int]
            let alignment_sha256: String
        }
        let sets: [Set]
    }

    @Test func matchesTheReferenceOnTheSharedSets() throws {
        let tokenizer = try TokenizerTestSupport.installedTokenizer()
        let url = TokenizerTestSupport.repositoryRoot.appendingPathComponent(
            "Tests/FinDocMLTests/Fixtures/entities/shared_alignment.json")
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        #expect(fixture.sets.count == 3)
        for set in fixture.sets {
            let sentences = try NERDataReader.read(contentsOf: TokenizerTestSupport.sharedData.appendingPathComponent(set.file))
            #expect(sentences.count == set.sentences, "\(set.file)")
            #expect(sentences.reduce(0) { $0 + $1.words.count } == set.words, "\(set.file)")
            var tags: [String: Int] = [:]
            for tag in sentences.flatMap(\.tags) { tags[tag, default: 0] += 1 }
            #expect(tags == set.tag_counts, "\(set.file)")
            var hash = SHA256()
            var lost = 0
            for sentence in sentences {
                let alignment = WordPieceAlignment(words: sentence.words, tokenizer: tokenizer)
                lost += alignment.lostWords
                let ids = alignment.ids.map(String.init).joined(separator: ",")
                let words = alignment.wordOfToken.map { String($0 ?? -1) }.joined(separator: ",")
                hash.update(Array((ids + "|" + words + "\n").utf8))
            }
            #expect(lost == set.words_lost_to_truncation, "\(set.file)")
            #expect(hash.finalizeHex() == set.alignment_sha256, "\(set.file)")
        }
    }
}

@Suite struct NERTrainingExampleTests {
    /// The fixture's first sentence (reference word_ids [None, 0, 0, 1, 2, 3, 3, 3, 3, 4, 5, 6, 6, 7, 7, 8, None]):
    /// the tags of words 0…8 (B-ORG=5, I-ORG=6, then O=0) land on tokens 1, 3, 4, 5, 9, 10, 11, 13, 15.
    @Test func labelsLandOnFirstPieces() throws {
        let tokenizer = try TokenizerTestSupport.installedTokenizer()
        let labels = EntityLabelSet(tags: NERTags.finerTags)
        let sentence = NERSentence(
            words: ["Northwind", "Capital", "raised", "$84.3", "billion", "in", "Q3", "2022", "."],
            tags: ["B-ORG", "I-ORG", "O", "O", "O", "O", "O", "O", "O"])
        let example = try #require(NERTrainingExample(sentence: sentence, tokenizer: tokenizer, labelSet: labels))
        #expect(example.ids.count == 17)
        #expect(example.labels == [-1, 5, -1, 6, 0, 0, -1, -1, -1, 0, 0, 0, -1, 0, -1, 0, -1])
        #expect(NERTrainingExample(sentence: sentence, tokenizer: tokenizer, labelSet: EntityLabelSet(tags: ["B-ORG"])) == nil)
    }
}
