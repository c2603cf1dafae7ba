import FinDocCore
import FinDocIngest
import FinDocStore
import Foundation

/// A statement read on its own thread and handed to the store in chunks through a small bounded queue.
///
/// Why: held whole, a 265 MB camt file cost 744 MB (its bytes, every transaction with its raw fields, and their
/// JSON) and was parsed before a single row was written. Streamed, memory holds a few chunks, and the parse (this
/// thread) overlaps the inserts (the writer thread). Dedup keys and raw-field JSON are built here too, so the
/// writer only binds and steps; for a large document already read whole (CSV), that is the work that overlaps.
final class StatementStream: @unchecked Sendable {
    /// Transactions per chunk: large enough that handing over costs nothing, small enough to stay a few MB.
    static let chunkSize = 1_024
    /// Chunks that may wait for the writer before the reader pauses.
    static let depth = 3

    private let condition = NSCondition()
    private var chunks: [ImportChunk] = []
    private var finished: StatementDocument?
    private var cancelled = false
    private var read = 0

    /// Starts `read` on a thread of its own: it hands each transaction, in file order, to the function it is given
    /// (which answers false once nobody wants more) and returns the document as read, without its transactions.
    init(read: @escaping @Sendable (_ emit: @escaping (Transaction) -> Bool) -> StatementDocument) {
        let thread = Thread { [self] in produce(read) }
        thread.name = "findoc.statement-stream"
        thread.start()
    }

    /// Streams the camt file at `path` (with `account` overriding the file's accounts when set).
    convenience init(camtAt path: String, account: String?) {
        self.init { emit in
            var wanted = true
            return CAMTStatementIngestor(account: account).stream(fileAt: path) { transaction in
                if wanted { wanted = emit(transaction) }
            }
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

    /// The next chunk, waiting for it; nil once the file has been read to the end (or the stream was cancelled).
    func next() -> ImportChunk? {
        condition.lock()
        defer { condition.unlock() }
        while chunks.isEmpty && finished == nil && !cancelled { condition.wait() }
        guard !chunks.isEmpty else { return nil }
        condition.broadcast()
        return chunks.removeFirst()
    }

    /// The document as read (statements, diagnostics, rejected count; no transactions), waiting for the end.
    func completed() -> StatementDocument {
        condition.lock()
        defer { condition.unlock() }
        while finished == nil && !cancelled { condition.wait() }
        return finished ?? StatementDocument(format: .camt, unreadable: true)
    }

    /// Transactions read so far (all of them once `completed()` returned).
    var transactionsRead: Int {
        condition.lock()
        defer { condition.unlock() }
        return read
    }

    /// Stops handing out chunks (the document is already stored, or the store failed): the reader drops the rest.
    func cancel() {
        condition.lock()
        cancelled = true
        chunks = []
        condition.broadcast()
        condition.unlock()
    }

    private func produce(_ read: (_ emit: @escaping (Transaction) -> Bool) -> StatementDocument) {
        var keys = DedupKey.Builder()
        var encoder = RawFieldsEncoder()
        var chunk = ImportChunk()
        var wanted = true
        let document = read { transaction in
            guard wanted else { return false }
            var row = transaction
            chunk.dedupKeys.append(keys.key(for: row))
            chunk.rawFieldsJSON.append(encoder.encode(row.rawFields))
            row.rawFields = []
            chunk.transactions.append(row)
            if chunk.transactions.count >= Self.chunkSize {
                wanted = self.push(chunk)
                chunk = ImportChunk()
            }
            return wanted
        }
        if wanted, !chunk.transactions.isEmpty { _ = push(chunk) }
        condition.lock()
        finished = document
        condition.broadcast()
        condition.unlock()
    }

    /// Queues a chunk, waiting while `depth` chunks are queued; false once the stream was cancelled.
    private func push(_ chunk: ImportChunk) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while chunks.count >= Self.depth && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        chunks.append(chunk)
        read += chunk.transactions.count
        condition.broadcast()
        return true
    }
}
