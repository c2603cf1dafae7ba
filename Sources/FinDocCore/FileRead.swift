#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `read(2)` on `descriptor` into `buffer`, again when a signal interrupted it: the bytes read, 0 at the end of the
/// file, -1 on an error (with `errno` set).
///
/// One place for the retry, shared by the whole-file reads of the batch and the streaming XML reader.
public func readRetryingInterrupts(_ descriptor: Int32, into buffer: UnsafeMutableRawPointer?, count: Int) -> Int {
    while true {
        let got = read(descriptor, buffer, count)
        if got >= 0 || errno != EINTR { return got }
    }
}
