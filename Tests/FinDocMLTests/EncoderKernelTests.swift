import Foundation
import Testing

@testable import FinDocML

@Suite("Encoder kernels")
struct EncoderKernelTests {
    @Test("the vectorised erf agrees with libm's erf to 5e-7 over [-6, 6]")
    func erfMatchesLibm() {
        var worst: Double = 0
        for step in 0...120_000 {
            let x = Float(-6 + Double(step) * 1e-4)
            let reference = Foundation.erf(Double(x))
            worst = max(worst, abs(Double(GELUKernel.erf(x)) - reference))
        }
        #expect(worst < 5e-7)
    }

    @Test("GELU equals x/2·(1+erf(x/√2)) computed in Double")
    func geluMatchesDefinition() {
        var values: [Float] = stride(from: -8, through: 8, by: 0.01).map { Float($0) }
        let inputs = values
        values.withUnsafeMutableBufferPointer { GELUKernel.apply($0.baseAddress!, count: $0.count) }
        for (x, y) in zip(inputs, values) {
            let reference = 0.5 * Double(x) * (1 + Foundation.erf(Double(x) / 2.0.squareRoot()))
            #expect(abs(Double(y) - reference) <= 1e-6 * max(1, abs(reference)))
        }
    }

    @Test("LayerNorm matches a Double two-pass computation")
    func layerNorm() {
        let width = 20
        var x: [Float] = (0..<(2 * width)).map { Float(sin(Double($0) * 1.7) * 3 + Double($0 % 3)) }
        let gamma: [Float] = (0..<width).map { 0.5 + Float($0) / 10 }
        let beta: [Float] = (0..<width).map { Float($0) / 7 - 1 }
        let input = x
        x.withUnsafeMutableBufferPointer { buffer in
            LayerNormKernel.apply(buffer.baseAddress!, rows: 2, width: width, gamma: gamma, beta: beta, epsilon: 1e-12)
        }
        for row in 0..<2 {
            let v = input[(row * width)..<((row + 1) * width)].map(Double.init)
            let mean = v.reduce(0, +) / Double(width)
            let variance = v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(width)
            for i in 0..<width {
                let reference = (v[i] - mean) / (variance + 1e-12).squareRoot() * Double(gamma[i]) + Double(beta[i])
                #expect(abs(Double(x[row * width + i]) - reference) < 1e-5)
            }
        }
    }

    @Test("softmax rows sum to one and zero the masked tail")
    func softmax() {
        var x: [Float] = [1, 2, 3, 100, -5, 0, 5, 100]
        x.withUnsafeMutableBufferPointer { SoftmaxKernel.apply($0.baseAddress!, rows: 2, valid: 3, stride: 4) }
        let e = [1.0, 2.0, 3.0].map { exp($0 - 3) }
        let total = e.reduce(0, +)
        for i in 0..<3 { #expect(abs(Double(x[i]) - e[i] / total) < 1e-6) }
        #expect(x[3] == 0 && x[7] == 0)
        #expect(abs(x[4...6].reduce(0, +) - 1) < 1e-6)
    }
}
