import FinDocCore
import Foundation
import Testing

@testable import FinDocML

@Suite struct EntityTaggerTests {
    /// A hand-made scorer stands in for the head: it reads each token's word and says I-ORG (0.7) for "holdings",
    /// B-ORG (0.8) for "acme", B-LOC (0.9) for "oslo", else O (0.9). "holdings" first piece argmax I-ORG after B-ORG is
    /// valid; a sentence starting with "holdings" gets the best valid alternative instead (B-ORG 0.1 vs O 0.2 → O).
    /// Text: "Acme Holdings opened in Oslo." — Acme0-3 ␠4 Holdings5-12 ␠13 opened14-19 ␠20 in21-22 ␠23 Oslo24-27 .28
    @Test func decodesAndMapsBackToText() throws {
        let tokenizer = try TokenizerTestSupport.installedTokenizer()
        let labels = EntityLabelSet(tags: NERTags.finerTags)
        let tagger = EntityTagger(labels: labels, tokenizer: tokenizer)
        let texts = ["Acme Holdings opened in Oslo.", "Holdings rose."]
        let words = texts.map(SentenceWords.init)
        func row(_ pairs: [String: Float]) -> [Float] {
            labels.tags.map { tag in Float(Foundation.log(Double(pairs[tag] ?? 0.001))) }
        }
        let spans = try tagger.spans(in: texts) { alignments in
            zip(alignments, words).map { alignment, sentence in
                alignment.wordOfToken.map { word -> [Float] in
                    switch word.map({ sentence.words[$0].lowercased() }) {
                    case "acme": row(["B-ORG": 0.8, "O": 0.1])
                    case "holdings": row(["I-ORG": 0.7, "O": 0.2, "B-ORG": 0.1])
                    case "oslo": row(["B-LOC": 0.9, "O": 0.05])
                    default: row(["O": 0.9])
                    }
                }
            }
        }
        #expect(spans.count == 2)
        #expect(spans[0].map(\.text) == ["Acme Holdings", "Oslo"])
        #expect(spans[0].map(\.start) == [0, 24] && spans[0].map(\.end) == [13, 28])
        #expect(spans[0].map(\.type) == [.organization, .location])
        #expect(abs((spans[0][0].probability ?? 0) - 0.75) < 1e-5)
        #expect(spans[1].isEmpty)
        #expect(throws: EntityTaggerError.self) { try tagger.spans(in: texts) { _ in [] } }
    }
}
