import FinDocCore

/// The text values of one row to insert, gathered in one buffer that SQLite reads in place.
///
/// Why: bound with SQLITE_TRANSIENT, SQLite allocated and copied every text value of every row before copying it
/// again into the record: about 700 instructions a value, ten values a transaction, 15% of the writer's work on a
/// 20,000-row card export (callgrind). Here the values are copied once into a buffer that lives as long as the
/// writer, then bound without a copy.
///
/// Use: `reset()`, `add` each value, `bind(to:)`, run the statement; the next row starts with `reset()` again. The
/// buffer may move while values are added (it grows), never between `bind(to:)` and the run, and every text
/// parameter is bound again before the next run, so SQLite never reads bytes from an earlier row.
final class RowText {
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var used = 0
    /// Parameter, start and length of each value added since `reset()`; a negative length is SQL NULL.
    private var spans: [(parameter: Int32, start: Int, length: Int)] = []

    init(capacity: Int = 4_096) {
        self.capacity = max(capacity, 16)
        storage = .allocate(capacity: self.capacity)
        spans.reserveCapacity(16)
    }

    deinit { storage.deallocate() }

    /// Forgets the previous row's values (the buffer is kept).
    func reset() {
        used = 0
        spans.removeAll(keepingCapacity: true)
    }

    /// Adds parameter `parameter`'s value: the UTF-8 bytes of `value`, or SQL NULL for nil.
    func add(_ parameter: Int32, _ value: String?) {
        guard let value else {
            spans.append((parameter, 0, -1))
            return
        }
        var text = value
        text.withUTF8 { bytes in append(parameter, bytes) }
    }

    /// Adds a date as its ISO text (`YYYY-MM-DD`), or SQL NULL for nil.
    func add(_ parameter: Int32, _ value: LocalDate?) {
        guard let value else {
            spans.append((parameter, 0, -1))
            return
        }
        value.withISOBytes { bytes in append(parameter, bytes) }
    }

    /// Binds every value added since `reset()` to `statement`.
    func bind(to statement: PreparedStatement) {
        let base = UnsafePointer(storage)
        for span in spans {
            if span.length < 0 {
                statement.bind(span.parameter, nil as Int64?)
            } else {
                statement.bindInPlace(span.parameter, base + span.start, count: span.length)
            }
        }
    }

    private func append(_ parameter: Int32, _ bytes: UnsafeBufferPointer<UInt8>) {
        if used + bytes.count > capacity {
            var grown = capacity * 2
            while grown < used + bytes.count { grown *= 2 }
            let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
            larger.update(from: storage, count: used)
            storage.deallocate()
            storage = larger
            capacity = grown
        }
        if let source = bytes.baseAddress, !bytes.isEmpty {
            (storage + used).update(from: source, count: bytes.count)
        }
        spans.append((parameter, used, bytes.count))
        used += bytes.count
    }
}
