import Foundation

/// Parses files ahead of the caller on one persistent worker thread, through a bounded queue.
///
/// Storing is serial (one SQLite writer) and parsing is CPU-bound, so overlapping the two uses the second core.
/// One long-lived worker parses the files in order (starting a thread per file cost more than parsing a small
/// invoice). It runs ahead by at most `depth` parsed files, and stops earlier once the files waiting in the queue
/// weigh `budget` (their `weight`, e.g. input bytes), so a few large statements never pile up in memory: a file
/// over the budget waits alone, as with the one-ahead scheme this replaces.
final class ParseAhead<Value: Sendable>: @unchecked Sendable {
    private let files: [String]
    private let parse: @Sendable (String) -> Value
    private let weight: @Sendable (Value) -> Int
    private let depth: Int
    private let budget: Int
    private let lock = NSCondition()
    private var results: [Int: Value] = [:]
    private var queuedWeight = 0

    init(
        files: [String], depth: Int = 64, budget: Int = 32 << 20, weight: @escaping @Sendable (Value) -> Int = { _ in 0 },
        parse: @escaping @Sendable (String) -> Value
    ) {
        self.files = files
        self.parse = parse
        self.weight = weight
        self.depth = max(1, depth)
        self.budget = budget
        guard !files.isEmpty else { return }
        let worker = Thread { [self] in work() }
        worker.name = "findoc.parse-ahead"
        worker.start()
    }

    /// Waits for file `index` (they must be taken in order) and removes it from the queue.
    func take(_ index: Int) -> Value {
        lock.lock()
        while results[index] == nil { lock.wait() }
        let value = results.removeValue(forKey: index)
        if let value { queuedWeight -= weight(value) }
        lock.broadcast()
        lock.unlock()
        // The loop above only exits once the value is there.
        return value ?? parse(files[index])
    }

    private func work() {
        for (index, path) in files.enumerated() {
            lock.lock()
            while results.count >= depth || (!results.isEmpty && queuedWeight >= budget) { lock.wait() }
            lock.unlock()
            let value = parse(path)
            lock.lock()
            results[index] = value
            queuedWeight += weight(value)
            lock.broadcast()
            lock.unlock()
        }
    }
}
