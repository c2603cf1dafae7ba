import CFinDocKernels

/// SHA-256 (FIPS 180-4), used to recognise a file that was already ingested.
///
/// Written here rather than pulled from a crypto package because this is the only digest findoc needs and the
/// dependency would double the clean build time; `SHA256Tests` checks it against the FIPS test vectors.
///
/// Speed matters because every ingested byte goes through here (a profile of camt ingest had the first version at
/// ~17% of CPU, and a profile of 1,000 UBL invoices had this portable version at 13%). Whole 64-byte blocks are
/// compressed straight from the caller's contiguous storage; only a block split across two `update` calls is copied
/// into the 64-byte pending buffer. Where the CPU has the x86 SHA extensions the blocks go to the C kernel in
/// `CFinDocKernels` (7× faster on the 265 MB camt bench file: 1,273 MB/s against 178 MB/s); the Swift rounds below
/// are the fallback and the reference the tests compare it with.
public struct SHA256: Sendable {
    /// Whether this CPU can take the hardware path (SHA extensions with SSSE3 and SSE4.1), asked once.
    public static let hardwareAvailable: Bool = findoc_sha256_hardware_available() == 1
    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
    )
    /// Bytes of an incomplete block; only the first `pendingCount` are meaningful.
    private var pending = [UInt8](repeating: 0, count: 64)
    private var pendingCount = 0
    private var totalBytes: UInt64 = 0
    /// Whether blocks go to the hardware kernel.
    private let useHardware: Bool

    /// Starts a new digest: on the hardware path where the CPU has one, unless `portable` (tests and the benchmark
    /// compare the two paths with it).
    public init(portable: Bool = false) { useHardware = !portable && Self.hardwareAvailable }

    /// The hex digest of `bytes` in one call.
    public static func hex(of bytes: some Collection<UInt8>) -> String {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalizeHex()
    }

    /// Adds bytes to the digest.
    public mutating func update(_ bytes: some Collection<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if done == nil {
            // A collection without contiguous storage (rare here): copy it once, then take the fast path.
            Array(bytes).withUnsafeBytes { update($0) }
        }
    }

    /// Adds the bytes in `raw` to the digest.
    public mutating func update(_ raw: UnsafeRawBufferPointer) {
        guard let base = raw.baseAddress, raw.count > 0 else { return }
        totalBytes &+= UInt64(raw.count)
        var offset = 0
        if pendingCount > 0 {
            let take = min(64 - pendingCount, raw.count)
            pending.withUnsafeMutableBytes { dst in
                guard let d = dst.baseAddress else { return }
                (d + pendingCount).copyMemory(from: base, byteCount: take)
            }
            pendingCount += take
            offset = take
            if pendingCount == 64 {
                let copy = pending
                copy.withUnsafeBytes { block in
                    if let b = block.baseAddress { compress(b, blocks: 1) }
                }
                pendingCount = 0
            }
        }
        let whole = (raw.count - offset) / 64
        if whole > 0 {
            compress(base + offset, blocks: whole)
            offset += whole * 64
        }
        let rest = raw.count - offset
        if rest > 0 {
            pending.withUnsafeMutableBytes { dst in
                guard let d = dst.baseAddress else { return }
                d.copyMemory(from: base + offset, byteCount: rest)
            }
            pendingCount = rest
        }
    }

    /// Finishes the digest and returns it as 64 lower-case hex digits.
    public mutating func finalizeHex() -> String {
        let bitLength = totalBytes &* 8
        // 0x80, zeros up to 56 mod 64, then the 64-bit big-endian bit length: one or two blocks.
        var tail = [UInt8](repeating: 0, count: pendingCount + 1 <= 56 ? 64 : 128)
        for i in 0..<pendingCount { tail[i] = pending[i] }
        tail[pendingCount] = 0x80
        for i in 0..<8 { tail[tail.count - 1 - i] = UInt8(truncatingIfNeeded: bitLength >> UInt64(8 * i)) }
        tail.withUnsafeBytes { block in
            if let b = block.baseAddress { compress(b, blocks: block.count / 64) }
        }
        pendingCount = 0
        let words = [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7]
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for word in words {
            for shift in stride(from: 28, through: 0, by: -4) { out.append(digits[Int((word >> UInt32(shift)) & 0xF)]) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Compresses `blocks` consecutive 64-byte blocks starting at `data` (any alignment).
    private mutating func compress(_ data: UnsafeRawPointer, blocks: Int) {
        if useHardware {
            withUnsafeMutableBytes(of: &state) { raw in
                guard let words = raw.baseAddress?.assumingMemoryBound(to: UInt32.self) else { return }
                findoc_sha256_compress_hw(words, data.assumingMemoryBound(to: UInt8.self), blocks)
            }
            return
        }
        // The round constants live in the C kernel's table, one copy for both block functions.
        guard let k = findoc_sha256_round_constants() else { return }
        // One 64-word schedule for all blocks of this call, on the stack rather than allocated per block.
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
            guard let w = schedule.baseAddress else { return }
            var (h0, h1, h2, h3, h4, h5, h6, h7) = state
            var p = data
            for _ in 0..<blocks {
                for i in 0..<16 {
                    w[i] = UInt32(bigEndian: p.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))
                }
                for i in 16..<64 {
                    let x = w[i - 15]
                    let y = w[i - 2]
                    let s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >> 3)
                    let s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >> 10)
                    w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
                }
                var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7
                // Eight rounds per iteration with the variables' roles rotated by hand, so no round shuffles
                // eight registers.
                var i = 0
                while i < 64 {
                    round(a, b, c, &d, e, f, g, &h, k[i] &+ w[i])
                    round(h, a, b, &c, d, e, f, &g, k[i + 1] &+ w[i + 1])
                    round(g, h, a, &b, c, d, e, &f, k[i + 2] &+ w[i + 2])
                    round(f, g, h, &a, b, c, d, &e, k[i + 3] &+ w[i + 3])
                    round(e, f, g, &h, a, b, c, &d, k[i + 4] &+ w[i + 4])
                    round(d, e, f, &g, h, a, b, &c, k[i + 5] &+ w[i + 5])
                    round(c, d, e, &f, g, h, a, &b, k[i + 6] &+ w[i + 6])
                    round(b, c, d, &e, f, g, h, &a, k[i + 7] &+ w[i + 7])
                    i += 8
                }
                h0 &+= a
                h1 &+= b
                h2 &+= c
                h3 &+= d
                h4 &+= e
                h5 &+= f
                h6 &+= g
                h7 &+= h
                p += 64
            }
            state = (h0, h1, h2, h3, h4, h5, h6, h7)
        }
    }
}

/// One SHA-256 round: `d` gains T1 and `h` becomes T1 + T2; the caller rotates the names for the next round.
@inline(__always)
private func round(
    _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32, _ e: UInt32, _ f: UInt32, _ g: UInt32,
    _ h: inout UInt32, _ kw: UInt32
) {
    let t1 = h &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ ((e & f) ^ (~e & g)) &+ kw
    let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) ^ (a & c) ^ (b & c))
    d &+= t1
    h = t1 &+ t2
}

@inline(__always)
private func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 &- n)) }
