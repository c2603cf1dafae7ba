import Foundation
import Testing

@testable import FinDocML

/// The committed fixture: sentences, the reference tokenizer's ids, and PyTorch's outputs
/// (Scripts/reference/make_encoder_fixture.py; layout in Fixtures/encoder/README.md).
private struct EncoderFixture: Decodable {
    struct Sentence: Decodable {
        let text: String
        let ids: [Int32]
        let positions: [Int]
    }
    let hiddenSize: Int
    let paddedLength: Int
    let sentences: [Sentence]

    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size", paddedLength = "padded_length", sentences
    }

    /// Expected last-hidden-state rows (per sentence, per checked position) and pooled embeddings.
    struct Expected {
        var hidden: [[[Float]]] = []
        var pooled: [[Float]] = []
    }

    static func load() throws -> (EncoderFixture, Expected) {
        let folder = URL(fileURLWithPath: EncoderTestSupport.fixtureFolder)
        let fixture = try JSONDecoder().decode(
            EncoderFixture.self, from: Data(contentsOf: folder.appendingPathComponent("fixture.json")))
        let raw = try Data(contentsOf: folder.appendingPathComponent("expected.f32"))
        let floats: [Float] = raw.withUnsafeBytes { bytes in
            (0..<(bytes.count / 4)).map {
                Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))
            }
        }
        var expected = Expected()
        var offset = 0
        let h = fixture.hiddenSize
        for sentence in fixture.sentences {
            expected.hidden.append(
                sentence.positions.map { _ in
                    defer { offset += h }
                    return Array(floats[offset..<(offset + h)])
                })
            expected.pooled.append(Array(floats[offset..<(offset + h)]))
            offset += h
        }
        #expect(offset == floats.count, "expected.f32 holds \(floats.count) floats, the fixture describes \(offset)")
        return (fixture, expected)
    }
}

/// Largest |a − b| over two equal-length vectors.
private func maxDifference(_ a: some Collection<Float>, _ b: some Collection<Float>) -> Float {
    zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

@Suite("MiniLMEncoder parity with PyTorch")
struct MiniLMEncoderParityTests {
    @Test("last hidden state and pooled embeddings of a padded batch are within 1e-4 of the reference")
    func paddedBatch() throws {
        let encoder = try EncoderTestSupport.encoder()
        let (fixture, expected) = try EncoderFixture.load()
        #expect(encoder.config.hiddenSize == fixture.hiddenSize)
        let length = fixture.paddedLength
        let ids = fixture.sentences.map { $0.ids + [Int32](repeating: 0, count: length - $0.ids.count) }
        let mask = fixture.sentences.map {
            [Int32](repeating: 1, count: $0.ids.count) + [Int32](repeating: 0, count: length - $0.ids.count)
        }
        let states = try encoder.encode(ids: ids, attentionMask: mask)
        var worstHidden: Float = 0
        for (s, sentence) in fixture.sentences.enumerated() {
            for (k, position) in sentence.positions.enumerated() {
                worstHidden = max(
                    worstHidden, maxDifference(states.vector(sequence: s, position: position), expected.hidden[s][k]))
            }
        }
        #expect(worstHidden <= 1e-4, "max |Δ| on the last hidden state: \(worstHidden)")
        let pooled = try encoder.sentenceEmbeddings(ids: ids, attentionMask: mask)
        let worstPooled = zip(pooled, expected.pooled).map { maxDifference($0, $1) }.max() ?? .infinity
        #expect(worstPooled <= 1e-4, "max |Δ| on pooled embeddings: \(worstPooled)")
    }

    @Test("unpadded sequences one at a time give the same embeddings as the batch")
    func oneByOne() throws {
        let encoder = try EncoderTestSupport.encoder()
        let (fixture, expected) = try EncoderFixture.load()
        for (s, sentence) in fixture.sentences.enumerated() {
            let vector = try encoder.sentenceEmbeddings(tokenIDs: [sentence.ids])
            #expect(maxDifference(vector[0], expected.pooled[s]) <= 1e-4, "sentence \(s): \(sentence.text)")
        }
    }

    @Test("one worker thread and two agree (only BLAS blocking, hence rounding, differs)")
    func threadCountDoesNotChangeResults() throws {
        let folder = try EncoderTestSupport.installedModelFolder()
        let (fixture, _) = try EncoderFixture.load()
        let ids = fixture.sentences.map(\.ids)
        let single = try MiniLMEncoder(modelDirectory: folder, threads: 1).sentenceEmbeddings(tokenIDs: ids)
        let double = try EncoderTestSupport.encoder().sentenceEmbeddings(tokenIDs: ids)
        let worst = zip(single, double).map { maxDifference($0, $1) }.max() ?? .infinity
        #expect(worst <= 1e-5, "max |Δ| between 1 and 2 workers: \(worst)")
    }

    @Test("bad inputs are errors: out-of-vocabulary id, empty or too long sequence, holes in the mask")
    func badInputs() throws {
        let encoder = try EncoderTestSupport.encoder()
        #expect(throws: EncoderError.self) { try encoder.sentenceEmbeddings(tokenIDs: [[101, 40000, 102]]) }
        #expect(throws: EncoderError.self) { try encoder.sentenceEmbeddings(tokenIDs: [[101, -1, 102]]) }
        #expect(throws: EncoderError.self) { try encoder.sentenceEmbeddings(tokenIDs: [[]]) }
        #expect(throws: EncoderError.self) {
            try encoder.sentenceEmbeddings(tokenIDs: [[Int32](repeating: 1000, count: 513)])
        }
        #expect(throws: EncoderError.self) {
            try encoder.sentenceEmbeddings(ids: [[101, 7632, 102]], attentionMask: [[1, 0, 1]])
        }
        #expect(throws: EncoderError.self) {
            try encoder.sentenceEmbeddings(ids: [[101, 7632, 102], [101, 102]], attentionMask: [[1, 1, 1], [1, 1]])
        }
        #expect(try encoder.sentenceEmbeddings(tokenIDs: []).isEmpty)
    }
}

@Suite("Base model installation checks")
struct BaseModelInstallationTests {
    @Test("a missing model folder gives a message that says how to install it")
    func missingModel() throws {
        let folder = try EncoderTestSupport.temporaryFolder().appendingPathComponent("all-MiniLM-L6-v2")
        do {
            _ = try MiniLMEncoder(modelDirectory: folder)
            Issue.record("loading a missing model succeeded")
        } catch {
            #expect("\(error)".contains("findoc models install"))
            #expect("\(error)".contains("config.json is missing"))
        }
    }

    @Test("a truncated model.safetensors is refused with the install message, before any tensor is read")
    func truncatedModel() throws {
        let installed = try EncoderTestSupport.installedModelFolder()
        let folder = try EncoderTestSupport.temporaryFolder()
        for name in ["config.json", "vocab.txt"] {
            try FileManager.default.copyItem(
                at: installed.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        let handle = try FileHandle(forReadingFrom: installed.appendingPathComponent("model.safetensors"))
        let head = try handle.read(upToCount: 1 << 20) ?? Data()
        try handle.close()
        try head.write(to: folder.appendingPathComponent("model.safetensors"))
        do {
            _ = try MiniLMEncoder(modelDirectory: folder)
            Issue.record("loading a truncated model succeeded")
        } catch {
            #expect("\(error)".contains("truncated or replaced"))
            #expect("\(error)".contains("Scripts/install-model.sh"))
        }
        let inspection = BaseModelInspection(folder: folder, verifyDigests: true)
        #expect(!inspection.isInstalled)
        #expect(inspection.files.first { $0.file.name == "model.safetensors" }?.status == "sha256 mismatch")
    }

    @Test("the installed vocab.txt has the pinned sha256 (computed by FinDocCore.SHA256; sha256sum in set-up)")
    func installedDigests() throws {
        let folder = try EncoderTestSupport.installedModelFolder()
        // Only the small file: hashing the 90 MB weights in a debug build takes a minute, and set-up has just
        // checked them with sha256sum.
        let vocab = try #require(BaseModel.files.first { $0.name == "vocab.txt" })
        #expect(BaseModel.sha256(ofFileAt: folder.appendingPathComponent("vocab.txt").path) == vocab.sha256)
        #expect(BaseModelInspection(folder: folder, verifyDigests: false).isInstalled)
    }
}
