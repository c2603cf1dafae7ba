import FinDocCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns the paths a user gives into the files to read: folders are walked recursively in name order, hidden files
/// and folders (names starting with `.`) are skipped, and paths that do not exist are reported.
///
/// Inside folders, documentation, licence and source files are skipped too: statement folders often carry a README,
/// a LICENSE or a SOURCE.md (and fixture folders test code), and reporting those as failed statements would turn every
/// such batch into a failure. A file named explicitly is always read (and reported if it is not a statement).
enum InputFiles {
    /// Extensions of files that are never statements, skipped when found inside a folder.
    static let documentationExtensions: Set<String> = [
        "md", "markdown", "rst", "yml", "yaml", "toml", "cfg", "ini", "py", "pyc", "sh", "swift", "lock",
    ]
    /// Base names (before any extension, upper-cased) of licence and documentation files, skipped inside folders.
    static let documentationNames: Set<String> = [
        "LICENSE", "LICENCE", "COPYING", "NOTICE", "README", "AUTHORS", "CHANGELOG", "CHANGES", "ATTRIBUTION",
    ]

    /// True for a file inside a folder that is documentation, a licence or code rather than a statement.
    static func isDocumentation(_ name: String) -> Bool {
        let base = name.split(separator: ".", maxSplits: 1).first.map { String($0).uppercased() } ?? ""
        if documentationNames.contains(base) || documentationNames.contains(where: { base.hasPrefix($0 + "-") }) {
            return true
        }
        guard let dot = name.lastIndex(of: ".") else { return false }
        return documentationExtensions.contains(name[name.index(after: dot)...].lowercased())
    }

    static func expand(_ paths: [String]) -> (files: [String], missing: [String]) {
        var files: [String] = []
        var missing: [String] = []
        var seen: Set<String> = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                missing.append(path)
                continue
            }
            if !isDirectory.boolValue {
                if seen.insert(path).inserted { files.append(path) }
                continue
            }
            var found: [String] = []
            walk(path, into: &found)
            for file in found.sorted() where seen.insert(file).inserted { files.append(file) }
        }
        return (files, missing)
    }

    private static func walk(_ folder: String, into found: inout [String]) {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: folder) else { return }
        for name in names where !name.hasPrefix(".") {
            if isDocumentation(name) { continue }
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                walk(path, into: &found)
            } else {
                found.append(path)
            }
        }
    }

    /// The first 64 KiB of the file at `path` (enough for `FormatSniffer`), or nil when the file is smaller than
    /// `minimumSize` bytes or cannot be opened.
    ///
    /// The size comes from `stat`: `FileManager.attributesOfItem` also looks up the owner's and group's names
    /// (reading `/etc/passwd` and `/etc/group`) and the extended attributes, about fifteen system calls for every
    /// file of a batch that only needed the size.
    static func head(of path: String, minimumSize: Int) -> [UInt8]? {
        guard let size = size(of: path), size >= minimumSize,
            let handle = FileHandle(forReadingAtPath: path)
        else { return nil }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: 65_536)).map { [UInt8]($0) }
    }

    /// The sha256 (hex) and size of the file at `path`, read in 4 MiB pieces so that memory stays flat; nil when it
    /// cannot be read to the end.
    static func sha256(ofFileAt path: String) -> (sha: String, size: Int)? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256()
        var size = 0
        while true {
            let piece: Data?
            do {
                piece = try handle.read(upToCount: 4 << 20)
            } catch {
                return nil
            }
            // No data (nil on Linux, empty elsewhere) is the end of the file.
            guard let chunk = piece, !chunk.isEmpty else { break }
            size += chunk.count
            chunk.withUnsafeBytes { hasher.update($0) }
        }
        return (hasher.finalizeHex(), size)
    }

    /// The size in bytes of the file at `path`, from `stat`; nil when it cannot be looked up.
    static func size(of path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int(info.st_size)
    }

    /// The bytes of the file at `path`, read to its end.
    ///
    /// Straight into the array with `read(2)`: `Data(contentsOf:)` and the copy into `[UInt8]` after it cost a
    /// second pass over the bytes and a few more system calls per file, which adds up over a folder of 10,000
    /// invoices. The size from `fstat` is only a first guess; a file that grows while it is read is read to its end.
    static func read(_ path: String) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileReadError(code: errno) }
        defer { close(descriptor) }
        var info = stat()
        let expected = fstat(descriptor, &info) == 0 ? max(0, Int(info.st_size)) : 0
        // One byte more than expected, so that a short file ends with a read of 0 and a grown one shows.
        var failure: Int32 = 0
        var bytes = [UInt8](unsafeUninitializedCapacity: expected + 1) { buffer, count in
            count = 0
            guard let base = buffer.baseAddress else { return }
            while count < buffer.count {
                let got = readRetryingInterrupts(descriptor, into: base + count, count: buffer.count - count)
                guard got > 0 else {
                    if got < 0 { failure = errno }
                    return
                }
                count += got
            }
        }
        guard failure == 0 else { throw FileReadError(code: failure) }
        guard bytes.count > expected else { return bytes }
        var piece = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let got = piece.withUnsafeMutableBytes { readRetryingInterrupts(descriptor, into: $0.baseAddress, count: $0.count) }
            guard got > 0 else {
                if got < 0 { throw FileReadError(code: errno) }
                return bytes
            }
            bytes.append(contentsOf: piece[..<got])
        }
    }
}

/// A file that could not be opened or read, with the system's reason.
struct FileReadError: Error, CustomStringConvertible {
    /// The `errno` value.
    let code: Int32
    var description: String { String(cString: strerror(code)) }
}
