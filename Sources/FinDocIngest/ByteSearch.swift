#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Substring search over raw bytes, for the format checks that look at a file's head before anything is decoded.
///
/// One shared loop instead of one per sniffer: the earlier per-format copies sliced arrays and compared them through
/// generic `elementsEqual`, and together they cost about 500,000 instructions per 11 KB invoice (a tenth of ingesting
/// a folder of invoices).
enum ByteSearch {
    /// Whether `needle` occurs in the first `limit` bytes of `haystack`. With `foldingCase`, ASCII letters compare
    /// case-insensitively and `needle` must be lower-case.
    static func contains(_ haystack: [UInt8], _ needle: StaticString, limit: Int = .max, foldingCase: Bool = false)
        -> Bool
    {
        count(haystack, needle, atMost: 1, limit: limit, foldingCase: foldingCase) > 0
    }

    /// Occurrences of `needle` (overlapping ones included) in the first `limit` bytes of `haystack`, counted up to
    /// `atMost`. `foldingCase` as for `contains`.
    static func count(
        _ haystack: [UInt8], _ needle: StaticString, atMost: Int, limit: Int = .max, foldingCase: Bool = false
    ) -> Int {
        needle.withUTF8Buffer { pattern in
            haystack.withUnsafeBufferPointer { whole in
                count(UnsafeBufferPointer(rebasing: whole.prefix(limit)), pattern, atMost: atMost, foldingCase: foldingCase)
            }
        }
    }

    /// Occurrences of `pattern` in `hay`, up to `atMost` (see `count(_:_:atMost:limit:foldingCase:)`).
    static func count(
        _ hay: UnsafeBufferPointer<UInt8>, _ pattern: UnsafeBufferPointer<UInt8>, atMost: Int, foldingCase: Bool
    ) -> Int {
        guard let lead = pattern.first, let base = hay.baseAddress, hay.count >= pattern.count, atMost > 0 else {
            return 0
        }
        let last = hay.count - pattern.count
        var found = 0
        var start = 0
        // A lead byte that is not an ASCII letter matches only itself, folded or not, so memchr (vectorised in libc)
        // finds each candidate start; a folded letter is looked for byte by byte.
        let scanByByte = foldingCase && lead >= 0x61 && lead <= 0x7A
        while start <= last {
            let at: Int
            if scanByByte {
                guard fold(hay[start]) == lead else {
                    start += 1
                    continue
                }
                at = start
            } else {
                guard let hit = memchr(base + start, Int32(lead), last - start + 1) else { return found }
                at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            }
            var k = 1
            if foldingCase {
                while k < pattern.count && fold(hay[at + k]) == pattern[k] { k += 1 }
            } else {
                while k < pattern.count && hay[at + k] == pattern[k] { k += 1 }
            }
            if k == pattern.count {
                found += 1
                if found >= atMost { return found }
            }
            start = at + 1
        }
        return found
    }

    /// The index of the first byte after an optional UTF-8 byte-order mark and ASCII white space: space, tab, LF and
    /// CR, and also VT and FF with `verticalSpace` (the sniffers differ there, and each keeps its own verdicts).
    static func contentStart(_ bytes: [UInt8], verticalSpace: Bool) -> Int {
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while index < bytes.count {
            let byte = bytes[index]
            let space =
                byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
                || (verticalSpace && (byte == 0x0B || byte == 0x0C))
            guard space else { break }
            index += 1
        }
        return index
    }

    /// Whether `bytes`, after an optional UTF-8 byte-order mark and ASCII white space (space, tab, LF, CR), starts
    /// with `prefix` (lower-case; ASCII letters compared case-insensitively).
    static func startsAfterSpace(_ bytes: [UInt8], foldedPrefix prefix: StaticString) -> Bool {
        let start = contentStart(bytes, verticalSpace: false)
        return prefix.withUTF8Buffer { pattern in
            guard bytes.count - start >= pattern.count else { return false }
            for k in 0..<pattern.count where fold(bytes[start + k]) != pattern[k] { return false }
            return true
        }
    }

    /// ASCII upper-case letters to lower case; every other byte unchanged.
    static func fold(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }
}
