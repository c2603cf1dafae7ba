import GRDB

/// One numbered schema change from `Migrations/NNNN_name.sql`.
public struct Migration: Sendable, Hashable {
    /// The number in the file name; migrations run in increasing order.
    public let version: Int
    /// The rest of the file name, e.g. `initial`.
    public let name: String
    /// The SQL the file holds.
    public let sql: String

    /// Creates a migration.
    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// The highest schema version this binary knows.
    public static var latestVersion: Int { embedded.map(\.version).max() ?? 0 }
}

/// Applies migrations in order, each in its own transaction, and records them in `findoc_migrations`.
///
/// Our own table rather than GRDB's `DatabaseMigrator`, because the schema lives in plain `.sql` files that a
/// PostgreSQL backend must be able to replay, and because a store written by a newer findoc must be refused with a
/// message that says which versions are involved.
enum Migrator {
    static func migrate(_ writer: DatabaseQueue, migrations: [Migration], path: String) throws {
        try writer.writeWithoutTransaction { db in
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS findoc_migrations (
                        version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)
                    """)
            let applied = try Int.fetchAll(db, sql: "SELECT version FROM findoc_migrations")
            let known = Set(migrations.map(\.version))
            if let newest = applied.max(), !known.contains(newest) || newest > (known.max() ?? 0) {
                throw StoreError.schemaTooNew(path: path, storeVersion: newest, supportedVersion: known.max() ?? 0)
            }
            let done = Set(applied)
            for migration in migrations.sorted(by: { $0.version < $1.version }) where !done.contains(migration.version) {
                try db.inTransaction {
                    try db.execute(sql: migration.sql)
                    try db.execute(
                        sql: "INSERT INTO findoc_migrations(version, name, applied_at) VALUES (?, ?, ?)",
                        arguments: [migration.version, migration.name, Timestamp.nowISO()])
                    return .commit
                }
            }
        }
    }

    static func currentVersion(_ db: Database) throws -> Int {
        guard try db.tableExists("findoc_migrations") else { return 0 }
        return try Int.fetchOne(db, sql: "SELECT MAX(version) FROM findoc_migrations") ?? 0
    }
}
