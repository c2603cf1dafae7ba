import Foundation
import Testing

@testable import FinDocML

/// The Float-only shortcuts of the training kernels against libm (the Double gradient check cannot see them).
@Suite("Fine-tuning Float kernels")
struct TrainingKernelTests {
    @Test("the vectorisable e^x for x ≤ 0 is within 3e-7 of libm's expf")
    func negativeExponential() {
        var worst: Double = 0
        var x: Float = -87
        while x <= 0 {
            let expected = Foundation.exp(Double(x))
            worst = max(worst, abs(Double(Float.negativeExponential(x)) - expected) / expected)
            x += 0.001_37
        }
        #expect(worst <= 3e-7, "worst relative error \(worst)")
        #expect(Float.negativeExponential(0) == 1)
        #expect(Float.negativeExponential(-1000) >= 0)
    }

    @Test("GELU's Float value and slope match the exact formulas")
    func geluSlope() {
        let inputs: [Float] = stride(from: -6, through: 6, by: 0.01).map { $0 }
        var slope = inputs
        var values = [Float](repeating: 0, count: inputs.count)
        slope.withUnsafeMutableBufferPointer { s in
            values.withUnsafeMutableBufferPointer { v in
                TrainingKernels.geluForward(s.baseAddress!, count: inputs.count, into: v.baseAddress!)
            }
        }
        for (i, x) in inputs.enumerated() {
            let d = Double(x)
            let cdf = 0.5 * (1 + Foundation.erf(d / 2.0.squareRoot()))
            let pdf = Foundation.exp(-d * d / 2) / (2 * Double.pi).squareRoot()
            #expect(abs(Double(values[i]) - d * cdf) <= 2e-6, "gelu(\(x))")
            #expect(abs(Double(slope[i]) - (cdf + d * pdf)) <= 2e-6, "gelu'(\(x))")
        }
    }
}
