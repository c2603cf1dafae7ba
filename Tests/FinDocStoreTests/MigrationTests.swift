import FinDocStore
import Foundation
import GRDB
import Testing

@Suite struct MigrationTests {
    @Test func freshStoreHasEveryMigrationRecorded() throws {
        let dir = try TemporaryDirectory()
        let store = try Store.open(path: dir.file("s.sqlite"))
        #expect(try store.schemaVersion() == Migration.latestVersion)
        let queue = try DatabaseQueue(path: dir.file("s.sqlite"))
        let versions = try queue.read { try Int.fetchAll($0, sql: "SELECT version FROM findoc_migrations ORDER BY 1") }
        #expect(versions == Migration.embedded.map(\.version).sorted())
        let mode = try queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    @Test func reopeningAppliesNothingTwice() throws {
        let dir = try TemporaryDirectory()
        _ = try Store.open(path: dir.file("s.sqlite"))
        _ = try Store.open(path: dir.file("s.sqlite"))
        let queue = try DatabaseQueue(path: dir.file("s.sqlite"))
        #expect(try queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM findoc_migrations") } == Migration.embedded.count)
    }

    @Test func storeFromANewerFindocIsRefused() throws {
        let dir = try TemporaryDirectory()
        _ = try Store.open(path: dir.file("s.sqlite"))
        let queue = try DatabaseQueue(path: dir.file("s.sqlite"))
        try queue.write {
            try $0.execute(sql: "INSERT INTO findoc_migrations VALUES (999, 'future', '2030-01-01T00:00:00Z')")
        }
        #expect(throws: StoreError.schemaTooNew(path: dir.file("s.sqlite"), storeVersion: 999, supportedVersion: Migration.latestVersion)) {
            try Store.open(path: dir.file("s.sqlite"))
        }
        let message = StoreError.schemaTooNew(path: "x", storeVersion: 999, supportedVersion: 1).description
        #expect(message.contains("999") && message.contains("upgrade findoc"))
    }

    @Test func notADatabaseIsAClearError() throws {
        let dir = try TemporaryDirectory()
        try Data("this is a text file, not SQLite, and it is long enough to have a header".utf8).write(
            to: URL(fileURLWithPath: dir.file("x.sqlite")))
        #expect {
            try Store.open(path: dir.file("x.sqlite"))
        } throws: { error in
            guard case .unreadable(let path, _) = error as? StoreError else { return false }
            return path == dir.file("x.sqlite")
        }
    }

    @Test func missingStoreForReadingIsAClearError() throws {
        let dir = try TemporaryDirectory()
        #expect(throws: StoreError.missing(path: dir.file("none.sqlite"))) {
            try Store.open(path: dir.file("none.sqlite"), mustExist: true)
        }
        #expect(!FileManager.default.fileExists(atPath: dir.file("none.sqlite")))
    }

    /// The binary carries the SQL of Migrations/*.sql; they must be the same text (Scripts/embed-migrations.sh).
    @Test func embeddedMigrationsMatchTheFiles() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let folder = root.appendingPathComponent("Migrations")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(names.count == Migration.embedded.count, "run Scripts/embed-migrations.sh")
        for (name, migration) in zip(names, Migration.embedded.sorted { $0.version < $1.version }) {
            #expect(Int(name.prefix(4)) == migration.version)
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            func normalised(_ s: String) -> String {
                s.split(separator: "\n", omittingEmptySubsequences: false)
                    .map { String($0.reversed().drop { $0 == " " || $0 == "\t" }.reversed()) }
                    .joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            }
            #expect(normalised(text) == normalised(migration.sql), "\(name) differs from the embedded copy: run Scripts/embed-migrations.sh")
        }
    }
}
