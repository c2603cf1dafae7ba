/// Mean pooling over a sequence's token vectors followed by L2 normalisation, as sentence-transformers does for
/// all-MiniLM-L6-v2 (`Pooling(mean)` then `Normalize`, i.e. `x / max(‖x‖, 1e-12)`).
enum MeanPooling {
    /// `rows` = `n × width` floats (the real tokens only) → their mean, a `width` vector (what the fine-tuned
    /// sentence classifier's head reads, without normalisation).
    static func pooled(_ rows: [Float], width: Int) -> [Float] {
        let n = rows.count / width
        var mean = [Float](repeating: 0, count: width)
        guard n > 0 else { return mean }
        rows.withUnsafeBufferPointer { source in
            mean.withUnsafeMutableBufferPointer { out in
                guard let v0 = source.baseAddress else { return }
                for row in 0..<n {
                    let v = v0 + row * width
                    for i in 0..<width { out[i] += v[i] }
                }
                let inverse = 1 / Float(n)
                for i in 0..<width { out[i] *= inverse }
            }
        }
        return mean
    }

    /// `rows` = `n × width` floats (the real tokens only) → one normalised `width` vector.
    static func pooledAndNormalized(_ rows: [Float], width: Int) -> [Float] {
        var mean = pooled(rows, width: width)
        mean.withUnsafeMutableBufferPointer { out in
            guard let base = out.baseAddress else { return }
            let norm = VectorSum.sumOfSquares(base, count: width).squareRoot()
            let scale = 1 / max(norm, 1e-12)
            for i in 0..<width { out[i] *= scale }
        }
        return mean
    }
}
