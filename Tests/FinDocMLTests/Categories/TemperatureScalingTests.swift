import Testing

@testable import FinDocML

@Suite struct TemperatureScalingTests {
    /// Over-confident logits (right 70% of the time, always with margin 10): the best temperature is > 1 and lowers
    /// the NLL; the optimum of this two-class case is known in closed form: p(correct) = 0.7 ⇒ 10/T = ln(0.7/0.3).
    @Test func recoversTheClosedFormTemperature() {
        var logits: [Float] = []
        var labels: [Int] = []
        for i in 0..<100 {
            logits += [10, 0]
            labels.append(i < 70 ? 0 : 1)
        }
        let t = TemperatureScaling.fit(logits: logits, labels: labels, classes: 2)
        let expected = 10 / log(0.7 / 0.3)
        #expect(abs(Double(t) - expected) < 0.01)
        let before = TemperatureScaling.negativeLogLikelihood(logits: logits, labels: labels, classes: 2, temperature: 1)
        let after = TemperatureScaling.negativeLogLikelihood(logits: logits, labels: labels, classes: 2, temperature: t)
        #expect(after < before)
    }

    /// Hand-made confidences: the top 4 are 3 right + 1 wrong (precision 0.75), the top 3 all right.
    @Test func thresholdIsTheWidestCutReachingThePrecision() {
        let confidences: [Float] = [0.99, 0.95, 0.9, 0.8, 0.5, 0.4]
        let correct = [true, true, true, false, true, false]
        let cut = TemperatureScaling.threshold(confidences: confidences, correct: correct, precision: 0.9)
        #expect(cut.threshold == 0.9)
        #expect(cut.precision == 1)
        #expect(abs(cut.coverage - 0.5) < 1e-12)
        let loose = TemperatureScaling.threshold(confidences: confidences, correct: correct, precision: 0.6)
        #expect(loose.threshold == 0.4)  // 4 of 6 right = 0.667
    }
}

#if canImport(Glibc)
    import Glibc
#endif
