import FinDocCore
import Foundation
import GRDB

/// The findoc store: one SQLite file (WAL mode) holding documents, accounts, statements and transactions with
/// their provenance. All SQL lives behind this type and its extensions.
///
/// ```swift
/// let store = try Store.open(path: "findoc.sqlite")
/// let rows = try store.transactions(matching: TransactionFilter(text: "tesco"))
/// ```
public final class Store: Sendable {
    /// The file the store lives in.
    public let path: String
    let queue: DatabaseQueue

    private init(path: String, queue: DatabaseQueue) {
        self.path = path
        self.queue = queue
    }

    /// The default location: `$FINDOC_DB` if set, else `./findoc.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment["FINDOC_DB"], !path.isEmpty { return path }
        return "findoc.sqlite"
    }

    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    ///
    /// - Parameter mustExist: when true, a missing file is an error instead of a new empty store (for commands that
    ///   only read).
    /// - Throws: `StoreError` when the file is not a database, or was written by a newer findoc.
    public static func open(path: String, mustExist: Bool = false) throws -> Store {
        if mustExist, !FileManager.default.fileExists(atPath: path) { throw StoreError.missing(path: path) }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // 16 KiB pages for a new store (an existing one keeps its size: SQLite changes it only on VACUUM, and
            // never in WAL mode). SQLite writes the WAL and checkpoints a page per system call; at 4 KiB, 200,000
            // card rows were 35,000 pages, and pwrite alone took a fifth of the ingest's CPU (perf). Measured with
            // the sqlite3 shell on those rows with our schema: insert, commit and checkpoint 2.4-3.0 s at 4 KiB,
            // 1.8-2.0 s at 8 or 16 KiB, worse again at 64 KiB.
            try db.execute(sql: "PRAGMA page_size = \(Self.pageSize)")
            // WAL: readers never block the single writer, and a crash leaves the last committed document intact.
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // A 64 MiB page cache: with SQLite's 2 MiB default, one large document's transaction spills pages to
            // the WAL and reads them back through it (perf showed pread/pwrite dominating a 200,000-row import).
            try db.execute(sql: "PRAGMA cache_size = -65536")
        }
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try Migrator.migrate(queue, migrations: Migration.embedded, path: path)
            return Store(path: path, queue: queue)
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError.unreadable(path: path, reason: error.message ?? error.description)
        }
    }

    /// The page size, in bytes, of a store created by this version.
    static let pageSize = 16_384

    /// The schema version recorded in the store.
    public func schemaVersion() throws -> Int {
        try queue.read { try Migrator.currentVersion($0) }
    }
}
