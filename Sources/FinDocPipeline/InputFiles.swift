import FinDocCore
import Foundation

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
    static func head(of path: String, minimumSize: Int) -> [UInt8]? {
        guard let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int, size >= minimumSize,
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

    static func read(_ path: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: path)
        let data = try Data(contentsOf: url, options: .mappedIfSafe)
        return [UInt8](data)
    }
}
