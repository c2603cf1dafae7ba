/// Why the store could not be opened or used; each message says what to do about it.
public enum StoreError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The store was written by a newer findoc whose schema this binary does not know.
    case schemaTooNew(path: String, storeVersion: Int, supportedVersion: Int)
    /// A command that only reads was pointed at a store that does not exist.
    case missing(path: String)
    /// The file is not an SQLite database or is damaged.
    case unreadable(path: String, reason: String)
    /// `findoc sql` was given a statement that would change the store.
    case writeRefused(sql: String)

    public var description: String {
        switch self {
        case let .schemaTooNew(path, storeVersion, supportedVersion):
            return "the store \(path) has schema version \(storeVersion), but this findoc supports up to "
                + "\(supportedVersion); upgrade findoc (or use another --db) rather than risk damaging it"
        case let .missing(path):
            return "no findoc store at \(path); create one with `findoc ingest PATH...` or point --db / FINDOC_DB at it"
        case let .unreadable(path, reason):
            return "cannot open \(path) as a findoc store: \(reason)"
        case let .writeRefused(sql):
            let shown = sql.count > 80 ? String(sql.prefix(77)) + "..." : sql
            return "findoc sql runs read-only queries; this statement would change the store: \(shown)"
        }
    }
}
