import Foundation

/// Parses files ahead of the caller on persistent worker threads, through a bounded queue, and hands them over in
/// order.
///
/// Storing is serial (one SQLite writer) and parsing is CPU-bound. With one parse worker, parsing was the
/// bottleneck of a folder of small invoices (about 2.5 M instructions to parse each against 0.5 M to store it), so
/// there is one worker per core: each claims the next unclaimed file, and `take` returns the files in their order
/// whoever parsed them. Long-lived workers, because starting a thread per file cost more than parsing a small
/// invoice. Workers run ahead of the caller by at most `depth` files, and stop claiming once the parsed files waiting
/// in the queue weigh `budget` (their `weight`, e.g. input bytes), so a few large statements never pile up in memory.
final class ParseAhead<Value: Sendable>: @unchecked Sendable {
    // @unchecked: every mutable field below is read and written only with `lock` held.
    private let files: [String]
    private let parse: @Sendable (String) -> Value
    private let weight: @Sendable (Value) -> Int
    private let depth: Int
    private let budget: Int
    private let lock = NSCondition()
    private var results: [Int: Value] = [:]
    private var queuedWeight = 0
    /// The next file no worker has claimed yet.
    private var nextToClaim = 0
    /// The next file the caller will take.
    private var nextToTake = 0

    /// The most parse workers a batch starts by default. Storing stays on one thread and costs about a fifth of
    /// parsing a small invoice, so more than four workers only add memory (files parsed at once) and no speed.
    static var defaultWorkerLimit: Int { 4 }

    /// Starts `workers` threads (default: one per active core, at most `defaultWorkerLimit` and one per file) parsing
    /// `files` with `parse`.
    init(
        files: [String], depth: Int = 64, budget: Int = 32 << 20, workers: Int? = nil,
        weight: @escaping @Sendable (Value) -> Int = { _ in 0 }, parse: @escaping @Sendable (String) -> Value
    ) {
        self.files = files
        self.parse = parse
        self.weight = weight
        self.depth = max(1, depth)
        self.budget = budget
        let wanted = workers ?? min(ProcessInfo.processInfo.activeProcessorCount, Self.defaultWorkerLimit)
        let count = min(files.count, max(1, wanted))
        for number in 0..<count {
            let worker = Thread { [self] in work() }
            worker.name = "findoc.parse-ahead.\(number)"
            worker.start()
        }
    }

    /// Waits for file `index` (they must be taken in order) and removes it from the queue.
    func take(_ index: Int) -> Value {
        lock.lock()
        while results[index] == nil { lock.wait() }
        let value = results.removeValue(forKey: index)
        if let value { queuedWeight -= weight(value) }
        nextToTake = index + 1
        lock.broadcast()
        lock.unlock()
        // The loop above only exits once the value is there.
        return value ?? parse(files[index])
    }

    private func work() {
        while true {
            lock.lock()
            // Claim the next file once it is within `depth` of the caller and the queue is under budget. The file
            // the caller waits for is always claimable (nothing queued is ahead of it beyond what it will take), so
            // waiting here never starves the caller.
            while nextToClaim < files.count
                && (nextToClaim - nextToTake >= depth || (!results.isEmpty && queuedWeight >= budget))
            {
                lock.wait()
            }
            guard nextToClaim < files.count else {
                lock.unlock()
                return
            }
            let index = nextToClaim
            nextToClaim += 1
            lock.unlock()
            let value = parse(files[index])
            lock.lock()
            results[index] = value
            queuedWeight += weight(value)
            lock.broadcast()
            lock.unlock()
        }
    }
}
