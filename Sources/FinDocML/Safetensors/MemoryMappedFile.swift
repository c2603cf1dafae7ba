#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A whole file mapped read-only into memory, unmapped when the last reference goes.
///
/// Weights are read straight from the page cache instead of being copied into a buffer first, so opening a
/// 90 MB model costs only the pages that are touched. The bytes never change while mapped (`MAP_PRIVATE`,
/// read-only), which is why sharing the object across threads is safe.
public final class MemoryMappedFile: @unchecked Sendable {
    /// The path it was opened from, for messages.
    public let path: String
    /// The mapped bytes (an empty buffer for an empty file).
    public let bytes: UnsafeRawBufferPointer

    /// Maps `path`; throws `SafetensorsError.unreadable` when the file cannot be opened or mapped.
    public init(path: String) throws(SafetensorsError) {
        self.path = path
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .unreadable(path: path, reason: "not a regular file") }
        let size = Int(info.st_size)
        if size == 0 {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        bytes = UnsafeRawBufferPointer(start: UnsafeRawPointer(address), count: size)
    }

    deinit {
        if let base = bytes.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        }
    }
}
