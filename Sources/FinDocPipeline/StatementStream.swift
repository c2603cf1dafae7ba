import FinDocCore
import FinDocIngest
import FinDocStore
import Foundation

/// A statement read on its own thread and handed to the store in chunks through small bounded queues.
///
/// Why: held whole, a 265 MB camt file cost 744 MB (its bytes, every transaction with its raw fields, and their
/// JSON) and was parsed before a single row was written. Streamed, memory holds a few chunks, and three stages
/// overlap: the reader thread parses, a keying thread builds each transaction's dedup key and raw-field JSON, and
/// the caller (the writer) only binds and steps. Keys and JSON used to be built by the reader; the camt file then
/// ran at 114% CPU, the reader alone taking the whole wall time (parse 7.0 s plus keys and JSON), while the writer
/// waited. A large CSV file is held whole but converted on the reader thread, row by row after its column-wide
/// decisions; for a large document of another format, already read whole, the keying stage is the work that
/// overlaps the writer.
final class StatementStream: @unchecked Sendable {
    // @unchecked: `finished` and `read` are used only under `ready`'s lock, `readDocument` only under `raw`'s (each
    // set before its queue is closed and read after the consumer saw the close).
    /// Transactions per chunk: large enough that handing over costs nothing, small enough to stay a few MB.
    static let chunkSize = 1_024
    /// Chunks that may wait for the next stage before the previous one pauses.
    static let depth = 3

    /// Transactions as read, waiting for the keying stage.
    private let raw = BoundedQueue<[Transaction]>(depth: StatementStream.depth)
    /// Chunks with their keys and JSON, waiting for the writer.
    private let ready = BoundedQueue<ImportChunk>(depth: StatementStream.depth)
    private var readDocument: StatementDocument?
    private var finished: StatementDocument?
    private var read = 0
    /// Set (under `raw`'s lock, then `ready`'s) when the reader gave up on the stream: see `Abandoned`.
    private var readAbandoned = false
    private var abandoned = false

    /// Thrown by `next()` when the reader found, after handing rows over, that the file must be read whole instead
    /// (OFX 2.x that is not well-formed XML is re-read leniently from the start): the rows handed over are not final,
    /// so the store must roll them back, and the caller reads the file whole.
    struct Abandoned: Error {}

    /// Starts `read` on a thread of its own: it hands each transaction, in file order, to the function it is given
    /// (which answers false once nobody wants more) and returns the document as read, without its transactions, or
    /// nil when the rows it handed over are to be dropped and the file read whole (see `Abandoned`).
    init(read: @escaping @Sendable (_ emit: @escaping (Transaction) -> Bool) -> StatementDocument?) {
        let reader = Thread { [self] in produce(read) }
        reader.name = "findoc.statement-stream.read"
        reader.start()
        let keyer = Thread { [self] in key() }
        keyer.name = "findoc.statement-stream.key"
        keyer.start()
    }

    /// Streams the camt file at `path` (with `account` overriding the file's accounts when set).
    convenience init(camtAt path: String, account: String?) {
        self.init { emit in
            CAMTStatementIngestor(account: account).stream(fileAt: path, emit)
        }
    }

    /// A parser's per-transaction callback that hands each transaction to `emit` until `emit` first answers false
    /// (nobody wants more), and drops the rest.
    static func forwarding(to emit: @escaping (Transaction) -> Bool) -> (Transaction) -> Void {
        var wanted = true
        return { transaction in
            if wanted { wanted = emit(transaction) }
        }
    }

    /// Streams a document already read whole, so that its keys and JSON are built while its first rows are stored.
    convenience init(document: StatementDocument) {
        self.init { emit in
            var rest = document
            rest.transactions = []
            for transaction in document.transactions where !emit(transaction) { break }
            return rest
        }
    }

    /// The chunk `next()` handed out last. Used only on the consumer's thread.
    private var handedOut: ImportChunk?
    /// Where handed-out chunks are freed once the writer is done with them.
    private static let releaser = DispatchQueue(label: "findoc.statement-stream.release", qos: .utility)

    /// The next chunk, waiting for it; nil once the file has been read to the end (or the stream was cancelled).
    /// Throws `Abandoned` when the reader gave up on the stream.
    ///
    /// The previous chunk is freed on another thread: the writer is the pipeline's slowest stage, and freeing a
    /// chunk's thousand transactions, keys and JSON strings on it took 4% of a 200,000-row ingest's samples (perf).
    /// Keeping a reference here means the writer's copy is never the last one.
    func next() throws -> ImportChunk? {
        if let previous = handedOut {
            handedOut = nil
            Self.releaser.async { withExtendedLifetime(previous) {} }
        }
        let chunk = ready.pop()
        handedOut = chunk
        if chunk == nil, ready.withLock({ abandoned }) { throw Abandoned() }
        return chunk
    }

    /// The document as read (statements, diagnostics, rejected count; no transactions), waiting for the end.
    func completed() -> StatementDocument {
        ready.waitUntilClosed()
        return ready.withLock { finished } ?? StatementDocument(format: .camt, unreadable: true)
    }

    /// Transactions read so far (all of them once `completed()` returned).
    var transactionsRead: Int { ready.withLock { read } }

    /// Stops handing out chunks (the document is already stored, or the store failed): the reader drops the rest.
    func cancel() {
        ready.cancel()
        raw.cancel()
    }

    /// The reader stage: transactions in batches of `chunkSize` to the keying stage.
    private func produce(_ read: (_ emit: @escaping (Transaction) -> Bool) -> StatementDocument?) {
        var batch: [Transaction] = []
        batch.reserveCapacity(Self.chunkSize)
        var wanted = true
        let document = read { transaction in
            guard wanted else { return false }
            batch.append(transaction)
            if batch.count >= Self.chunkSize {
                wanted = self.raw.push(batch)
                batch = []
                batch.reserveCapacity(Self.chunkSize)
            }
            return wanted
        }
        guard let document else {
            raw.close { readAbandoned = true }
            return
        }
        if wanted, !batch.isEmpty { _ = raw.push(batch) }
        raw.close { readDocument = document }
    }

    /// The keying stage: dedup keys (in file order, as `DedupKey.Builder` counts repeats) and raw-field JSON.
    private func key() {
        var keys = DedupKey.Builder()
        var encoder = RawFieldsEncoder()
        while let batch = raw.pop() {
            var chunk = ImportChunk()
            chunk.transactions.reserveCapacity(batch.count)
            chunk.dedupKeys.reserveCapacity(batch.count)
            chunk.rawFieldsJSON.reserveCapacity(batch.count)
            for transaction in batch {
                var row = transaction
                chunk.dedupKeys.append(keys.key(for: row))
                chunk.rawFieldsJSON.append(encoder.encode(row.rawFields))
                row.rawFields = []
                chunk.transactions.append(row)
            }
            guard ready.push(chunk) else {
                raw.cancel()
                break
            }
            ready.withLock { read += chunk.transactions.count }
        }
        if raw.withLock({ readAbandoned }) {
            // The writer drops what it has stored of this file (its transaction rolls back); nothing more is needed.
            ready.withLock { abandoned = true }
            ready.cancel()
            return
        }
        let document = raw.withLock { readDocument } ?? StatementDocument(format: .camt, unreadable: true)
        ready.close { finished = document }
    }
}

/// A first-in, first-out queue between two threads that holds at most `depth` items: `push` waits while it is full,
/// `pop` waits while it is empty and open.
final class BoundedQueue<Item>: @unchecked Sendable {
    // @unchecked: every field is used only with `condition` held.
    private let condition = NSCondition()
    private var items: [Item] = []
    private var closed = false
    private var cancelled = false
    private let depth: Int

    /// A queue of at most `depth` items.
    init(depth: Int) {
        self.depth = max(1, depth)
    }

    /// Adds `item`, waiting while the queue is full; false (and nothing added) once the queue was cancelled.
    func push(_ item: Item) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= depth && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// The oldest item, waiting for one; nil once the queue is closed and empty, or cancelled.
    func pop() -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !closed && !cancelled { condition.wait() }
        guard !cancelled, !items.isEmpty else { return nil }
        condition.broadcast()
        return items.removeFirst()
    }

    /// Marks the end of the items, after running `last` under the queue's lock (a final hand-over to the consumer).
    func close(_ last: () -> Void = {}) {
        condition.lock()
        last()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Drops queued items and wakes both sides: pushes fail and pops return nil from now on.
    func cancel() {
        condition.lock()
        cancelled = true
        items = []
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until the queue is closed (or cancelled).
    func waitUntilClosed() {
        condition.lock()
        defer { condition.unlock() }
        while !closed && !cancelled { condition.wait() }
    }

    /// Runs `body` under the queue's lock.
    func withLock<T>(_ body: () -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }
}
