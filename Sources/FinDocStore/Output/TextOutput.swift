import Foundation

/// A buffered byte sink over a file descriptor or a file, so writers can emit small pieces cheaply.
public final class TextOutput {
    private let handle: FileHandle
    private let closeOnFinish: Bool
    private var buffer: [UInt8] = []
    private let flushAt = 1 << 16

    /// Standard output.
    public static func standardOutput() -> TextOutput { TextOutput(handle: .standardOutput, closeOnFinish: false) }

    /// Creates (or truncates) the file at `path` for writing.
    public static func file(atPath path: String) throws -> TextOutput {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        return TextOutput(handle: try FileHandle(forWritingTo: URL(fileURLWithPath: path)), closeOnFinish: true)
    }

    private init(handle: FileHandle, closeOnFinish: Bool) {
        self.handle = handle
        self.closeOnFinish = closeOnFinish
        buffer.reserveCapacity(flushAt + 4096)
    }

    /// Appends text.
    public func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= flushAt { try flush() }
    }

    /// Appends UTF-8 bytes.
    public func write(bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= flushAt { try flush() }
    }

    /// Writes out what is buffered.
    public func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and, for files, closes.
    public func finish() throws {
        try flush()
        if closeOnFinish { try handle.close() }
    }
}
