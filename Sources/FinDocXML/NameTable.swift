/// The distinct local names of one `XMLTree`, each with a small integer id: an open-addressing hash table over the
/// names' UTF-8 bytes (FNV-1a), for the two lookups parsing and reading do per element.
///
/// Swift's `Dictionary<String, Int32>` cost about 1,200 instructions per element while copying libxml2's tree
/// (SipHash over a bridged String, plus building that String); this table hashes the bytes libxml2 hands over in
/// place and compares bytes only on a hash match.
struct NameTable: Sendable {
    /// Names by id.
    private(set) var names: [String] = []
    /// All names' bytes, back to back; name `id` is `bytes[offsets[id] ..< offsets[id + 1]]`.
    private var bytes: [UInt8] = []
    private var offsets: [Int] = [0]
    /// Slot → name id, -1 when empty. The count is a power of two, at most half full.
    private var slots: [Int32] = Array(repeating: -1, count: 256)
    private var hashes: [UInt64] = Array(repeating: 0, count: 256)

    /// The id of the name with these UTF-8 bytes, nil when the document has no such element.
    func id(of name: UnsafeBufferPointer<UInt8>) -> Int32? {
        let hash = Self.hash(name)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = slots[slot]
            if id < 0 { return nil }
            if hashes[slot] == hash && equals(id, name) { return id }
            slot = (slot + 1) & mask
        }
    }

    /// The id of `name` (a String), nil when the document has no such element.
    func id(of name: String) -> Int32? {
        var name = name
        return name.withUTF8 { id(of: $0) }
    }

    /// The id of the name with these bytes, adding it when new.
    mutating func intern(_ name: UnsafeBufferPointer<UInt8>) -> Int32 {
        let hash = Self.hash(name)
        var mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = slots[slot]
            if id < 0 { break }
            if hashes[slot] == hash && equals(id, name) { return id }
            slot = (slot + 1) & mask
        }
        let id = Int32(names.count)
        names.append(String(decoding: name, as: UTF8.self))
        bytes.append(contentsOf: name)
        offsets.append(bytes.count)
        if 2 * names.count > slots.count {
            grow()
            mask = slots.count - 1
            slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
        }
        slots[slot] = id
        hashes[slot] = hash
        return id
    }

    private func equals(_ id: Int32, _ name: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = offsets[Int(id)]
        let end = offsets[Int(id) + 1]
        guard end - start == name.count else { return false }
        for k in 0..<name.count where bytes[start + k] != name[k] { return false }
        return true
    }

    /// Doubles the slots and re-inserts every name.
    private mutating func grow() {
        let count = slots.count * 2
        var newSlots = [Int32](repeating: -1, count: count)
        var newHashes = [UInt64](repeating: 0, count: count)
        for (slot, id) in slots.enumerated() where id >= 0 {
            var target = Int(truncatingIfNeeded: hashes[slot]) & (count - 1)
            while newSlots[target] >= 0 { target = (target + 1) & (count - 1) }
            newSlots[target] = id
            newHashes[target] = hashes[slot]
        }
        slots = newSlots
        hashes = newHashes
    }

    private static func hash(_ name: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }
}
