import CFinDocKernels
import Foundation
import Testing

@testable import FinDocML

@Suite("int8 inference")
struct Int8InferenceTests {
    /// A deterministic xorshift stream of int8 values in -127…127.
    private static func int8Values(_ count: Int, seed: UInt64) -> [Int8] {
        var state = seed
        return (0..<count).map { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int8(Int(state % 255) - 127)
        }
    }

    @Test("every kernel path computes the exact integer products", arguments: [0, 1, 2])
    func kernelPathsAreExact(kind: Int32) {
        let rows = 5
        let n = 7
        let k = 128
        let x = Self.int8Values(rows * k, seed: 1)
        let w = Self.int8Values(n * k, seed: 2)
        let sums = (0..<n).map { o in w[(o * k)..<((o + 1) * k)].reduce(Int32(0)) { $0 + Int32($1) } }
        var expected = [Int32](repeating: 0, count: rows * n)
        for r in 0..<rows {
            for o in 0..<n {
                var total: Int32 = 0
                for j in 0..<k { total += Int32(x[r * k + j]) * Int32(w[o * k + j]) }
                expected[r * n + o] = total
            }
        }
        var y = [Int32](repeating: 0, count: rows * n)
        findoc_int8_force_kernel(kind)
        defer { findoc_int8_force_kernel(-1) }
        findoc_int8_gemm(x, w, sums, &y, Int32(rows), Int32(n), Int32(k))
        #expect(y == expected, "kernel path \(findoc_int8_kernel_kind()) (asked for \(kind))")
    }

    @Test("an int8 linear layer stays within 2% of the float layer's output range")
    func linearLayerApproximatesFloat() {
        let inputs = 64
        let outputs = 8
        let weight = (0..<(inputs * outputs)).map { Float(sin(Double($0) * 0.37)) * 0.2 }
        let bias = (0..<outputs).map { Float($0) * 0.01 }
        let x = (0..<(3 * inputs)).map { Float(cos(Double($0) * 0.11)) * 2 }
        var reference = [Float](repeating: 0, count: 3 * outputs)
        for r in 0..<3 {
            for o in 0..<outputs {
                var total = Double(bias[o])
                for j in 0..<inputs { total += Double(x[r * inputs + j]) * Double(weight[o * inputs + j]) }
                reference[r * outputs + o] = Float(total)
            }
        }
        let layer = Int8LinearLayer(weight: weight, bias: bias, outputs: outputs, inputs: inputs)
        var y = [Float](repeating: 0, count: 3 * outputs)
        x.withUnsafeBufferPointer { xb in
            y.withUnsafeMutableBufferPointer { layer.apply(x: xb.baseAddress!, rows: 3, into: $0.baseAddress!) }
        }
        let range = reference.map(abs).max() ?? 1
        let worst = zip(y, reference).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst <= 0.02 * range, "worst \(worst) of range \(range)")
    }

    @Test("int8 sentence embeddings keep mean cosine ≥ 0.99 to the PyTorch fp32 ones on the parity fixture")
    func cosineToReference() throws {
        let folder = try EncoderTestSupport.installedModelFolder()
        let encoder = try MiniLMEncoder(modelDirectory: folder, int8: true)
        #expect(encoder.usesInt8)
        let meta = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: EncoderTestSupport.fixtureFolder + "/fixture.json")))
        let sentences = try #require((meta as? [String: Any])?["sentences"] as? [[String: Any]])
        let raw = try Data(contentsOf: URL(fileURLWithPath: EncoderTestSupport.fixtureFolder + "/expected.f32"))
        var offset = 0
        var cosines: [Float] = []
        for sentence in sentences {
            let ids = try #require((sentence["ids"] as? [Int])?.map(Int32.init))
            let positions = try #require(sentence["positions"] as? [Int])
            offset += positions.count * 384
            let expected: [Float] = raw.withUnsafeBytes { bytes in
                (offset..<(offset + 384)).map { bytes.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
            }
            offset += 384
            let vector = try encoder.sentenceEmbeddings(tokenIDs: [ids])[0]
            cosines.append(zip(vector, expected).reduce(0) { $0 + $1.0 * $1.1 })  // both are unit vectors
        }
        let mean = cosines.reduce(0, +) / Float(cosines.count)
        #expect(mean >= 0.99, "mean cosine \(mean), min \(cosines.min() ?? 0)")
    }
}
