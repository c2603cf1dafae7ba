/// Maps the hash buckets seen in training to dense weight rows (open addressing, linear probing).
///
/// A 2^22-bucket hash space times a hundred labels would be 1.6 GB of weights; only the buckets that occur in the
/// training data can ever get a weight, so the model keeps just those rows and this table finds them.
struct BucketTable: Sendable {
    /// Per slot, (bucket + 1) in the high 32 bits and the row in the low 32; 0 marks an empty slot. One word per
    /// slot, so a look-up touches one cache line (two parallel arrays cost a second miss per feature).
    private(set) var slots: [UInt64]
    private var mask: Int
    /// The buckets in row order.
    private(set) var buckets: [UInt32] = []

    /// An empty table sized for about `capacity` buckets.
    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    /// Number of buckets stored.
    var count: Int { buckets.count }

    /// The row of `bucket`, or -1 when it was never seen.
    @inline(__always)
    func row(_ bucket: UInt32) -> Int32 {
        let key = UInt64(bucket &+ 1)
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
        return slots.withUnsafeBufferPointer { p in
            while true {
                let entry = p[slot]
                if entry >> 32 == key { return Int32(truncatingIfNeeded: entry & 0xFFFF_FFFF) }
                if entry == 0 { return -1 }
                slot = (slot + 1) & mask
            }
        }
    }

    /// The row of `bucket`, adding a new row when it is new.
    mutating func rowInserting(_ bucket: UInt32) -> Int32 {
        if (buckets.count + 1) * 2 > slots.count { grow() }
        let key = UInt64(bucket &+ 1)
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
        while true {
            let entry = slots[slot]
            if entry >> 32 == key { return Int32(truncatingIfNeeded: entry & 0xFFFF_FFFF) }
            if entry == 0 {
                let row = Int32(buckets.count)
                slots[slot] = key << 32 | UInt64(UInt32(row))
                buckets.append(bucket)
                return row
            }
            slot = (slot + 1) & mask
        }
    }

    private mutating func grow() {
        var bigger = BucketTable(capacity: slots.count)
        for bucket in buckets { _ = bigger.rowInserting(bucket) }
        self = bigger
    }

    /// A table holding `buckets` as rows 0, 1, 2, ...
    init(buckets: [UInt32]) {
        self.init(capacity: buckets.count)
        for bucket in buckets { _ = rowInserting(bucket) }
    }
}
