/// How `MiniLMEncoder` spreads one call over its threads.
public enum EncoderParallelism: String, Sendable, CaseIterable {
    /// Sequences are shared among worker threads (balanced by cost), each running its own forward pass with
    /// single-threaded BLAS, so the non-matrix work runs in parallel too. A single sequence runs on one thread
    /// (measured faster than two at batch 1). The default: faster on 2 cores for batches (see the encoder benchmark).
    case splitBatch = "split-batch"
    /// One forward pass over the whole call, with OpenBLAS using all threads inside each matrix product.
    case blasThreads = "blas-threads"
}
