import Foundation

/// Parses file `i + 1` on a background thread while the caller stores file `i`.
///
/// Storing is serial (one SQLite writer) and parsing is CPU-bound, so overlapping the two uses the second core
/// without giving up the one-transaction-per-document rule. At most one parsed file waits in memory.
final class ParseAhead<Value: Sendable>: @unchecked Sendable {
    private let files: [String]
    private let parse: @Sendable (String) -> Value
    private let lock = NSCondition()
    private var results: [Int: Value] = [:]
    private var next = 0

    init(files: [String], parse: @escaping @Sendable (String) -> Value) {
        self.files = files
        self.parse = parse
        startNext()
    }

    /// Waits for file `index` (they must be taken in order), then starts parsing the one after it.
    func take(_ index: Int) -> Value {
        lock.lock()
        while results[index] == nil { lock.wait() }
        let value = results.removeValue(forKey: index)
        lock.unlock()
        startNext()
        // The loop above only exits once the value is there.
        return value ?? parse(files[index])
    }

    private func startNext() {
        lock.lock()
        let index = next
        guard index < files.count else {
            lock.unlock()
            return
        }
        next += 1
        lock.unlock()
        let path = files[index]
        Thread.detachNewThread { [self] in
            let value = parse(path)
            lock.lock()
            results[index] = value
            lock.broadcast()
            lock.unlock()
        }
    }
}
