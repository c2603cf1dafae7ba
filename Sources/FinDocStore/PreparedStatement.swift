import FinDocCore
import GRDB
import GRDBSQLite

/// A statement prepared through SQLite's C API for the bulk-insert path.
///
/// GRDB's `StatementArguments` box every value; binding directly is what lets one document of 200,000 rows be
/// stored at several hundred thousand rows a second (TOOLCHAIN.md: 400k rows/s through GRDB versus 550k raw for five
/// columns; our rows have twenty). Only used inside a `Database` access block, on that connection.
final class PreparedStatement {
    private let handle: OpaquePointer
    private let connection: OpaquePointer

    init(_ db: Database, sql: String) throws {
        guard let connection = db.sqliteConnection else { throw DatabaseError(message: "connection closed") }
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(connection, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        }
        self.handle = statement
        self.connection = connection
    }

    deinit { sqlite3_finalize(handle) }

    func bind(_ index: Int32, _ value: String?) {
        guard var value else {
            sqlite3_bind_null(handle, index)
            return
        }
        // The UTF-8 bytes with their length: no C-string bridging and no strlen for each of a row's text columns.
        value.withUTF8 { bytes in bindText(index, bytes) }
    }

    /// Binds a date as its ISO text (`YYYY-MM-DD`) without building a `String`.
    func bind(_ index: Int32, _ value: LocalDate?) {
        guard let value else {
            sqlite3_bind_null(handle, index)
            return
        }
        value.withISOBytes { bytes in bindText(index, bytes) }
    }

    private func bindText(_ index: Int32, _ bytes: UnsafeBufferPointer<UInt8>) {
        // An empty buffer may have no base address, and a NULL pointer would bind SQL NULL instead of ''.
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            sqlite3_bind_text(handle, index, "", 0, sqliteTransient)
            return
        }
        base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { text in
            _ = sqlite3_bind_text64(handle, index, text, sqlite3_uint64(bytes.count), sqliteTransient, UInt8(SQLITE_UTF8))
        }
    }

    /// Binds `count` bytes at `base` as UTF-8 text that SQLite reads in place (SQLITE_STATIC), without copying.
    ///
    /// The caller keeps the bytes unchanged until the statement has run, and binds the parameter again before the
    /// next run (`RowText` does both).
    func bindInPlace(_ index: Int32, _ base: UnsafePointer<UInt8>, count: Int) {
        base.withMemoryRebound(to: CChar.self, capacity: max(count, 1)) { text in
            _ = sqlite3_bind_text64(handle, index, text, sqlite3_uint64(count), nil, UInt8(SQLITE_UTF8))
        }
    }

    func bind(_ index: Int32, _ value: Int64?) {
        guard let value else {
            sqlite3_bind_null(handle, index)
            return
        }
        sqlite3_bind_int64(handle, index, value)
    }

    func bind(_ index: Int32, _ value: Int?) { bind(index, value.map(Int64.init)) }

    /// Runs the statement to completion and resets it for the next row.
    func run() throws {
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE || code == SQLITE_ROW else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)))
        }
    }

    /// Runs a write to completion, resets it, and checks that it changed exactly `rows` rows.
    ///
    /// For `INSERT OR IGNORE` statements (see `TransactionWriter.insertSQL`), where a row that breaks a constraint is
    /// skipped rather than failing the statement: a skipped row must not go unnoticed, so it fails here instead.
    func run(expectingChanges rows: Int, table: String) throws {
        try run()
        let changed = Int(sqlite3_changes(connection))
        guard changed == rows else {
            throw DatabaseError(
                resultCode: .SQLITE_CONSTRAINT,
                message: "\(rows - changed) of \(rows) rows broke a constraint of \(table) and were not inserted")
        }
    }

    /// Steps a query: true when a row is available, false when done.
    func step() throws -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)))
        }
        return false
    }

    /// Runs a query for at most one row: `read` takes the row's columns (through `int64`, `text`, …) when there is
    /// one. The statement is reset afterwards either way.
    func firstRow<T>(_ read: () -> T) throws -> T? {
        defer { sqlite3_reset(handle) }
        return try step() ? read() : nil
    }

    /// True when column `index` of the current row is NULL.
    func isNull(_ index: Int32) -> Bool { sqlite3_column_type(handle, index) == SQLITE_NULL }

    /// Column `index` of the current row as an integer.
    func int64(_ index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }

    /// Column `index` of the current row as text (empty for NULL).
    func text(_ index: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, index) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// Runs a one-row query and returns its first column as an integer, or nil when there is no row or it is NULL.
    func firstInt() throws -> Int64? {
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW {
            return sqlite3_column_type(handle, 0) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, 0)
        }
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)))
        }
        return nil
    }
}

/// SQLite's SQLITE_TRANSIENT (a cast macro Swift does not import): SQLite copies the bound bytes.
private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
