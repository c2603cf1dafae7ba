import Foundation

/// A WordPiece vocabulary (`vocab.txt`: one token per line, the line number is the id) with lookups that never
/// allocate.
///
/// Tokens that start with `##` continue a word; they are kept in a second table without the prefix, so the
/// tokenizer can look up a slice of a word's UTF-8 bytes directly instead of building `"##" + piece` strings.
public struct WordPieceVocabulary: Sendable {
    /// Every token, indexed by id (as written in the file, `##` included).
    public let tokens: [String]
    private let wordStarts: ByteTable
    private let continuations: ByteTable

    /// Builds a vocabulary from its tokens in id order. When a token appears twice the later id wins, as in the
    /// reference loaders.
    public init(tokens: [String]) {
        self.tokens = tokens
        var starts: [(bytes: [UInt8], id: Int32)] = []
        var rest: [(bytes: [UInt8], id: Int32)] = []
        for (index, token) in tokens.enumerated() {
            let id = Int32(truncatingIfNeeded: index)
            let bytes = Array(token.utf8)
            if bytes.count > 2, bytes[0] == 0x23, bytes[1] == 0x23 {
                rest.append((Array(bytes.dropFirst(2)), id))
            } else {
                starts.append((bytes, id))
            }
        }
        wordStarts = ByteTable(entries: starts)
        continuations = ByteTable(entries: rest)
    }

    /// Reads `vocab.txt`. Lines end in `\n` (a trailing `\r` is dropped); the n-th line (from 0) is id n.
    public init(contentsOf url: URL) throws {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw TokenizerError.vocabularyMissing(
                path: url.path, hint: "install the base model with: bash Scripts/install-model.sh (or findoc models install)")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TokenizerError.vocabularyInvalid(path: url.path, line: nil, reason: "cannot read the file: \(error)")
        }
        var lines = data.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
        }
        if lines.last == "" { lines.removeLast() }
        guard !lines.isEmpty else {
            throw TokenizerError.vocabularyInvalid(path: url.path, line: nil, reason: "the vocabulary is empty")
        }
        self.init(tokens: lines)
    }

    /// The number of ids.
    public var count: Int { tokens.count }

    /// The id of a whole token as written in the file (`"##ing"`, `"[CLS]"`), or nil.
    public func id(of token: String) -> Int32? {
        var bytes = Array(token.utf8)
        if bytes.count > 2, bytes[0] == 0x23, bytes[1] == 0x23 {
            bytes.removeFirst(2)
            return bytes.withUnsafeBufferPointer { continuations.lookup($0) }
        }
        return bytes.withUnsafeBufferPointer { wordStarts.lookup($0) }
    }

    /// The longest word-start token in UTF-8 bytes.
    var longestWordStart: Int { wordStarts.longestKey }
    /// The longest continuation token in UTF-8 bytes, without its `##`.
    var longestContinuation: Int { continuations.longestKey }

    /// The id of `bytes` as the start of a word, or nil.
    @inline(__always)
    func wordStartID(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? { wordStarts.lookup(bytes) }

    /// The id of `##` + `bytes` (a piece inside a word), or nil.
    @inline(__always)
    func continuationID(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? { continuations.lookup(bytes) }
}

/// An open-addressing hash table from byte strings to ids, its keys packed in one array.
private struct ByteTable: Sendable {
    private var slots: [Int32]  // index into entries, -1 when empty
    private var hashes: [UInt64]
    private var starts: [Int32]
    private var lengths: [Int32]
    private var ids: [Int32]
    private var storage: [UInt8]
    private let mask: Int
    /// The longest key in bytes: longer slices cannot match, so the tokenizer skips them.
    let longestKey: Int

    init(entries: [(bytes: [UInt8], id: Int32)]) {
        var capacity = 16
        while capacity < entries.count * 2 { capacity <<= 1 }
        mask = capacity - 1
        longestKey = entries.map(\.bytes.count).max() ?? 0
        slots = Array(repeating: -1, count: capacity)
        hashes = []
        starts = []
        lengths = []
        ids = []
        storage = []
        for entry in entries {
            let hash = entry.bytes.withUnsafeBufferPointer { ByteTable.hash($0) }
            var slot = Int(truncatingIfNeeded: hash) & mask
            var replaced = false
            while slots[slot] >= 0 {
                let existing = Int(slots[slot])
                if hashes[existing] == hash && lengths[existing] == entry.bytes.count
                    && storage[Int(starts[existing])..<Int(starts[existing]) + entry.bytes.count].elementsEqual(entry.bytes)
                {
                    ids[existing] = entry.id  // a duplicate line: the later id wins
                    replaced = true
                    break
                }
                slot = (slot + 1) & mask
            }
            if replaced { continue }
            slots[slot] = Int32(ids.count)
            hashes.append(hash)
            starts.append(Int32(storage.count))
            lengths.append(Int32(entry.bytes.count))
            ids.append(entry.id)
            storage.append(contentsOf: entry.bytes)
        }
    }

    /// FNV-1a, 64 bits: simple, and good enough for 30k short keys.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return h ^ (h >> 29)
    }

    @inline(__always)
    func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        let hash = ByteTable.hash(bytes)
        var slot = Int(truncatingIfNeeded: hash) & mask
        return slots.withUnsafeBufferPointer { slots in
            storage.withUnsafeBufferPointer { storage in
                while true {
                    let index = Int(slots[slot])
                    if index < 0 { return nil }
                    if hashes[index] == hash && Int(lengths[index]) == bytes.count {
                        guard let stored = storage.baseAddress, let probe = bytes.baseAddress else { return ids[index] }
                        if memcmp(stored + Int(starts[index]), probe, bytes.count) == 0 { return ids[index] }
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }
}
