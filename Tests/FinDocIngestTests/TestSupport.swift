import FinDocCore
@testable import FinDocIngest

/// Helpers shared by the CSV tests.
enum TestSupport {
    /// The repository root, found from this file's path (Tests/FinDocIngestTests/TestSupport.swift).
    static let repositoryRoot: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    /// Reads CSV text given as a string.
    static func read(_ text: String, options: CSVOptions = CSVOptions(), path: String = "test.csv") -> StatementDocument {
        CSVStatementIngestor(options: options).read(Array(text.utf8), path: path)
    }

    /// The diagnostics of one code.
    static func diagnostics(_ document: StatementDocument, _ code: String) -> [Diagnostic] {
        document.diagnostics.filter { $0.code == code }
    }

    /// Amounts in minor units.
    /// The 1-based numbers of the lines of `text` that are exactly `line` (optional, as `SourceLocation.line` is):
    /// an independent count to check stored source lines against.
    static func lines(of line: String, in text: String) -> [Int?] {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .filter { $0.element == line }.map { $0.offset + 1 }
    }

    static func minor(_ document: StatementDocument) -> [Int64] {
        document.transactions.map(\.amount.minorUnits)
    }

    /// Reads a whole file (nil when missing), without Foundation.
    static func readFile(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if n <= 0 { break }
            bytes.append(contentsOf: buffer.prefix(n))
        }
        return bytes
    }

    /// Wall time of `body` in nanoseconds (integers: findoc keeps floating point out of its code).
    static func nanoseconds(_ body: () -> Void) -> Int {
        var start = timespec()
        var end = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        body()
        clock_gettime(CLOCK_MONOTONIC, &end)
        return max(1, (end.tv_sec - start.tv_sec) * 1_000_000_000 + (end.tv_nsec - start.tv_nsec))
    }

    /// A deterministic xorshift generator for the "never trap" tests: the same seed gives the same inputs.
    struct Xorshift {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15

        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
    }

    /// The file names in a directory (nil when it does not exist).
    static func listDirectory(_ path: String) -> [String]? {
        guard let dir = opendir(path) else { return nil }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
