/// A map from 64-bit integer keys to small non-negative integers: open addressing with linear probing and a
/// multiplicative hash, for look-ups made once per XML element or more.
///
/// Why not `Dictionary<UInt64, Int>`: Swift's dictionary hashes every key with seeded SipHash, which callgrind put at
/// about 150 instructions a look-up in the camt parser; this one takes a multiply, a shift and usually one probe.
/// Not for keys an attacker picks to collide: use it for addresses and ids the program made itself.
public struct IntegerMap: Sendable {
    /// Per slot, (key + 1) in `keys` (0 marks an empty slot) and its value in `values`.
    private var keys: [UInt64]
    private var values: [Int32]
    private var shift: UInt64
    /// Number of keys stored.
    public private(set) var count = 0

    /// An empty map.
    public init() {
        keys = [UInt64](repeating: 0, count: 64)
        values = [Int32](repeating: 0, count: 64)
        shift = 64 - 6
    }

    @inline(__always)
    private func home(_ stored: UInt64) -> Int { Int(truncatingIfNeeded: (stored &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// The value stored for `key`, if any.
    public subscript(key: UInt64) -> Int32? {
        let stored = key &+ 1
        let mask = keys.count - 1
        var slot = home(stored)
        return keys.withUnsafeBufferPointer { keys in
            while true {
                let found = keys[slot]
                if found == stored { return values[slot] }
                if found == 0 { return nil }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Stores `value` for `key`, replacing what was there. `key` must not be `UInt64.max`.
    public mutating func set(_ key: UInt64, _ value: Int32) {
        precondition(key != .max, "UInt64.max is reserved")
        if 2 * (count + 1) > keys.count { grow() }
        let stored = key &+ 1
        let mask = keys.count - 1
        var slot = home(stored)
        while keys[slot] != 0 && keys[slot] != stored { slot = (slot + 1) & mask }
        if keys[slot] == 0 { count += 1 }
        keys[slot] = stored
        values[slot] = value
    }

    /// Doubles the slots and re-inserts every key.
    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = [UInt64](repeating: 0, count: oldKeys.count * 2)
        values = [Int32](repeating: 0, count: oldKeys.count * 2)
        shift -= 1
        count = 0
        for (slot, stored) in oldKeys.enumerated() where stored != 0 { set(stored &- 1, oldValues[slot]) }
    }
}
