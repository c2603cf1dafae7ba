import Testing

@testable import FinDocIngest

/// The sniffers' byte helpers against plain reference loops written here, on pseudo-random bytes from a fixed seed.
@Suite struct ByteSearchTests {
    /// Bytes from a 64-bit LCG; `alphabet` keeps matches frequent enough to matter.
    static func bytes(_ count: Int, seed: UInt64, alphabet: [UInt8]) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return alphabet[Int(state >> 33) % alphabet.count]
        }
    }

    static func referenceContains(_ hay: [UInt8], _ needle: [UInt8], folding: Bool) -> Bool {
        func f(_ b: UInt8) -> UInt8 { folding && b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
        guard hay.count >= needle.count else { return false }
        for start in 0...(hay.count - needle.count) where (0..<needle.count).allSatisfy({ f(hay[start + $0]) == needle[$0] }) {
            return true
        }
        return false
    }

    @Test("contains agrees with a naive search, folded and exact, for letter and non-letter lead bytes, with limits")
    func containsMatchesReference() {
        let alphabet = Array("<?ofxOFX>aA ".utf8)
        let cases: [StaticString] = ["<?ofx", "<ofx>", "ofx", "a", "x>a"]
        for seed in 1...40 {
            let hay = Self.bytes(Int(seed) * 7, seed: UInt64(seed), alphabet: alphabet)
            for needle in cases {
                let pattern = needle.withUTF8Buffer { Array($0) }
                for folding in [false, true] {
                    for limit in [hay.count, hay.count / 2, 3] {
                        let expected = Self.referenceContains(Array(hay.prefix(limit)), pattern, folding: folding)
                        #expect(
                            ByteSearch.contains(hay, needle, limit: limit, foldingCase: folding) == expected,
                            "seed \(seed) needle \(needle) folding \(folding) limit \(limit)")
                    }
                }
            }
        }
        #expect(!ByteSearch.contains([], "a"))
        #expect(ByteSearch.contains(Array("xx<OFX>".utf8), "<ofx>", foldingCase: true))
        #expect(!ByteSearch.contains(Array("xx<OFX>".utf8), "<ofx>"))
    }

    @Test("the vectorised control-byte count equals a byte loop for every length 0…300 and a long run")
    func controlCountMatchesLoop() {
        let alphabet: [UInt8] = [0x00, 0x01, 0x08, 0x09, 0x0A, 0x0D, 0x0E, 0x1B, 0x1F, 0x20, 0x41, 0x7F, 0xC3, 0xFF]
        let long = Self.bytes(70_000, seed: 99, alphabet: alphabet)
        func reference(_ bytes: ArraySlice<UInt8>) -> Int {
            bytes.filter { $0 < 0x09 || ($0 > 0x0D && $0 < 0x20) }.count
        }
        for length in 0...300 {
            let slice = Array(long[5..<(5 + length)])
            #expect(slice.withUnsafeBufferPointer { FormatSniffer.countControlBytes($0) } == reference(slice[...]))
        }
        // More than 240 blocks of 16 all control bytes: the per-lane counters must be flushed before they wrap.
        let allControls = [UInt8](repeating: 0x01, count: 16 * 300 + 7)
        #expect(allControls.withUnsafeBufferPointer { FormatSniffer.countControlBytes($0) } == allControls.count)
        #expect(long.withUnsafeBufferPointer { FormatSniffer.countControlBytes($0) } == reference(long[...]))
    }
}
