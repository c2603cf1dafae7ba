import FinDocCore
import Testing

@Suite struct IntegerMapTests {
    /// Against a Dictionary over many inserts, overwrites and misses, with keys that share low or high bits (addresses
    /// aligned to 16 bytes, and ids shifted into the high word, as the camt parser makes them).
    @Test func agreesWithADictionary() {
        var map = IntegerMap()
        var truth: [UInt64: Int32] = [:]
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        for i in 0..<20_000 {
            let key: UInt64
            switch i % 4 {
            case 0: key = 0x7F00_0000_0000 + UInt64(i) * 16
            case 1: key = UInt64(i % 500) << 32 | UInt64(i % 37)
            case 2: key = next() % 3_000  // repeats: overwrites
            default: key = next() & ~(1 << 63)
            }
            let value = Int32(truncatingIfNeeded: next() & 0x7FFF_FFFF)
            map.set(key, value)
            truth[key] = value
        }
        #expect(map.count == truth.count)
        for (key, value) in truth { #expect(map[key] == value) }
        var misses = 0
        for _ in 0..<20_000 {
            let key = next() | 1 << 63
            if truth[key] == nil {
                misses += 1
                #expect(map[key] == nil)
            }
        }
        #expect(misses > 19_000)
        #expect(map[0] == truth[0])
    }
}
