import Foundation
import Testing

@testable import FinDocML

@Suite struct BIODecoderTests {
    let decoder = BIODecoder(labels: EntityLabelSet(tags: NERTags.finerTags))

    func logs(_ rows: [[Double]]) -> [[Float]] { rows.map { $0.map { Float(Foundation.log($0)) } } }

    /// Labels: O, B-PER, I-PER, B-LOC, I-LOC, B-ORG, I-ORG.
    /// Word 1 argmax I-PER (0.5) is invalid at the start. Valid paths, by hand (products):
    /// B-PER I-PER: 0.4 × 0.6 = 0.24; O O: 0.1 × 0.3 = 0.03; B-PER O: 0.4 × 0.3 = 0.12. Best: B-PER I-PER.
    @Test func iCannotStartASentence() {
        let scores = logs([
            [0.1, 0.4, 0.5, 0, 0, 0, 0],
            [0.3, 0.1, 0.6, 0, 0, 0, 0],
        ].map { $0.map { max($0, 1e-9) } })
        #expect(decoder.decode(scores) == ["B-PER", "I-PER"])
    }

    /// Argmax is B-ORG, I-LOC (invalid: I-LOC after B-ORG). By hand:
    /// B-ORG I-ORG: 0.6 × 0.31 = 0.186; B-LOC I-LOC: 0.3 × 0.6 = 0.18; B-ORG O: 0.6 × 0.05 = 0.03;
    /// B-ORG B-LOC: 0.6 × 0.04 = 0.024. Best: B-ORG I-ORG.
    @Test func iMustFollowItsOwnType() {
        let scores = logs([
            [0.05, 0, 0, 0.3, 0, 0.6, 0.05],
            [0.05, 0, 0, 0.04, 0.6, 0, 0.31],
        ].map { $0.map { max($0, 1e-9) } })
        #expect(decoder.decode(scores) == ["B-ORG", "I-ORG"])
        // Same but I-ORG weaker (0.2): B-LOC I-LOC 0.18 > B-ORG I-ORG 0.12 > B-ORG B-LOC 0.024.
        let weaker = logs([
            [0.05, 0, 0, 0.3, 0, 0.6, 0.05],
            [0.05, 0, 0, 0.04, 0.6, 0, 0.2],
        ].map { $0.map { max($0, 1e-9) } })
        #expect(decoder.decode(weaker) == ["B-LOC", "I-LOC"])
    }

    /// An I- after O is repaired over three words: O I-PER I-PER has argmax, but valid best is
    /// O B-PER I-PER (0.5 × 0.4 × 0.9 = 0.18) vs B-PER I-PER I-PER (0.3 × 0.5 × 0.9 = 0.135) vs O O O (0.5×0.1×0.05).
    @Test func repairsAnOrphanContinuation() {
        let scores = logs([
            [0.5, 0.3, 0.2, 0, 0, 0, 0],
            [0.1, 0.4, 0.5, 0, 0, 0, 0],
            [0.05, 0.05, 0.9, 0, 0, 0, 0],
        ].map { $0.map { max($0, 1e-9) } })
        #expect(decoder.decode(scores) == ["O", "B-PER", "I-PER"])
    }

    @Test func validSequencesAndIOLabels() {
        #expect(decoder.isValid(["B-PER", "I-PER", "O", "B-LOC"]))
        #expect(!decoder.isValid(["I-PER"]))
        #expect(!decoder.isValid(["B-PER", "I-LOC"]))
        #expect(decoder.decode([]) == [])
        // An IO label set (no B- tags) leaves I- unconstrained.
        let io = BIODecoder(labels: EntityLabelSet(tags: ["I-LOC", "I-ORG", "O"]))
        #expect(io.decode(logs([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1]])) == ["I-LOC", "I-ORG"])
        // Random scores: the decoded path is always valid and never worse than any valid path tried.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let rows = (0..<6).map { _ in (0..<7).map { _ in Float.random(in: -5...0, using: &generator) } }
            let best = decoder.decodeIDs(rows)
            #expect(decoder.isValid(best.map { NERTags.finerTags[$0] }))
            let total = zip(rows, best).reduce(Float(0)) { $0 + $1.0[$1.1] }
            let allO = rows.reduce(Float(0)) { $0 + $1[0] }
            #expect(total >= allO - 1e-4)
        }
    }
}
